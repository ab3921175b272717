"""The ``govdesk`` command: no sub-command opens the GUI; sub-commands run headless.

Conventions for every command: ``--db URL`` (else ``GOVDESK_DB_URL``, else the embedded SQLite
demo database), ``--json`` for machine-readable output, and exit codes 0 ok, 1 rejected input,
2 usage, 3 permission denied, 4 conflict.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from govdesk import __version__
from govdesk.config import resolve_db_url
from govdesk.db.engine import describe_url
from govdesk.errors import GovDeskError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_DENIED, EXIT_CONFLICT = 0, 1, 2, 3, 4


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        print(text)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import current_revision, upgrade

    db = Database(args.url)
    before = current_revision(db)
    after = upgrade(db)
    _emit(args, {"ok": True, "database": describe_url(args.url), "from": before, "to": after},
          f"Database {describe_url(args.url)} upgraded from {before or 'empty'} to {after}.")
    return EXIT_OK


def cmd_db_status(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import schema_status

    st = schema_status(Database(args.url))
    _emit(args, {"ok": True, "database": describe_url(args.url), "state": st.state.value,
                 "revision": st.revision, "head": st.head},
          f"{describe_url(args.url)}: {st.state.value} (at {st.revision or '-'}, newest {st.head})")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from govdesk.db.engine import Database
    from govdesk.db.migrate import require_current
    from govdesk.demo.load import load_demo

    db = Database(args.url)
    require_current(db)
    bars: dict[str, Any] = {}
    report: Callable[[str, int, int], None] | None = None
    if sys.stderr.isatty() and not args.json:
        from tqdm import tqdm

        def report(table: str, done: int, total: int) -> None:
            bar = bars.get(table)
            if bar is None:
                bar = bars[table] = tqdm(total=total, desc=f"{table:<17}", unit=" rows",
                                         unit_scale=True, file=sys.stderr)
            bar.update(done - bar.n)
            if done >= total:
                bar.close()
    summary = load_demo(db, args.scale, args.province, progress=report)
    rate = summary.total_rows / summary.seconds if summary.seconds else 0.0
    _emit(args, {"ok": True, "scale": summary.scale, "province": summary.province,
                 "rows": summary.rows, "seconds": round(summary.seconds, 3),
                 "rows_per_second": round(rate)},
          f"Loaded the {summary.scale} demo for {summary.province}: "
          + ", ".join(f"{n:,} {t}" for t, n in summary.rows.items())
          + f" in {summary.seconds:.1f} s ({rate:,.0f} rows/s).")
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from govdesk.ui.selftest import run_selftest

    result = run_selftest(args.url, args.screenshots, lang=args.lang)
    _emit(args, {"ok": result.ok, "views": [v.__dict__ for v in result.views]},
          "\n".join(f"{'ok  ' if v.ok else 'FAIL'} {v.name}{': ' + v.error if v.error else ''}"
                    + (f" -> {v.screenshot}" if v.screenshot else "") for v in result.views))
    return EXIT_OK if result.ok else EXIT_INPUT


def cmd_gui(args: argparse.Namespace) -> int:
    from govdesk.ui.app import run_gui

    return run_gui(args.url, lang=args.lang)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL (sqlite:///FILE or postgresql+psycopg2://USER@HOST/DB); "
                             "default: $GOVDESK_DB_URL, else the embedded demo database")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print the result as one JSON object")
    common.add_argument("--lang", choices=("zh_CN", "en"), default=argparse.SUPPRESS,
                        help="interface language (default: the saved setting, else zh_CN)")

    parser = argparse.ArgumentParser(
        prog="govdesk", parents=[common],
        description="GovDesk 残联数据治理桌面端. Without a command, opens the desktop application.")
    parser.add_argument("--version", action="version", version=f"govdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

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

    st = sub.add_parser("selftest", parents=[common],
                        help="open every view offscreen; exit 0 when all opened without error")
    st.add_argument("--screenshots", metavar="DIR", help="write one PNG per view into DIR")
    st.set_defaults(func=cmd_selftest)
    parser.set_defaults(func=cmd_gui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.url = resolve_db_url(getattr(args, "db", None))
    args.json = getattr(args, "json", False)
    args.lang = getattr(args, "lang", None)
    try:
        return int(args.func(args))
    except GovDeskError as exc:
        if args.json:
            print(json.dumps({"ok": False, "error": str(exc), "exit_code": exc.exit_code},
                             ensure_ascii=False))
        else:
            print(f"govdesk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("govdesk: interrupted; nothing was written.", file=sys.stderr)
        return 130
