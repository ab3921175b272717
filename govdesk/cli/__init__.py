"""The ``govdesk`` command: no sub-command opens the GUI; sub-commands run headless.

Conventions for every command: ``--db URL`` (else ``GOVDESK_DB_URL``, else the embedded SQLite
demo database), ``--json`` for machine-readable output, and the exit codes of
:mod:`govdesk.errors` (0 ok, 1 rejected input, 2 usage, 3 permission denied, 4 conflict).
An error is reported in the language of ``--lang`` (Chinese by default): on standard error as
text, with ``--json`` as ``{"ok": false, "code", "params", "message", "exit_code"}``.

One module per command group, each with a ``register(sub, common)``; what they share is public in
:mod:`govdesk.cli.common`. Modules import ``common`` and services, never each other.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from govdesk import __version__
from govdesk.cli import app, audit, catalog, classify, common, db, messages, users
from govdesk.config import resolve_db_url
from govdesk.errors import GovDeskError

#: the command groups, in the order ``govdesk --help`` lists them
GROUPS = (db, users, audit, catalog, classify, app)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the common options, then each group's sub-commands."""
    options = common.common_options()
    parser = argparse.ArgumentParser(
        prog="govdesk", parents=[options],
        description="GovDesk 残联数据治理桌面端. Without a command, opens the desktop application.")
    parser.add_argument("--version", action="version", version=f"govdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(sub, options)
    parser.set_defaults(func=app.cmd_gui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.url = resolve_db_url(getattr(args, "db", None))
    args.json = getattr(args, "json", False)
    args.lang = getattr(args, "lang", None)
    args.user = getattr(args, "user", None)
    try:
        return int(args.func(args))
    except GovDeskError as exc:
        lang = common.lang_of(args)
        if args.json:
            # "error" repeats "message" for scripts written before codes existed
            report = exc.to_json(lang)
            print(json.dumps({"ok": False, "error": report["message"], **report},
                             ensure_ascii=False, default=str))
        else:
            print(f"govdesk: {exc.text(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("govdesk: interrupted; nothing was written.", file=sys.stderr)
        return 130
