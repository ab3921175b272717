"""The ``govdesk`` command: no sub-command opens the GUI; sub-commands run headless.

Conventions for every command: ``--db URL`` (else ``GOVDESK_DB_URL``, else the embedded SQLite
demo database), ``--json`` for machine-readable output, and the exit codes of
:mod:`govdesk.errors` (0 ok, 1 rejected input, 2 usage, 3 permission denied, 4 conflict,
5 unexpected error: a message with a reference, the details in the error log, never a
traceback).
An error is reported in the language of ``--lang`` (Chinese by default): on standard error as
text, with ``--json`` as ``{"ok": false, "code", "params", "message", "exit_code"}``.

One module per command group, each with a ``register(sub, common)``; what they share is public in
:mod:`govdesk.cli.common`. Modules import ``common`` and services, never each other.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from govdesk import __version__
from govdesk.cli import app, audit, catalog, classify, common, db, messages, sharing, users
from govdesk.config import resolve_db_url
from govdesk.db.urls import database_url
from govdesk.errors import EXIT_UNEXPECTED, GovDeskError

#: the command groups, in the order ``govdesk --help`` lists them
GROUPS = (db, users, audit, catalog, classify, sharing, app)


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
    args.json = getattr(args, "json", False)
    args.lang = getattr(args, "lang", None)
    args.user = getattr(args, "user", None)
    try:
        args.url = database_url(resolve_db_url(getattr(args, "db", None)))
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
    except BrokenPipeError:
        # the reader of our output went away (``govdesk … | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected error is caught
        return _unexpected(args, exc)


def _command_name(args: argparse.Namespace) -> str:
    words = ["govdesk", getattr(args, "command", None) or ""]
    words += [str(v) for k, v in sorted(vars(args).items()) if k.endswith("_command") and v]
    return " ".join(w for w in words if w)


def _unexpected(args: argparse.Namespace, exc: Exception) -> int:
    """Log ``exc`` with its traceback and tell the user what failed and the reference."""
    from govdesk.crashlog import record_unexpected, unexpected_message

    doing = _command_name(args)
    reference = record_unexpected(exc, doing)
    text = unexpected_message(reference, doing, "en" if args.lang == "en" else "zh")
    if args.json:
        print(json.dumps({"ok": False, "error": text, "reference": reference,
                          "exit_code": EXIT_UNEXPECTED}, ensure_ascii=False))
    else:
        print(f"govdesk: {text}", file=sys.stderr)
    return EXIT_UNEXPECTED
