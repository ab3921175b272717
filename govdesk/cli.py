"""The ``govdesk`` command: no sub-command opens the GUI; sub-commands run headless.

Conventions for every command: ``--db URL`` (else ``GOVDESK_DB_URL``, else the embedded SQLite
demo database), ``--json`` for machine-readable output, and exit codes 0 ok, 1 rejected input,
2 usage, 3 permission denied, 4 conflict.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from govdesk import __version__
from govdesk.cli_progress import Progress
from govdesk.config import resolve_db_url
from govdesk.db.engine import describe_url
from govdesk.errors import GovDeskError, InputRejected

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


def _acting_identity(args: argparse.Namespace, db: Any) -> Any:
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


def _read_new_password(username: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"Initial password for {username}: ")
        if getpass.getpass("Repeat it: ") != first:
            raise InputRejected("The two passwords differ; nothing was created.")
        return first
    line = sys.stdin.readline()
    if not line.strip():
        raise InputRejected("No password on standard input; nothing was created.")
    return line.rstrip("\r\n")


def _open(args: argparse.Namespace) -> Any:
    """The database of ``args.url`` at the current schema; the embedded one is created and
    seeded on first use, as when the GUI starts (others must be upgraded explicitly)."""
    from govdesk.startup import open_database

    return open_database(args.url).db


def cmd_users_add(args: argparse.Namespace) -> int:
    from govdesk.security.roles import Role
    from govdesk.security.users import create_user

    db = _open(args)
    who = _acting_identity(args, db)
    password = _read_new_password(args.name)
    info = create_user(db, who, args.name, Role(args.role), password, region_code=args.region,
                       organisation_id=args.organisation, display_name=args.display_name or "")
    _emit(args, {"ok": True, "user": info.username, "role": info.role.value,
                 "region": info.region_code},
          f"Created {info.username} ({info.role.value}"
          + (f", region {info.region_code}" if info.region_code else "") + ").")
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    from govdesk.security.users import list_users

    db = _open(args)
    users = list_users(db, _acting_identity(args, db))
    _emit(args, {"ok": True, "users": [
        {"username": u.username, "role": u.role.value, "region": u.region_code,
         "active": u.is_active, "locked": u.locked} for u in users]},
          "\n".join(f"{u.username:<20} {u.role.value:<11} {u.region_code or '-':<13}"
                    f"{' locked' if u.locked else ''}" for u in users) or "No users.")
    return EXIT_OK


def cmd_users_unlock(args: argparse.Namespace) -> int:
    from govdesk.security.auth import unlock_user

    db = _open(args)
    unlock_user(db, _acting_identity(args, db), args.name)
    _emit(args, {"ok": True, "user": args.name}, f"Unlocked {args.name}.")
    return EXIT_OK


def cmd_users_lock(args: argparse.Namespace) -> int:
    from govdesk.security.users import lock_user

    db = _open(args)
    lock_user(db, _acting_identity(args, db), args.name)
    _emit(args, {"ok": True, "user": args.name}, f"Locked {args.name}.")
    return EXIT_OK


def cmd_users_deactivate(args: argparse.Namespace) -> int:
    from govdesk.security.users import deactivate_user

    db = _open(args)
    deactivate_user(db, _acting_identity(args, db), args.name)
    _emit(args, {"ok": True, "user": args.name}, f"Deactivated {args.name}.")
    return EXIT_OK


def cmd_users_set(args: argparse.Namespace) -> int:
    from govdesk.security.roles import Role
    from govdesk.security.users import update_user

    db = _open(args)
    info = update_user(db, _acting_identity(args, db), args.name,
                       role=Role(args.role) if args.role else None,
                       region_code=None if args.region in (None, "none") else args.region,
                       organisation_id=args.organisation, display_name=args.display_name,
                       clear_region=args.region == "none")
    _emit(args, {"ok": True, "user": info.username, "role": info.role.value,
                 "region": info.region_code, "organisation": info.organisation_id},
          f"{info.username}: {info.role.value}, region {info.region_code or '-'}, "
          f"organisation {info.organisation_id or '-'}.")
    return EXIT_OK


def cmd_users_anomalies(args: argparse.Namespace) -> int:
    from govdesk.security.users import account_anomalies

    db = _open(args)
    found = account_anomalies(db, _acting_identity(args, db))
    _emit(args, {"ok": not found, "anomalies": [
        {"login": login, "group": group, "reason": reason} for login, group, reason in found]},
          "\n".join(f"{login:<20} {group:<40} {reason}" for login, group, reason in found)
          or "Every login in a GovDesk group of this database is an active GovDesk user.")
    return EXIT_OK if not found else EXIT_INPUT


def cmd_audit_anchor_key(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_anchor import database_identity, new_key_file, store_key_in_keyring

    if args.keyring:
        kid = store_key_in_keyring(database_identity(_open(args)))
        where = "the OS keyring"
    else:
        if not args.out:
            raise InputRejected("Give --out FILE for the new key file, or --keyring.")
        kid = new_key_file(Path(args.out))
        where = args.out
    _emit(args, {"ok": True, "key_id": kid, "stored": where},
          f"New anchor key {kid} in {where}. Keep it with the audit administrator, away from "
          "the database server.")
    return EXIT_OK


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_anchor import database_identity, load_key, write_anchor

    db = _open(args)
    who = _acting_identity(args, db)
    key = load_key(Path(args.key_file) if args.key_file else None, database_identity(db))
    anchor = write_anchor(db, who, Path(args.out), key)
    _emit(args, {"ok": True, "file": args.out, "last_id": anchor.last_id,
                 "last_hash": anchor.last_hash, "key_id": anchor.key_id},
          f"Anchored the audit trail at row {anchor.last_id} ({anchor.last_hash[:12]}…) "
          f"in {args.out}, signed with key {anchor.key_id}.")
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from govdesk.security.audit_read import verify_chain

    db = _open(args)
    if args.anchor:
        from pathlib import Path

        from govdesk.security.audit_anchor import database_identity, load_key, verify_with_anchor

        who = _acting_identity(args, db)
        key = load_key(Path(args.key_file) if args.key_file else None, database_identity(db))
        check = verify_with_anchor(db, who, Path(args.anchor), key)
        _emit(args, {"ok": check.ok, "anchored_id": check.anchored_id, "checked": check.checked,
                     "rows_since_anchor": check.rows_since, "reason": check.reason},
              f"Audit trail intact and matches the anchor at row {check.anchored_id} "
              f"({check.checked} rows verified, {check.rows_since} written since)."
              if check.ok else f"Audit trail does NOT match the anchor: {check.reason}.")
        return EXIT_OK if check.ok else EXIT_INPUT
    result = verify_chain(db, _acting_identity(args, db))
    _emit(args, {"ok": result.ok, "checked": result.checked, "broken_id": result.broken_id,
                 "reason": result.reason},
          f"Audit trail intact: {result.checked} rows verified." if result.ok
          else f"Audit trail BROKEN at row {result.broken_id}: {result.reason} "
               f"({result.checked} rows before it verified).")
    return EXIT_OK if result.ok else EXIT_INPUT


def _parse_time(value: str | None, end: bool = False) -> Any:
    import datetime as dt

    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputRejected(f"{value!r} is not a date (YYYY-MM-DD) or date and time.") from exc
    if end and len(value) <= 10:
        parsed += dt.timedelta(days=1)  # --until 2026-11-30 includes that whole day
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.astimezone(dt.timezone.utc)


def cmd_audit_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_read import AuditFilter, export_events

    db = _open(args)
    f = AuditFilter(since=_parse_time(args.since), until=_parse_time(args.until, end=True))
    n = export_events(db, _acting_identity(args, db), f, Path(args.out))
    _emit(args, {"ok": True, "rows": n, "file": args.out}, f"Exported {n} audit rows to {args.out}.")
    return EXIT_OK


def cmd_audit_archive(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_read import archive_events

    db = _open(args)
    result = archive_events(db, _acting_identity(args, db), _parse_time(args.before),
                            Path(args.out))
    _emit(args, {"ok": True, "rows": result.rows, "through_id": result.through_id,
                 "file": result.file, "sha256": result.sha256},
          f"Archived {result.rows} audit rows (up to no. {result.through_id}) to {result.file} "
          f"(SHA-256 {result.sha256}).")
    return EXIT_OK


def cmd_catalog_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.catalog.browse import ResourceFilter
    from govdesk.catalog.excel_export import export_catalog

    db = _open(args)
    f = ResourceFilter(text=args.text or "", category_code=args.category,
                       region_code=args.region.ljust(12, "0") if args.region else None,
                       status=args.status)
    result = export_catalog(db, _acting_identity(args, db), Path(args.file), f,
                            blank=args.template, lang="en" if args.lang == "en" else "zh")
    _emit(args, {"ok": True, "resources": result.resources, "items": result.items,
                 "file": result.path},
          f"Exported {result.resources} resources and {result.items} data items to {result.path}.")
    return EXIT_OK


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.catalog.excel_import import import_catalog

    db = _open(args)
    lang = "en" if args.lang == "en" else "zh"
    who = _acting_identity(args, db)
    progress = None if args.json or args.quiet else Progress(sys.stderr)
    try:
        report = import_catalog(db, who, Path(args.file), dry_run=args.dry_run, lang=lang,
                                progress=progress)
    finally:
        if progress is not None:
            progress.close()
    data = report.as_dict()
    lines = [f"{e.sheet} 第{e.row}行 {e.column or ''}: {e.message}" if e.row else
             f"{e.sheet}: {e.message}" for e in report.errors[:200]]
    lines += [f"{w.sheet}: {w.message}" for w in report.warnings]
    c = data["changes"]
    if report.ok:
        verb = "Would change" if args.dry_run else ("Wrote" if report.written else "No change:")
        lines.append(f"{verb} {c['inserted']} new, {c['updated']} updated, "
                     f"{c['unchanged']} unchanged resources.")
    else:
        lines.append(f"{len(report.errors)} problem(s); nothing was written.")
    _emit(args, data, "\n".join(lines))
    return EXIT_OK if report.ok else EXIT_INPUT


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
    common.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS,
                        help="SQLite only: act as this GovDesk user (password from "
                             "$GOVDESK_PASSWORD or a prompt); on PostgreSQL the URL's user acts")
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

    users = sub.add_parser("users", parents=[common], help="user accounts")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", parents=[common],
                               help="create an account (password prompted, or read from stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True,
                     choices=("sysadmin", "secadmin", "auditor", "data_admin", "viewer"))
    add.add_argument("--region", metavar="CODE", help="region code that scopes the user")
    add.add_argument("--organisation", type=int, metavar="ID", help="the user's organisation id")
    add.add_argument("--display-name", metavar="TEXT")
    add.set_defaults(func=cmd_users_add)
    users_sub.add_parser("list", parents=[common], help="list accounts").set_defaults(
        func=cmd_users_list)
    unlock = users_sub.add_parser("unlock", parents=[common], help="lift a lockout")
    unlock.add_argument("name")
    unlock.set_defaults(func=cmd_users_unlock)
    lock = users_sub.add_parser("lock", parents=[common], help="lock an account until unlocked")
    lock.add_argument("name")
    lock.set_defaults(func=cmd_users_lock)
    deact = users_sub.add_parser("deactivate", parents=[common],
                                 help="end an account for good (its name is never reused)")
    deact.add_argument("name")
    deact.set_defaults(func=cmd_users_deactivate)
    setp = users_sub.add_parser("set", parents=[common],
                                help="change an account's role, region, organisation or name")
    setp.add_argument("name")
    setp.add_argument("--role", choices=("sysadmin", "secadmin", "auditor", "data_admin", "viewer"))
    setp.add_argument("--region", metavar="CODE", help="region code, or 'none' for province-wide")
    setp.add_argument("--organisation", type=int, metavar="ID")
    setp.add_argument("--display-name", metavar="TEXT")
    setp.set_defaults(func=cmd_users_set)
    users_sub.add_parser(
        "anomalies", parents=[common],
        help="login roles in this database's GovDesk groups without an active account "
             "(PostgreSQL); exit 1 when there are any").set_defaults(func=cmd_users_anomalies)

    aud = sub.add_parser("audit", parents=[common], help="the audit trail")
    aud_sub = aud.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    ver = aud_sub.add_parser("verify", parents=[common],
                             help="check the hash chain; exit 1 naming the first broken row")
    ver.add_argument("--anchor", metavar="FILE",
                     help="also prove the trail against a signed anchor (detects tail deletion "
                          "and a recomputed chain, even by a superuser)")
    ver.add_argument("--key-file", metavar="FILE",
                     help="the anchor key (default: $GOVDESK_AUDIT_KEY_FILE, then the keyring)")
    ver.set_defaults(func=cmd_audit_verify)
    anc = aud_sub.add_parser("anchor", parents=[common],
                             help="write the signed chain head to a file kept outside the "
                                  "database (audit administrator)")
    anc.add_argument("--out", metavar="FILE", required=True)
    anc.add_argument("--key-file", metavar="FILE",
                     help="the anchor key (default: $GOVDESK_AUDIT_KEY_FILE, then the keyring)")
    anc.set_defaults(func=cmd_audit_anchor)
    akey = aud_sub.add_parser("anchor-key", parents=[common],
                              help="create a new anchor key (a file, or in the OS keyring)")
    akey.add_argument("--out", metavar="FILE", help="new key file (mode 0600)")
    akey.add_argument("--keyring", action="store_true",
                      help="store the key in the OS keyring for this database instead")
    akey.set_defaults(func=cmd_audit_anchor_key)
    exp = aud_sub.add_parser("export", parents=[common], help="export to .xlsx or .csv")
    exp.add_argument("--since", metavar="DATE")
    exp.add_argument("--until", metavar="DATE", help="inclusive when a date")
    exp.add_argument("--out", metavar="FILE", required=True)
    exp.set_defaults(func=cmd_audit_export)
    arc = aud_sub.add_parser("archive", parents=[common],
                             help="move rows older than the retention period (≥ 180 days) to a "
                                  "file; the chain keeps verifying")
    arc.add_argument("--before", metavar="DATE", required=True)
    arc.add_argument("--out", metavar="FILE", required=True)
    arc.set_defaults(func=cmd_audit_archive)

    cat = sub.add_parser("catalog", parents=[common], help="the data-resource catalogue")
    cat_sub = cat.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    cexp = cat_sub.add_parser("export", parents=[common],
                              help="export to .xlsx (resources, data items, value lists)")
    cexp.add_argument("file")
    cexp.add_argument("--template", action="store_true",
                      help="write the blank template (headers, value lists, drop-downs)")
    cexp.add_argument("--text", help="only resources matching this search")
    cexp.add_argument("--category", metavar="CODE", help="only this category and below")
    cexp.add_argument("--region", metavar="CODE", help="only this region and below")
    cexp.add_argument("--status", choices=("draft", "registration_review",
                                           "publication_review", "published"))
    cexp.set_defaults(func=cmd_catalog_export)
    cimp = cat_sub.add_parser("import", parents=[common],
                              help="check an .xlsx completely; write it in one transaction only "
                                   "when it has no problem")
    cimp.add_argument("file")
    cimp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    cimp.add_argument("--quiet", action="store_true",
                      help="no progress on standard error (--json has none either)")
    cimp.set_defaults(func=cmd_catalog_import)
    from govdesk.cli_classify import add_catalog_parsers

    add_catalog_parsers(cat_sub, common)

    from govdesk.cli_classify import add_parsers as add_classify_parsers

    add_classify_parsers(sub, common)

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
    args.user = getattr(args, "user", None)
    try:
        return int(args.func(args))
    except GovDeskError as exc:
        message = exc.text("en" if args.lang == "en" else "zh")  # English where it has no zh
        if args.json:
            print(json.dumps({"ok": False, "error": message, "exit_code": exc.exit_code},
                             ensure_ascii=False))
        else:
            print(f"govdesk: {message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("govdesk: interrupted; nothing was written.", file=sys.stderr)
        return 130
