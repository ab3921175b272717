"""``govdesk db …`` (schema upgrade and status) and ``govdesk demo`` (demo data)."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli.common import EXIT_OK, Tr, emit, lang_of, progress_bar, say
from govdesk.db.engine import describe_url
from govdesk.messages import Text

#: the schema states of ``govdesk db status`` (:class:`govdesk.db.migrate.SchemaState`)
STATES = {"empty": Text("空数据库", "empty"), "outdated": Text("需要升级", "outdated"),
          "current": Text("已是最新", "current")}


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import current_revision, upgrade

    db = Database(args.url)
    before = current_revision(db)
    after = upgrade(db)
    # a new database is created, not "upgraded from empty"; a current one is left as it is
    outcome = "db_created" if not before else "db_current" if before == after else "db_upgraded"
    emit(args, {"ok": True, "database": describe_url(args.url), "from": before, "to": after},
         say(args, outcome, database=describe_url(args.url), before=before, after=after))
    return EXIT_OK


def cmd_db_status(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import schema_status

    st = schema_status(Database(args.url))
    state = st.state.value
    emit(args, {"ok": True, "database": describe_url(args.url), "state": state,
                "state_label": STATES[state].text(lang_of(args)) if state in STATES else state,
                "revision": st.revision, "head": st.head},
         say(args, "db_status", database=describe_url(args.url), state=STATES.get(state, state),
             revision=st.revision or "-", head=st.head))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import require_current
    from govdesk.demo.load import load_demo
    from govdesk.security.audit_labels import object_label

    db = Database(args.url)
    require_current(db)
    with progress_bar(args, say(args, "bar_demo", scale=args.scale)) as progress:
        summary = load_demo(db, args.scale, args.province, progress=progress)
    rate = summary.total_rows / summary.seconds if summary.seconds else 0.0
    lang = lang_of(args)
    emit(args, {"ok": True, "scale": summary.scale, "province": summary.province,
                "rows": summary.rows, "seconds": round(summary.seconds, 3),
                "rows_per_second": round(rate)},
         say(args, "demo_loaded", scale=summary.scale, province=summary.province,
             rows=("、" if lang == "zh" else ", ").join(
                 f"{object_label(t, lang)} {n:,}" for t, n in summary.rows.items()),
             seconds=f"{summary.seconds:.1f}", rate=f"{rate:,.0f}"))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk db …`` and ``govdesk demo`` to the main parser's sub-commands."""
    db = sub.add_parser("db", parents=[common], help=tr("数据库结构", "database schema"))
    db_sub = db.add_subparsers(dest="db_command", metavar=tr("操作", "ACTION"), required=True)
    db_sub.add_parser("upgrade", parents=[common],
                      help=tr("迁移到最新的数据库结构", "migrate to the newest schema")) \
        .set_defaults(func=cmd_db_upgrade)
    db_sub.add_parser("status", parents=[common],
                      help=tr("显示数据库结构的版本", "show the schema revision")) \
        .set_defaults(func=cmd_db_status)

    demo = sub.add_parser("demo", parents=[common],
                          help=tr("向空数据库载入演示数据", "load demo data into an empty database"))
    demo.add_argument("--scale", choices=("small", "province"), default="small", help=tr(
        "small：一个省的残联，约 300 个资源（默认）；province：100,000 个资源、1,000,000 个信息项、"
        "10,000,000 条访问记录",
        "small: one province's federations, ~300 resources (default); "
        "province: 100,000 resources, 1,000,000 items, 10,000,000 access events"))
    demo.add_argument("--province", default="330000000000", help=tr(
        "省级行政区划代码（默认 330000000000，浙江省）",
        "province region code (default 330000000000, 浙江省)"))
    demo.set_defaults(func=cmd_demo)
