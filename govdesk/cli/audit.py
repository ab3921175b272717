"""``govdesk audit …``: verify, anchor, anchor key, export and archive the audit trail."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli.common import EXIT_INPUT, EXIT_OK, acting_identity, emit, open_db, parse_time
from govdesk.errors import InputRejected


def cmd_audit_anchor_key(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_anchor import database_identity, new_key_file, store_key_in_keyring

    if args.keyring:
        kid = store_key_in_keyring(database_identity(open_db(args)))
        where = "the OS keyring"
    else:
        if not args.out:
            raise InputRejected("anchor_key_where")
        kid = new_key_file(Path(args.out))
        where = args.out
    emit(args, {"ok": True, "key_id": kid, "stored": where},
          f"New anchor key {kid} in {where}. Keep it with the audit administrator, away from "
          "the database server.")
    return EXIT_OK


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_anchor import database_identity, load_key, write_anchor

    db = open_db(args)
    who = acting_identity(args, db)
    key = load_key(Path(args.key_file) if args.key_file else None, database_identity(db))
    anchor = write_anchor(db, who, Path(args.out), key)
    emit(args, {"ok": True, "file": args.out, "last_id": anchor.last_id,
                 "last_hash": anchor.last_hash, "key_id": anchor.key_id},
          f"Anchored the audit trail at row {anchor.last_id} ({anchor.last_hash[:12]}…) "
          f"in {args.out}, signed with key {anchor.key_id}.")
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from govdesk.security.audit_read import verify_chain

    db = open_db(args)
    if args.anchor:
        from pathlib import Path

        from govdesk.security.audit_anchor import database_identity, load_key, verify_with_anchor

        who = acting_identity(args, db)
        key = load_key(Path(args.key_file) if args.key_file else None, database_identity(db))
        check = verify_with_anchor(db, who, Path(args.anchor), key)
        emit(args, {"ok": check.ok, "anchored_id": check.anchored_id, "checked": check.checked,
                     "rows_since_anchor": check.rows_since, "reason": check.reason},
              f"Audit trail intact and matches the anchor at row {check.anchored_id} "
              f"({check.checked} rows verified, {check.rows_since} written since)."
              if check.ok else f"Audit trail does NOT match the anchor: {check.reason}.")
        return EXIT_OK if check.ok else EXIT_INPUT
    result = verify_chain(db, acting_identity(args, db))
    emit(args, {"ok": result.ok, "checked": result.checked, "broken_id": result.broken_id,
                 "reason": result.reason},
          f"Audit trail intact: {result.checked} rows verified." if result.ok
          else f"Audit trail BROKEN at row {result.broken_id}: {result.reason} "
               f"({result.checked} rows before it verified).")
    return EXIT_OK if result.ok else EXIT_INPUT


def cmd_audit_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_read import AuditFilter, export_events

    db = open_db(args)
    f = AuditFilter(since=parse_time(args.since), until=parse_time(args.until, end=True))
    n = export_events(db, acting_identity(args, db), f, Path(args.out))
    emit(args, {"ok": True, "rows": n, "file": args.out}, f"Exported {n} audit rows to {args.out}.")
    return EXIT_OK


def cmd_audit_archive(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_read import archive_events

    db = open_db(args)
    result = archive_events(db, acting_identity(args, db), parse_time(args.before),
                            Path(args.out))
    emit(args, {"ok": True, "rows": result.rows, "through_id": result.through_id,
                 "file": result.file, "sha256": result.sha256},
          f"Archived {result.rows} audit rows (up to no. {result.through_id}) to {result.file} "
          f"(SHA-256 {result.sha256}).")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``govdesk audit …`` to the main parser's sub-commands."""
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
