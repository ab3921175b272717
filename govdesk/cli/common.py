"""What every ``govdesk`` command shares: the exit codes (from :mod:`govdesk.errors`, defined
once there), the common options, output (``--json`` or text), who acts, and opening the database.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from govdesk.errors import (
    EXIT_ALERTS,
    EXIT_CONFLICT,
    EXIT_DENIED,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    InputRejected,
    UsageError,
)
from govdesk.messages import lang_code, render
from govdesk.progress import Progress
from govdesk.vocab import Vocabulary

__all__ = ["EXIT_ALERTS", "EXIT_CONFLICT", "EXIT_DENIED", "EXIT_INPUT", "EXIT_OK", "EXIT_USAGE", "Tr",
           "acting_identity", "common_options", "emit", "lang_of", "lang_of_argv", "open_db", "pad",
           "parse_time", "progress_bar", "read_new_password", "say", "term_choices", "term_type",
           "translator"]

#: the environment variable that sets the command line's language when ``--lang`` is not given
LANG_ENV = "GOVDESK_LANG"

#: a help text in the user's language: ``tr("中文", "English")``
Tr = Callable[[str, str], str]


def translator(lang: str) -> Tr:
    """The :data:`Tr` of ``lang`` ("zh" or "en")."""
    english = lang_code(lang) == "en"
    return lambda zh, en: en if english else zh


def term_choices(terms: Vocabulary, tr: Tr) -> str:
    """The values of the value list ``terms`` for a help text or an error: each code with its
    label in ``tr``'s language."""
    return tr("、".join(f"{t.code} {t.zh}" for t in terms.terms),
              ", ".join(f"{t.code} ({t.en})" for t in terms.terms))


def term_type(terms: Vocabulary, tr: Tr) -> Callable[[str], str]:
    """The argparse ``type`` of an option taking one value of ``terms``: its code, Chinese
    term or English label (``--status 草稿``, ``--status draft``, ``--status Draft``), given to
    the command as the code; anything else is argparse's usage error (exit code 2) naming the
    value and the allowed ones, in ``tr``'s language. Every option over a value list uses it,
    so they all accept the same spellings (:meth:`govdesk.vocab.Vocabulary.lookup`)."""

    def parse(text: str) -> str:
        code = terms.lookup(text)
        if code is None:
            raise argparse.ArgumentTypeError(render("cli_bad_term", tr("zh", "en"), {
                "value": text, "allowed": term_choices(terms, tr)}))
        return code

    parse.__name__ = terms.name  # what argparse would call the type in its own messages
    return parse


def lang_of_argv(argv: Sequence[str]) -> str:
    """``zh`` or ``en`` before the arguments are parsed (for the help texts): the last
    ``--lang X`` or ``--lang=X`` in ``argv``, else ``$GOVDESK_LANG``, else Chinese."""
    chosen = None
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(argv):
            chosen = argv[i + 1]
        elif word.startswith("--lang="):
            chosen = word.partition("=")[2]
    return lang_code(chosen or os.environ.get(LANG_ENV))


def common_options(tr: Tr) -> argparse.ArgumentParser:
    """The options every command accepts (``--db``, ``--json``, ``--user``, ``--lang``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=tr(
        "数据库 URL（sqlite:///文件 或 postgresql+psycopg2://用户@主机/库）；默认取 "
        "$GOVDESK_DB_URL，否则使用内置演示数据库",
        "database URL (sqlite:///FILE or postgresql+psycopg2://USER@HOST/DB); "
        "default: $GOVDESK_DB_URL, else the embedded demo database"))
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=tr("以一个 JSON 对象输出结果", "print the result as one JSON object"))
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=tr(
        "仅 SQLite：以此 GovDesk 用户身份执行（密码取自 $GOVDESK_PASSWORD 或提示输入）；"
        "PostgreSQL 上由 URL 中的用户执行",
        "SQLite only: act as this GovDesk user (password from "
        "$GOVDESK_PASSWORD or a prompt); on PostgreSQL the URL's user acts"))
    common.add_argument("--lang", choices=("zh_CN", "en"), default=argparse.SUPPRESS, help=tr(
        f"输出语言（默认取 ${LANG_ENV}，否则为 zh_CN 中文）",
        f"language of the output (default: ${LANG_ENV}, else zh_CN)"))
    return common


def lang_of(args: argparse.Namespace) -> str:
    """``zh`` or ``en``: the language this command speaks in: ``--lang``, else
    ``$GOVDESK_LANG``, else Chinese."""
    return lang_code(getattr(args, "lang", None) or os.environ.get(LANG_ENV))


def pad(text: object, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (a Chinese character takes
    two), for the columns of a text listing."""
    import unicodedata

    shown = str(text)
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown)
    return shown + " " * max(0, columns - used)


def say(args: argparse.Namespace, code: str, /, **params: object) -> str:
    """The message ``code`` of the command line's catalogue in the language of ``args``."""
    return render(code, lang_of(args), params)


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        print(text)


class _Bar(Progress):
    """A :class:`Progress` drawn as a tqdm bar on stderr (percent, the service's message)."""

    STEPS = 1000

    def __init__(self, label: str) -> None:
        super().__init__()
        from tqdm import tqdm

        self.bar = tqdm(total=self.STEPS, desc=label, file=sys.stderr, leave=True,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}]"
                                   "{postfix}")

    def show(self, fraction: float, message: str) -> None:
        if message:
            self.bar.set_postfix_str(message, refresh=False)
        n = int(fraction * self.STEPS)
        if n > self.bar.n:
            self.bar.update(n - self.bar.n)
        elif message:
            self.bar.refresh()


@contextmanager
def progress_bar(args: argparse.Namespace, label: str) -> Iterator[Progress]:
    """The Progress a long command hands its service: a tqdm bar on stderr, or silent with
    ``--json``, ``--quiet`` or when stderr is not a terminal (a script's log stays clean)."""
    if getattr(args, "json", False) or getattr(args, "quiet", False) or not sys.stderr.isatty():
        yield Progress()
        return
    bar = _Bar(label)
    try:
        yield bar
    finally:
        bar.bar.close()


def acting_identity(args: argparse.Namespace, db: Any) -> Any:
    """Who runs this command: on PostgreSQL the login of the URL; on SQLite the ``--user`` who
    logs in (password from GOVDESK_PASSWORD or a prompt), else the local file's operator."""
    who = _acting(args, db)
    args.acting = (db, who)  # for lookups of labels as the same login (region names)
    return who


def _acting(args: argparse.Namespace, db: Any) -> Any:
    from govdesk.security.auth import login_sqlite
    from govdesk.security.identity import Identity, identity_from_connection

    if db.is_postgres:
        logged_in = getattr(args, "logged_in", None)
        return logged_in if logged_in is not None else identity_from_connection(db)
    if args.user:
        password = os.environ.get("GOVDESK_PASSWORD")
        if password is None and sys.stdin.isatty():
            password = getpass.getpass(say(args, "prompt_password", username=args.user))
        elif password is None:  # a script: the password is the first line of standard input
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise UsageError("no_password_for_user", username=args.user)
        return login_sqlite(db, args.user, password)
    return Identity.local_owner()


def read_new_password(args: argparse.Namespace, username: str) -> str:
    """A new account's password: asked twice on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass(say(args, "prompt_new_password", username=username))
        if getpass.getpass(say(args, "prompt_repeat")) != first:
            raise InputRejected("passwords_differ")
        return first
    line = sys.stdin.readline()
    if not line.strip():
        raise InputRejected("no_password_on_stdin")
    return line.rstrip("\r\n")


def open_db(args: argparse.Namespace) -> Any:
    """The database of ``args.url`` at the current schema; the embedded one is created and
    seeded on first use, as when the GUI starts (others must be upgraded explicitly).

    On PostgreSQL the URL's user logs in as in the GUI, through the login gate: a locked
    account is refused before connecting, a wrong password counts towards the lockout, and
    the messages say what happened (locked, wrong password, not a user of this database)
    instead of the server's own. The password comes from the URL, else ``GOVDESK_PASSWORD``,
    else a prompt on a terminal, else libpq (``PGPASSWORD``, ``~/.pgpass``). ``GOVDESK_REPLICA``
    (host:port of a hot standby) attaches the read replica (``db.reading()``), same login.
    """
    from govdesk.startup import open_database

    if args.url.startswith("postgresql"):
        from govdesk.db.migrate import require_current
        from govdesk.security.auth import login_postgres

        from govdesk.config import resolve_replica
        from govdesk.db.urls import replica_url

        db, who = login_postgres(_with_password(args, args.url))
        require_current(db)
        db.attach_replica(replica_url(db.url, resolve_replica()))
        args.logged_in = who
        return db
    return open_database(args.url).db


def _with_password(args: argparse.Namespace, url: str) -> str:
    from govdesk.db.urls import url_parts, with_password

    parts = url_parts(url)
    if parts.has_password:
        return url
    password = os.environ.get("GOVDESK_PASSWORD")
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(say(args, "prompt_password_on", username=parts.username,
                                       host=parts.host)) or None
    return with_password(url, password) if password else url


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
