"""``govdesk backup policies | policy-add | policy-edit | key-new | health | compliance``: the
policies with what they can give, a new key, and the state of backup and disaster recovery.

Part of the ``backup`` group (:mod:`govdesk.cli.backup` registers these with
:func:`add_parsers`). ``health`` and ``compliance`` exit with **6** when something needs a
person (an alert; a resource no policy covers, a policy missing its RPO or RTO)."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli import backup_messages as backup_messages  # registers the output lines
from govdesk.cli.common import (
    EXIT_ALERTS,
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    say,
)


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def _policy_line(args: argparse.Namespace, p: Any) -> list[str]:
    lang = lang_of(args)
    cap = p.capability
    state = (say(args, "bk_policy_disabled") if not p.spec.enabled else
             say(args, "bk_policy_ok") if cap.ok else
             say(args, "bk_policy_problem", reason=cap.problems[0].text(lang)))
    runs = ", ".join(f"{r.astimezone():%Y-%m-%d %H:%M}" for r in p.next_runs)
    return [say(args, "bk_policy_line", id=p.id, name=p.spec.name, level=p.spec.dr_level,
                method=p.spec.method, cron=p.spec.schedule_cron,
                achievable=_hours(cap.achievable_rpo_hours), rpo=_hours(cap.rpo_target),
                state=state), say(args, "bk_next_runs", runs=runs)]


def _policy_json(args: argparse.Namespace, p: Any) -> dict[str, Any]:
    from dataclasses import asdict

    lang = lang_of(args)
    cap = p.capability
    return {"id": p.id, "version": p.version, **asdict(p.spec),
            "capability": {"ok": cap.ok, "interval_hours": cap.interval_hours,
                           "achievable_rpo_hours": cap.achievable_rpo_hours,
                           "rpo_target": cap.rpo_target, "rto_target": cap.rto_target,
                           "problems": [{"code": m.code, "message": m.text(lang)}
                                        for m in cap.problems]},
            "next_runs": [r.isoformat() for r in p.next_runs]}


def cmd_policies(args: argparse.Namespace) -> int:
    from govdesk.backup.policies import list_policies

    db = open_db(args)
    found = list_policies(db, acting_identity(args, db))
    emit(args, {"ok": True, "policies": [_policy_json(args, p) for p in found]},
         "\n".join(line for p in found for line in _policy_line(args, p)))
    return EXIT_OK


def _spec(args: argparse.Namespace, base: Any = None) -> Any:
    import dataclasses

    from govdesk.backup.policy import PolicySpec
    from govdesk.backup.retention import Retention

    given = {k: getattr(args, k) for k in ("name", "source", "method", "schedule_cron",
                                            "dr_level", "target", "key_id", "rpo_hours",
                                            "rto_hours") if getattr(args, k, None) is not None}
    if args.offsite:
        given["offsite_targets"] = tuple(args.offsite)
    if args.no_encryption:
        given["encrypted"], given["key_id"] = False, None
    keep = {k: getattr(args, k) for k in ("keep_last", "keep_daily", "keep_weekly",
                                           "keep_monthly", "keep_yearly", "min_copies")
            if getattr(args, k, None) is not None}
    if base is None:
        return PolicySpec(retention=Retention(**keep), **given)
    return dataclasses.replace(base, retention=dataclasses.replace(base.retention, **keep),
                               **given)


def cmd_policy_add(args: argparse.Namespace) -> int:
    from govdesk.backup.policies import create_policy

    db = open_db(args)
    p = create_policy(db, acting_identity(args, db), _spec(args))
    emit(args, {"ok": True, "policy": _policy_json(args, p)},
         say(args, "bk_policy_saved", id=p.id, name=p.spec.name))
    return EXIT_OK


def cmd_policy_edit(args: argparse.Namespace) -> int:
    from govdesk.backup.policies import list_policies, update_policy

    db = open_db(args)
    who = acting_identity(args, db)
    current = next((p for p in list_policies(db, who) if p.id == args.id), None)
    if current is None:
        from govdesk.errors import InputRejected

        raise InputRejected("backup_policy_not_found", policy=args.id)
    p = update_policy(db, who, args.id, current.version, _spec(args, current.spec))
    emit(args, {"ok": True, "policy": _policy_json(args, p)},
         say(args, "bk_policy_saved", id=p.id, name=p.spec.name))
    return EXIT_OK


def cmd_key_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.backup.keys import key_dir, new_key

    directory = Path(args.key_dir) if args.key_dir else None
    kid = new_key(use_keyring=args.keyring, directory=directory)
    where = say(args, "bk_keyring") if args.keyring else str(directory or key_dir())
    emit(args, {"ok": True, "key_id": kid}, say(args, "bk_key_made", key_id=kid, where=where))
    return EXIT_OK


def _alerts(args: argparse.Namespace, codes: tuple[str, ...]) -> str:
    return "、".join(say(args, f"bk_alert_{c}") for c in codes) if codes else say(
        args, "bk_no_alerts")


def cmd_health(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from govdesk.backup.health import health

    db = open_db(args)
    found = health(db, acting_identity(args, db))
    lines = [say(args, "bk_health_line", id=h.policy_id, name=h.name, level=h.dr_level,
                 rpo=_hours(h.achieved_rpo_hours), rpo_target=_hours(h.rpo_target),
                 rto=_hours(h.achieved_rto_hours), rto_target=_hours(h.rto_target),
                 alerts=_alerts(args, h.alerts)) for h in found]
    lang = lang_of(args)
    payload = []
    for h in found:
        item = asdict(h)
        item["problems"] = [{"code": m.code, "message": m.text(lang)} for m in h.problems]
        payload.append(item)
    emit(args, {"ok": True, "policies": payload}, "\n".join(lines))
    return EXIT_ALERTS if any(h.alerts for h in found if h.enabled) else EXIT_OK


def cmd_compliance(args: argparse.Namespace) -> int:
    from govdesk.backup.health import compliance

    db = open_db(args)
    c = compliance(db, acting_identity(args, db), resources=not args.policies_only)
    best = "—" if c.best_level is None else str(c.best_level)
    lines = [say(args, "bk_compliance_head", n=c.uncovered_total, best=best),
             *(say(args, "bk_uncovered_line", code=u.code, name=u.name, grade=u.grade_code,
                   level=u.required_level) for u in c.uncovered[:50])]
    if c.missing_targets:
        lines.append(say(args, "bk_missing_targets",
                         names="、".join(h.name for h in c.missing_targets)))
    emit(args, {"ok": True, "uncovered_total": c.uncovered_total, "best_level": c.best_level,
                "uncovered": [u.__dict__ for u in c.uncovered],
                "missing_targets": [h.policy_id for h in c.missing_targets]}, "\n".join(lines))
    return EXIT_ALERTS if c.uncovered_total or c.missing_targets else EXIT_OK


def _policy_options(p: Any, tr: Tr, new: bool) -> None:
    p.add_argument("--name", required=new, help=tr("名称", "name"))
    p.add_argument("--source", choices=("postgresql", "sqlite"), required=new, help=tr(
        "备份对象：中心 PostgreSQL 数据库或内嵌 SQLite 文件",
        "what: the central PostgreSQL database or the embedded SQLite file"))
    p.add_argument("--method", required=new, help=tr(
        "备份方式：pg_dump、sqlite、pgbackrest", "method: pg_dump, sqlite, pgbackrest"))
    p.add_argument("--cron", dest="schedule_cron", required=new, metavar="CRON", help=tr(
        "计划（cron 表达式，如 0 1 * * *）", "schedule (cron, e.g. 0 1 * * *)"))
    p.add_argument("--level", dest="dr_level", type=int, required=new, metavar="1-6",
                   help=tr("灾备等级（GB/T 20988）", "DR level (GB/T 20988)"))
    p.add_argument("--target", required=new, metavar="DIR", help=tr("本地目录", "local directory"))
    p.add_argument("--offsite", action="append", metavar="DIR", help=tr(
        "异地目录（可重复）", "off-site directory (may be repeated)"))
    p.add_argument("--key-id", metavar="ID", help=tr("备份密钥编号", "backup key id"))
    p.add_argument("--no-encryption", action="store_true", help=tr("不加密", "do not encrypt"))
    p.add_argument("--rpo", dest="rpo_hours", type=float, metavar="H", help=tr(
        "RPO 目标（小时，默认取该级的默认值）", "RPO target (hours; default: the level's)"))
    p.add_argument("--rto", dest="rto_hours", type=float, metavar="H", help=tr(
        "RTO 目标（小时）", "RTO target (hours)"))
    for name in ("keep_last", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly",
                 "min_copies"):
        p.add_argument("--" + name.replace("_", "-"), dest=name, type=int, metavar="N")


def add_parsers(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """The policy, key, health and compliance commands under ``govdesk backup``."""
    s.add_parser("policies", parents=[common], help=tr(
        "备份策略及其可达到的 RPO、下五次运行时间", "backup policies, what each can give, the next "
        "five runs")).set_defaults(func=cmd_policies)
    add = s.add_parser("policy-add", parents=[common], help=tr("新建备份策略", "add a policy"))
    _policy_options(add, tr, True)
    add.set_defaults(func=cmd_policy_add)
    edit = s.add_parser("policy-edit", parents=[common], help=tr("修改备份策略", "edit a policy"))
    edit.add_argument("id", type=int, metavar="ID")
    _policy_options(edit, tr, False)
    edit.set_defaults(func=cmd_policy_edit)
    key = s.add_parser("key-new", parents=[common], help=tr("新建备份密钥", "make a backup key"))
    key.add_argument("--keyring", action="store_true", help=tr(
        "保存在操作系统密钥环中（默认保存为密钥文件）", "keep it in the OS keyring (default: a key file)"))
    key.add_argument("--key-dir", metavar="DIR", help=tr("密钥文件目录", "key file directory"))
    key.set_defaults(func=cmd_key_new)
    s.add_parser("health", parents=[common], help=tr(
        "每个策略的备份健康状况（有告警时退出码为 6）",
        "each policy's backup health (exit code 6 on an alert)")).set_defaults(func=cmd_health)
    comp = s.add_parser("compliance", parents=[common], help=tr(
        "灾备合规：等级要求未被覆盖的资源、RPO/RTO 未达标的策略（有问题时退出码为 6）",
        "DR compliance: resources no policy covers, policies missing RPO/RTO (exit code 6 when "
        "any)"))
    comp.add_argument("--policies-only", action="store_true", help=tr(
        "只看策略（系统管理员无权查看资源目录）",
        "only the policies (a system administrator may not read the catalogue)"))
    comp.set_defaults(func=cmd_compliance)
