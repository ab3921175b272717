"""The ``govdesk`` command: no sub-command opens the GUI; sub-commands run headless.

Conventions for every command: ``--db URL`` (else ``GOVDESK_DB_URL``, else the embedded SQLite
demo database), ``--json`` for machine-readable output, and the exit codes of
:mod:`govdesk.errors` (0 ok, 1 rejected input, 2 usage, 3 permission denied, 4 conflict,
5 unexpected error: a message with a reference, the details in the error log, never a
traceback).
Everything a person reads (results, help, argparse's own words, errors) is in the language of
``--lang``, else ``$GOVDESK_LANG``, else Chinese; the help is built in that language, so
``argv`` is scanned for ``--lang`` before it is parsed (:func:`common.lang_of_argv`). An error
is reported on standard error as text, with ``--json`` as ``{"ok": false, "code", "params",
"message", "exit_code"}``; a refused permission adds a ``hint`` (who may, and how to act as
them).

One module per command group, each with a ``register(sub, common, tr)`` (``tr("中文",
"English")`` picks the help text of the language in use); what they share is public in
:mod:`govdesk.cli.common`. Modules import ``common`` and services, never each other.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from govdesk import __version__
from govdesk.cli import (
    access,
    app,
    audit,
    catalog,
    classify,
    common,
    db,
    messages,
    orgs,
    sharing,
    users,
)
from govdesk.cli.argparse_zh import ArgumentParser, argparse_language
from govdesk.config import resolve_db_url
from govdesk.db.urls import database_url
from govdesk.errors import EXIT_UNEXPECTED, GovDeskError, PermissionDenied

#: the command groups, in the order ``govdesk --help`` lists them
GROUPS = (db, users, orgs, audit, catalog, classify, sharing, access, app)


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The whole command line with its help in ``lang`` ("zh" or "en"): the common options,
    then each group's sub-commands. argparse's own words follow ``lang`` only while
    :func:`argparse_language` is in effect (as in :func:`main`)."""
    tr = common.translator(lang)
    options = common.common_options(tr)
    parser = ArgumentParser(prog="govdesk", parents=[options], description=tr(
        "GovDesk 残联数据治理桌面端。不带命令时打开桌面应用程序。",
        "GovDesk, data governance for disabled persons' federations. Without a command, "
        "opens the desktop application."))
    parser.add_argument("--version", action="version", version=f"govdesk {__version__}",
                        help=tr("显示版本号并退出", "show the version and exit"))
    sub = parser.add_subparsers(dest="command", metavar=tr("命令", "COMMAND"))
    for group in GROUPS:
        group.register(sub, options, tr)
    parser.set_defaults(func=app.cmd_gui)
    _describe(parser)
    return parser


def _describe(parser: argparse.ArgumentParser) -> None:
    """Give every sub-command without a description the help its parent lists it with, so
    ``govdesk catalog samples --help`` says what the command does."""
    for action in parser._actions:  # argparse keeps sub-commands only here
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, child in action.choices.items():
                if child.description is None and isinstance(helps.get(name), str):
                    child.description = helps[name]
                _describe(child)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    lang = common.lang_of_argv(words)
    with argparse_language(lang):
        args = build_parser(lang).parse_args(words)
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
            hint = _hint(args, exc)
            operation = getattr(exc.params.get("operation"), "op", None)
            extra = {"hint": hint, "operation_code": operation} if hint else {}
            print(json.dumps({"ok": False, "error": report["message"], **report, **extra},
                             ensure_ascii=False, default=str))
        else:
            hint = _hint(args, exc)
            print(f"govdesk: {exc.text(lang)}" + (f"\n{hint}" if hint else ""), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"govdesk: {common.say(args, 'cli_interrupted')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (``govdesk … | head``): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected error is caught
        return _unexpected(args, exc)


def _hint(args: argparse.Namespace, exc: GovDeskError) -> str:
    """For a refused permission, how to act as a user who has it (the refusal names the
    roles): on SQLite ``--user``, on PostgreSQL the login in the URL; else ""."""
    if not isinstance(exc, PermissionDenied) or exc.code != "not_allowed":
        return ""
    on_postgres = str(getattr(args, "url", "")).startswith("postgresql")
    return common.say(args, "hint_not_allowed_pg" if on_postgres else "hint_not_allowed_sqlite")


def _command_name(args: argparse.Namespace) -> str:
    words = ["govdesk", getattr(args, "command", None) or ""]
    words += [str(v) for k, v in sorted(vars(args).items()) if k.endswith("_command") and v]
    return " ".join(w for w in words if w)


def _unexpected(args: argparse.Namespace, exc: Exception) -> int:
    """Log ``exc`` with its traceback and tell the user what failed and the reference."""
    from govdesk.crashlog import record_unexpected, unexpected_message

    doing = _command_name(args)
    reference = record_unexpected(exc, doing)
    text = unexpected_message(reference, doing, common.lang_of(args))
    if args.json:
        print(json.dumps({"ok": False, "error": text, "reference": reference,
                          "exit_code": EXIT_UNEXPECTED}, ensure_ascii=False))
    else:
        print(f"govdesk: {text}", file=sys.stderr)
    return EXIT_UNEXPECTED
