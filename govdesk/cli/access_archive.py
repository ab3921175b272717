"""``govdesk access partitions|archive``: the access log's partitions and their archive
(PostgreSQL); the other ``access`` commands are in :mod:`govdesk.cli.access`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from govdesk.cli.common import EXIT_OK, Tr, acting_identity, emit, open_db, say


def cmd_access_partitions(args: argparse.Namespace) -> int:
    from govdesk.security.access_archive import ensure_partitions

    db = open_db(args)
    made = ensure_partitions(db, acting_identity(args, db), args.months)
    emit(args, {"ok": True, "created": made, "months": args.months},
         say(args, "access_partitions_made", created=made, months=args.months))
    return EXIT_OK


def cmd_access_archive(args: argparse.Namespace) -> int:
    from govdesk.security.access_archive import archivable_partitions, archive_partitions

    db = open_db(args)
    who = acting_identity(args, db)
    if args.dry_run:
        parts = archivable_partitions(db, who)
        lines = [say(args, "access_archivable", partition=p.name, rows=p.rows) for p in parts]
        emit(args, {"ok": True, "dry_run": True, "partitions": [
            {"partition": p.name, "from": p.start.isoformat(), "until": p.end.isoformat(),
             "rows": p.rows} for p in parts]},
             "\n".join(lines) or say(args, "access_archivable_none"))
        return EXIT_OK
    done = archive_partitions(db, who, Path(args.dir) if args.dir else None)
    emit(args, {"ok": True, "archived": [{"partition": a.partition, "rows": a.rows,
                                          "file": a.file, "sha256": a.sha256} for a in done]},
         "\n".join(say(args, "access_archived", partition=a.partition, rows=a.rows,
                       file=a.file, sha256=a.sha256) for a in done))
    return EXIT_OK


def add_parsers(acc_sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``partitions`` and ``archive`` to ``govdesk access``'s sub-commands."""
    par = acc_sub.add_parser("partitions", parents=[common], help=tr(
        "提前创建访问记录的月分区（安全管理员；PostgreSQL）",
        "create the access log's monthly partitions ahead (security administrator; "
        "PostgreSQL)"))
    par.add_argument("--months", type=int, default=12, metavar="N",
                     help=tr("提前的月数（默认 12）", "months ahead (default 12)"))
    par.set_defaults(func=cmd_access_partitions)
    arc = acc_sub.add_parser("archive", parents=[common], help=tr(
        "把超过保存期限的月分区写入压缩文件（记录 SHA-256）后删除（安全管理员；PostgreSQL）",
        "write the months older than the retention to compressed files (SHA-256 recorded), "
        "then drop them (security administrator; PostgreSQL)"))
    arc.add_argument("--dry-run", action="store_true",
                     help=tr("只列出可归档的分区", "only list the partitions that would go"))
    arc.add_argument("--dir", metavar="DIR", help=tr(
        "归档目录（默认为数据目录下的 access-archive）",
        "archive directory (default: access-archive in the data directory)"))
    arc.set_defaults(func=cmd_access_archive)
