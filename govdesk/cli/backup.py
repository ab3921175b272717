"""``govdesk backup …``: run, list, verify, restore and prune backups headless (cron, systemd
timers, the Windows Task Scheduler: see the README), and read their health and compliance.

Exit codes as everywhere (:mod:`govdesk.errors`), and **6** (``EXIT_ALERTS``) when the command
worked and found something a person must act on: a backup that does not verify, a policy of
``run-due`` that failed, a health alert, an uncovered resource. The dump reads the database as
``--source-url`` (else ``$GOVDESK_BACKUP_SOURCE_URL``, else the command's own URL): on
PostgreSQL a backup login (LOGIN BYPASSRLS, member of pg_read_all_data), see the README.
Policies are edited with ``backup policy …`` (:mod:`govdesk.cli.backup_policies`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any

from govdesk import vocab
from govdesk.cli import backup_messages as backup_messages  # registers the output lines
from govdesk.cli.common import (
    EXIT_ALERTS,
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    progress_bar,
    say,
)

SOURCE_ENV = "GOVDESK_BACKUP_SOURCE_URL"


def iso_time_with_zone(value: str) -> dt.datetime:
    """An ISO time with its zone (argparse names the option when it is not one)."""
    found = dt.datetime.fromisoformat(value)
    if found.tzinfo is None:
        raise ValueError(value)
    return found


def _source(args: argparse.Namespace) -> str | None:
    return getattr(args, "source_url", None) or os.environ.get(SOURCE_ENV)


def _key_dir(args: argparse.Namespace) -> Path | None:
    return Path(args.key_dir) if getattr(args, "key_dir", None) else None


def backup_line(args: argparse.Namespace, b: Any) -> str:
    places = ", ".join([b.location, *b.offsite_copies])
    return say(args, "bk_backup_line", id=b.id, label=b.label,
               status=vocab.BACKUP_STATUS.label(b.status, lang_of(args)), size=b.size_bytes,
               finished=f"{b.finished_at.astimezone():%Y-%m-%d %H:%M:%S}", where=places)


def backup_json(args: argparse.Namespace, b: Any) -> dict[str, Any]:
    from dataclasses import asdict

    out = asdict(b)
    out["status_label"] = vocab.BACKUP_STATUS.label(b.status, lang_of(args))
    return out


def cmd_run(args: argparse.Namespace) -> int:
    from govdesk.backup.runner import run_policy

    db = open_db(args)
    with progress_bar(args, say(args, "bk_progress")) as progress:
        b = run_policy(db, acting_identity(args, db), args.policy, progress=progress,
                       source_url=_source(args))
    emit(args, {"ok": True, "backup": backup_json(args, b)},
         say(args, "bk_ran", id=b.id, label=b.label, size=b.size_bytes))
    return EXIT_OK


def cmd_run_due(args: argparse.Namespace) -> int:
    from govdesk.backup.runner import run_due

    db = open_db(args)
    done = run_due(db, acting_identity(args, db), source_url=_source(args))
    lang = lang_of(args)
    lines = [say(args, "bk_ran", id=d.backup.id, label=d.backup.label, size=d.backup.size_bytes)
             if d.backup else say(args, "bk_due_failed", id=d.policy_id, name=d.name,
                                  error=d.error.text(lang) if d.error else "")
             for d in done] or [say(args, "bk_due_none")]
    emit(args, {"ok": True, "runs": [
        {"policy_id": d.policy_id, "name": d.name,
         "backup": backup_json(args, d.backup) if d.backup else None,
         "error": d.error.to_json(lang) if d.error else None} for d in done]}, "\n".join(lines))
    return EXIT_ALERTS if any(d.error for d in done) else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from govdesk.backup.prune import list_backups

    db = open_db(args)
    found = list_backups(db, acting_identity(args, db), args.policy,
                         include_pruned=args.all)
    emit(args, {"ok": True, "backups": [backup_json(args, b) for b in found]},
         "\n".join(backup_line(args, b) for b in found) or say(args, "bk_none"))
    return EXIT_OK


def cmd_jobs(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from govdesk.backup.prune import list_jobs

    db = open_db(args)
    lang = lang_of(args)
    found = list_jobs(db, acting_identity(args, db), args.policy, args.limit)
    lines = [say(args, "bk_job_line", id=j.id, kind=vocab.BACKUP_JOB_KIND.label(j.kind, lang),
                 result=vocab.BACKUP_JOB_RESULT.label(j.result, lang),
                 started=f"{j.started_at.astimezone():%Y-%m-%d %H:%M:%S}",
                 size=j.size_bytes if j.size_bytes is not None else "-",
                 error=j.error or "") for j in found]
    emit(args, {"ok": True, "jobs": [asdict(j) for j in found]}, "\n".join(lines))
    return EXIT_OK


def _verify_line(args: argparse.Namespace, r: Any) -> str:
    if not r.ok:
        reason = r.problem.text(lang_of(args)) if r.problem else "; ".join(r.differences)
        return say(args, "bk_verify_failed", id=r.backup_id, label=r.label, reason=reason)
    if r.restored:
        return say(args, "bk_drilled", id=r.backup_id, label=r.label,
                   seconds=f"{r.rto_seconds:.1f}", rows=r.audit_rows)
    return say(args, "bk_verified", id=r.backup_id, label=r.label)


def cmd_verify(args: argparse.Namespace) -> int:
    from govdesk.backup.prune import list_backups
    from govdesk.backup.verify import verify_backup

    db = open_db(args)
    who = acting_identity(args, db)
    if args.id is not None:
        ids = [args.id]
    else:  # the newest backup of each policy
        newest: dict[Any, int] = {}
        for b in list_backups(db, who):
            newest.setdefault(b.policy_id, b.id)
        ids = list(newest.values())
    reports = []
    with progress_bar(args, say(args, "bk_progress")) as progress:
        for backup_id in ids:
            reports.append(verify_backup(db, who, backup_id, restore=args.restore,
                                         scratch_url=args.scratch, key_dir=_key_dir(args),
                                         progress=progress))
    lang = lang_of(args)
    emit(args, {"ok": all(r.ok for r in reports), "reports": [{
        "backup_id": r.backup_id, "label": r.label, "ok": r.ok, "restored": r.restored,
        "rto_seconds": r.rto_seconds, "differences": list(r.differences),
        "audit_rows": r.audit_rows, "privileges_ok": r.privileges_ok,
        "problem": r.problem.text(lang) if r.problem else None,
        "problem_code": r.problem.code if r.problem else None} for r in reports]},
        "\n".join(_verify_line(args, r) for r in reports) or say(args, "bk_none"))
    return EXIT_OK if all(r.ok for r in reports) else EXIT_ALERTS


def cmd_restore(args: argparse.Namespace) -> int:
    from govdesk.backup.restore import restore_backup

    db = open_db(args)
    with progress_bar(args, say(args, "bk_progress")) as progress:
        r = restore_backup(db, acting_identity(args, db), args.id, args.to,
                           force_live=args.force_live, with_globals=args.with_globals,
                           source_url=_source(args), key_dir=_key_dir(args),
                           to_time=args.at, progress=progress)
    lines = [say(args, "bk_restored", id=r.backup_id, target=r.target)]
    if r.safety_backup_id is not None:
        lines.insert(0, say(args, "bk_safety", id=r.safety_backup_id))
    emit(args, {"ok": True, "backup_id": r.backup_id, "target": r.target, "live": r.live,
                "safety_backup_id": r.safety_backup_id}, "\n".join(lines))
    return EXIT_OK


def cmd_prune(args: argparse.Namespace) -> int:
    from govdesk.backup.prune import prune

    db = open_db(args)
    r = prune(db, acting_identity(args, db), dry_run=args.dry_run)
    head = say(args, "bk_would_prune" if r.dry_run else "bk_pruned", n=len(r.deleted))
    lines = [head, *(say(args, "bk_prune_line", id=i.backup_id, label=i.label)
                     for i in r.deleted)]
    emit(args, {"ok": True, "dry_run": r.dry_run,
                "deleted": [{"id": i.backup_id, "label": i.label, "policy_id": i.policy_id}
                            for i in r.deleted],
                "kept": {str(k): list(v) for k, v in r.kept.items()}}, "\n".join(lines))
    return EXIT_OK


def cmd_hold(args: argparse.Namespace) -> int:
    from govdesk.backup.prune import set_legal_hold

    db = open_db(args)
    b = set_legal_hold(db, acting_identity(args, db), args.id, not args.release)
    emit(args, {"ok": True, "backup": backup_json(args, b)},
         say(args, "bk_release" if args.release else "bk_hold", id=b.id))
    return EXIT_OK


def _sources(p: Any, tr: Tr) -> None:
    p.add_argument("--source-url", metavar="URL", help=tr(
        f"备份读取数据库所用的登录（默认 ${SOURCE_ENV}，否则为 --url）：PostgreSQL 上应为备份专用登录",
        f"the login the backup reads the database as (default ${SOURCE_ENV}, else --url): on "
        "PostgreSQL a backup login"))


def _keys(p: Any, tr: Tr) -> None:
    p.add_argument("--key-dir", metavar="DIR", help=tr(
        "备份密钥文件所在目录（默认 $GOVDESK_BACKUP_KEY_DIR）",
        "directory of the backup key files (default $GOVDESK_BACKUP_KEY_DIR)"))


def _add_running(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    run = s.add_parser("run", parents=[common], help=tr("立即按某个策略备份", "back up by a policy now"))
    run.add_argument("policy", metavar="POLICY", help=tr("策略编号或名称", "policy id or name"))
    _sources(run, tr)
    run.set_defaults(func=cmd_run)
    due = s.add_parser("run-due", parents=[common], help=tr(
        "运行所有到期的备份策略（供 cron、systemd 定时器、Windows 任务计划程序调用；有失败时退出码为 6）",
        "run every policy that is due (for cron, systemd timers, the Windows Task Scheduler; "
        "exit code 6 when one failed)"))
    _sources(due, tr)
    due.set_defaults(func=cmd_run_due)
    pr = s.add_parser("prune", parents=[common], help=tr(
        "删除保留规则不再保留的备份", "delete the backups retention no longer keeps"))
    pr.add_argument("--dry-run", action="store_true", help=tr(
        "只列出将删除的备份", "only list what would be deleted"))
    pr.set_defaults(func=cmd_prune)
    hold = s.add_parser("hold", parents=[common], help=tr(
        "将备份设为法定保留（永久保存）", "put a backup on legal hold (kept for ever)"))
    hold.add_argument("id", type=int, metavar="ID")
    hold.add_argument("--release", action="store_true", help=tr("解除法定保留", "release the hold"))
    hold.set_defaults(func=cmd_hold)


def _add_reading(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    ls = s.add_parser("list", parents=[common], help=tr("备份目录", "the backup catalogue"))
    ls.add_argument("--policy", type=int, metavar="ID", help=tr("只列此策略", "of this policy"))
    ls.add_argument("--all", action="store_true", help=tr(
        "包括已删除的备份", "include pruned backups"))
    ls.set_defaults(func=cmd_list)
    jobs = s.add_parser("jobs", parents=[common], help=tr("作业历史", "the job history"))
    jobs.add_argument("--policy", type=int, metavar="ID", help=tr("只列此策略", "of this policy"))
    jobs.add_argument("--limit", type=int, default=50, metavar="N")
    jobs.set_defaults(func=cmd_jobs)
    ver = s.add_parser("verify", parents=[common], help=tr(
        "校验备份（不给 ID 时校验每个策略的最新备份；校验失败时退出码为 6）",
        "verify a backup (without ID: the newest of each policy; exit code 6 when one fails)"))
    ver.add_argument("id", type=int, nargs="?", metavar="ID")
    ver.add_argument("--restore", action="store_true", help=tr(
        "恢复到临时数据库并比对（恢复演练，用时即实际 RTO）",
        "restore into a scratch database and compare (a drill; its time is the achieved RTO)"))
    ver.add_argument("--scratch", metavar="URL", help=tr(
        "用于演练的空数据库（默认自动创建并删除）",
        "an empty database for the drill (default: made and dropped)"))
    _keys(ver, tr)
    ver.set_defaults(func=cmd_verify)
    rs = s.add_parser("restore", parents=[common], help=tr(
        "将备份恢复到一个空数据库", "restore a backup into an empty database"))
    rs.add_argument("id", type=int, metavar="ID")
    rs.add_argument("--to", required=True, metavar="URL", help=tr("目标数据库", "target database"))
    rs.add_argument("--force-live", action="store_true", help=tr(
        "允许覆盖正在使用的数据库（先做一次安全备份）",
        "allow overwriting the live database (a safety backup is taken first)"))
    rs.add_argument("--at", type=iso_time_with_zone, metavar="TIME", help=tr(
        "恢复到的时间点（带时区的 ISO 时间；仅 pgbackrest：--to 为新的空数据目录）",
        "the point in time to restore to (ISO time with zone; pgbackrest only: --to is a new, "
        "empty data directory)"))
    rs.add_argument("--with-globals", action="store_true", help=tr(
        "同时创建安全模型所需的角色（新服务器）", "also create the security model's roles (a new server)"))
    _sources(rs, tr)
    _keys(rs, tr)
    rs.set_defaults(func=cmd_restore)


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk backup …`` to the main parser's sub-commands."""
    top = sub.add_parser("backup", parents=[common], help=tr(
        "备份与容灾：策略、运行、校验、恢复、清理、健康与合规",
        "backup and disaster recovery: policies, runs, verification, restore, prune, health"))
    s = top.add_subparsers(dest="backup_command", metavar=tr("操作", "ACTION"), required=True)
    _add_running(s, common, tr)
    _add_reading(s, common, tr)
    from govdesk.cli import backup_policies

    backup_policies.add_parsers(s, common, tr)
