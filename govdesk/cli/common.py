"""What every ``govdesk`` command shares: the exit codes (from :mod:`govdesk.errors`, defined
once there), the common options, output (``--json`` or text), who acts, and opening the database.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any

from govdesk.errors import EXIT_CONFLICT, EXIT_DENIED, EXIT_INPUT, EXIT_OK, EXIT_USAGE, InputRejected

__all__ = ["EXIT_CONFLICT", "EXIT_DENIED", "EXIT_INPUT", "EXIT_OK", "EXIT_USAGE", "acting_identity",
           "common_options", "emit", "lang_of", "open_db", "parse_time", "read_new_password"]


def common_options() -> argparse.ArgumentParser:
    """The options every command accepts (``--db``, ``--json``, ``--user``, ``--lang``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL (sqlite:///FILE or postgresql+psycopg2://USER@HOST/DB); "
                             "default: $GOVDESK_DB_URL, else the embedded demo database")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print the result as one JSON object")
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS,
                        help="SQLite only: act as this GovDesk user (password from "
                             "$GOVDESK_PASSWORD or a prompt); on PostgreSQL the URL's user acts")
    common.add_argument("--lang", choices=("zh_CN", "en"), default=argparse.SUPPRESS,
                        help="interface language (default: the saved setting, else zh_CN)")

    return common


def lang_of(args: argparse.Namespace) -> str:
    """``zh`` or ``en``: the language messages of this command are written in."""
    return "en" if args.lang == "en" else "zh"


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        print(text)


def acting_identity(args: argparse.Namespace, db: Any) -> Any:
    """Who runs this command: on PostgreSQL the login of the URL; on SQLite the ``--user`` who
    logs in (password from GOVDESK_PASSWORD or a prompt), else the local file's operator."""
    from govdesk.security.auth import login_sqlite
    from govdesk.security.identity import Identity, identity_from_connection

    if db.is_postgres:
        return identity_from_connection(db)
    if args.user:
        password = os.environ.get("GOVDESK_PASSWORD")
        if password is None:
            password = getpass.getpass(f"Password for {args.user}: ")
        return login_sqlite(db, args.user, password)
    return Identity.local_owner()


def read_new_password(username: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"Initial password for {username}: ")
        if getpass.getpass("Repeat it: ") != first:
            raise InputRejected("passwords_differ")
        return first
    line = sys.stdin.readline()
    if not line.strip():
        raise InputRejected("no_password_on_stdin")
    return line.rstrip("\r\n")


def open_db(args: argparse.Namespace) -> Any:
    """The database of ``args.url`` at the current schema; the embedded one is created and
    seeded on first use, as when the GUI starts (others must be upgraded explicitly)."""
    from govdesk.startup import open_database

    return open_database(args.url).db


def parse_time(value: str | None, end: bool = False) -> Any:
    import datetime as dt

    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputRejected("bad_time", value=value) from exc
    if end and len(value) <= 10:
        parsed += dt.timedelta(days=1)  # --until 2026-11-30 includes that whole day
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.astimezone(dt.timezone.utc)
