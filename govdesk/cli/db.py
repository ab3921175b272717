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


def cmd_db_replica(args: argparse.Namespace) -> int:
    """Where the heavy reads of this login come from (the read replica or the primary) and
    the replica's lag: logs in as ``--db`` says, with ``--replica`` over ``GOVDESK_REPLICA``."""
    from govdesk.cli.common import open_db
    from govdesk.db.replica import read_source
    from govdesk.db.urls import replica_url

    db = open_db(args)
    try:
        if args.replica:
            db.attach_replica(replica_url(db.url, args.replica))
        source = read_source(db)
    finally:
        db.dispose()
    lang = lang_of(args)
    emit(args, {"ok": True, "replica": source.replica, "database": source.database,
                "in_recovery": source.in_recovery, "caught_up": source.caught_up,
                "last_replay": source.last_replay.isoformat() if source.last_replay else None,
                "lag_seconds": source.lag_seconds, "message": source.text(lang)},
         source.text(lang))
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
    replica = db_sub.add_parser("replica", parents=[common], help=tr(
        "显示读取来自只读副本还是主库，以及副本的延迟", "show whether reads come from the read "
        "replica or the primary, and the replica's lag"))
    replica.add_argument("--replica", metavar=tr("地址", "ADDRESS"), default="", help=tr(
        "只读副本（热备库）的 主机:端口，默认取 GOVDESK_REPLICA",
        "host:port of the read replica (a hot standby); default GOVDESK_REPLICA"))
    replica.set_defaults(func=cmd_db_replica)

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
