"""``govdesk audit …``: verify, anchor, anchor key, export and archive the audit trail."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    parse_time,
    say,
)
from govdesk.errors import InputRejected
from govdesk.messages import Text

#: where ``audit anchor-key --keyring`` keeps the key
KEYRING = Text("操作系统密钥环", "the OS keyring")


def cmd_audit_anchor_key(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_anchor import database_identity, new_key_file, store_key_in_keyring

    if args.keyring:
        kid = store_key_in_keyring(database_identity(open_db(args)))
        where: str | Text = KEYRING
    else:
        if not args.out:
            raise InputRejected("anchor_key_where")
        kid = new_key_file(Path(args.out))
        where = args.out
    emit(args, {"ok": True, "key_id": kid, "stored": "keyring" if args.keyring else args.out},
         say(args, "anchor_key_created", key_id=kid, where=where))
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
         say(args, "anchored", last_id=anchor.last_id, hash=anchor.last_hash[:12],
             file=args.out, key_id=anchor.key_id))
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
             say(args, "anchor_matches", anchored_id=check.anchored_id, checked=check.checked,
                 since=check.rows_since) if check.ok
             else say(args, "anchor_mismatch", reason=check.why or check.reason))
        return EXIT_OK if check.ok else EXIT_INPUT
    result = verify_chain(db, acting_identity(args, db))
    emit(args, {"ok": result.ok, "checked": result.checked, "broken_id": result.broken_id,
                "reason": result.reason},
         say(args, "chain_intact", checked=result.checked) if result.ok
         else say(args, "chain_broken", broken_id=result.broken_id,
                  reason=result.why or result.reason,
                  checked=result.checked))
    return EXIT_OK if result.ok else EXIT_INPUT


def cmd_audit_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_read import AuditFilter, export_events

    db = open_db(args)
    f = AuditFilter(since=parse_time(args.since), until=parse_time(args.until, end=True))
    n = export_events(db, acting_identity(args, db), f, Path(args.out), lang=lang_of(args))
    emit(args, {"ok": True, "rows": n, "file": args.out},
         say(args, "audit_exported", rows=n, file=args.out))
    return EXIT_OK


def cmd_audit_archive(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.security.audit_read import archive_events

    db = open_db(args)
    result = archive_events(db, acting_identity(args, db), parse_time(args.before),
                            Path(args.out))
    emit(args, {"ok": True, "rows": result.rows, "through_id": result.through_id,
                "file": result.file, "sha256": result.sha256},
         say(args, "audit_archived", rows=result.rows, through_id=result.through_id,
             file=result.file, sha256=result.sha256))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk audit …`` to the main parser's sub-commands."""
    key_help = tr("锚点密钥（默认取 $GOVDESK_AUDIT_KEY_FILE，其次为密钥环）",
                  "the anchor key (default: $GOVDESK_AUDIT_KEY_FILE, then the keyring)")
    aud = sub.add_parser("audit", parents=[common], help=tr("审计日志", "the audit trail"))
    aud_sub = aud.add_subparsers(dest="audit_command", metavar=tr("操作", "ACTION"), required=True)
    ver = aud_sub.add_parser("verify", parents=[common], help=tr(
        "校验哈希链；发现断裂时以退出码 1 指出第一条断裂的记录",
        "check the hash chain; exit 1 naming the first broken row"))
    ver.add_argument("--anchor", metavar="FILE", help=tr(
        "同时用签名锚点证明日志完整（可发现尾部删除和重算的哈希链，即使由超级用户所为）",
        "also prove the trail against a signed anchor (detects tail deletion "
        "and a recomputed chain, even by a superuser)"))
    ver.add_argument("--key-file", metavar="FILE", help=key_help)
    ver.set_defaults(func=cmd_audit_verify)
    anc = aud_sub.add_parser("anchor", parents=[common], help=tr(
        "把签名的链头写入保存在数据库之外的文件（审计管理员）",
        "write the signed chain head to a file kept outside the database (audit administrator)"))
    anc.add_argument("--out", metavar="FILE", required=True, help=tr("锚点文件", "anchor file"))
    anc.add_argument("--key-file", metavar="FILE", help=key_help)
    anc.set_defaults(func=cmd_audit_anchor)
    akey = aud_sub.add_parser("anchor-key", parents=[common], help=tr(
        "创建新的锚点密钥（文件，或存入操作系统密钥环）",
        "create a new anchor key (a file, or in the OS keyring)"))
    akey.add_argument("--out", metavar="FILE",
                      help=tr("新密钥文件（权限 0600）", "new key file (mode 0600)"))
    akey.add_argument("--keyring", action="store_true", help=tr(
        "改为把此数据库的密钥存入操作系统密钥环",
        "store the key in the OS keyring for this database instead"))
    akey.set_defaults(func=cmd_audit_anchor_key)
    exp = aud_sub.add_parser("export", parents=[common], help=tr(
        "导出为 .xlsx 或 .csv（中文表头，本机时区时间）",
        "export to .xlsx or .csv (times in this machine's time zone)"))
    exp.add_argument("--since", metavar="DATE", help=tr("起始日期或时间", "from this date or time"))
    exp.add_argument("--until", metavar="DATE", help=tr("截止日期（含当日）或时间",
                                                        "to this date (inclusive) or time"))
    exp.add_argument("--out", metavar="FILE", required=True, help=tr("输出文件", "output file"))
    exp.set_defaults(func=cmd_audit_export)
    arc = aud_sub.add_parser("archive", parents=[common], help=tr(
        "把早于保留期限（≥ 180 天）的记录移入文件；哈希链仍可校验",
        "move rows older than the retention period (≥ 180 days) to a file; the chain keeps "
        "verifying"))
    arc.add_argument("--before", metavar="DATE", required=True,
                     help=tr("归档此日期之前的记录", "archive rows before this date"))
    arc.add_argument("--out", metavar="FILE", required=True, help=tr("归档文件", "archive file"))
    arc.set_defaults(func=cmd_audit_archive)
