"""``govdesk db …`` (schema upgrade and status) and ``govdesk demo`` (demo data)."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli.common import EXIT_OK, emit, progress_bar
from govdesk.db.engine import describe_url


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import current_revision, upgrade

    db = Database(args.url)
    before = current_revision(db)
    after = upgrade(db)
    emit(args, {"ok": True, "database": describe_url(args.url), "from": before, "to": after},
          f"Database {describe_url(args.url)} upgraded from {before or 'empty'} to {after}.")
    return EXIT_OK


def cmd_db_status(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import schema_status

    st = schema_status(Database(args.url))
    emit(args, {"ok": True, "database": describe_url(args.url), "state": st.state.value,
                 "revision": st.revision, "head": st.head},
          f"{describe_url(args.url)}: {st.state.value} (at {st.revision or '-'}, newest {st.head})")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import require_current
    from govdesk.demo.load import load_demo

    db = Database(args.url)
    require_current(db)
    with progress_bar(args, f"demo {args.scale}") as progress:
        summary = load_demo(db, args.scale, args.province, progress=progress)
    rate = summary.total_rows / summary.seconds if summary.seconds else 0.0
    emit(args, {"ok": True, "scale": summary.scale, "province": summary.province,
                 "rows": summary.rows, "seconds": round(summary.seconds, 3),
                 "rows_per_second": round(rate)},
          f"Loaded the {summary.scale} demo for {summary.province}: "
          + ", ".join(f"{n:,} {t}" for t, n in summary.rows.items())
          + f" in {summary.seconds:.1f} s ({rate:,.0f} rows/s).")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``govdesk db …`` to the main parser's sub-commands."""
    db = sub.add_parser("db", parents=[common], help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="migrate to the newest schema") \
        .set_defaults(func=cmd_db_upgrade)
    db_sub.add_parser("status", parents=[common], help="show the schema revision") \
        .set_defaults(func=cmd_db_status)


    demo = sub.add_parser("demo", parents=[common], help="load demo data into an empty database")
    demo.add_argument("--scale", choices=("small", "province"), default="small",
                      help="small: one province's federations, ~300 resources (default); "
                           "province: 100,000 resources, 1,000,000 items, 10,000,000 access events")
    demo.add_argument("--province", default="330000000000",
                      help="province region code (default 330000000000, 浙江省)")
    demo.set_defaults(func=cmd_demo)
