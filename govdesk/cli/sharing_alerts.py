"""``govdesk sharing alerts`` and ``govdesk sharing expire-due``: what a scheduled task runs.

Part of the ``sharing`` group (:mod:`govdesk.cli.sharing` registers these sub-commands with
:func:`add_parsers` and names grantees with :func:`grantee_label`); this module imports only
:mod:`govdesk.cli.common` and services.

- ``alerts [--kind K ...] [--days N]``: the caller's sharing alerts
  (:func:`govdesk.sharing.alerts.list_alerts`), soonest due first. Exit code 0 when there is
  none, **6** (:data:`govdesk.errors.EXIT_ALERTS`) when there is at least one, so a scheduler
  sends the report only then; 1/2/3 as everywhere for bad input, usage, a refused role.
- ``expire-due``: marks unanswered requests lapsed, then lists the reminders due (grants ending
  within ``sharing.expiry_warning_days``, requests lapsing within
  ``sharing.request_reminder_days``), so one cron job both marks and reminds. Exit code 0.
"""

from __future__ import annotations

import argparse
from typing import Any

from govdesk import vocab
from govdesk.cli.common import (
    EXIT_ALERTS,
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    say,
    term_type,
)


def grantee_label(args: argparse.Namespace, g: Any) -> str:
    """The grantee of a grant or an alert: the organisation's name, or the scope in words
    ("杭州市所有县级残疾人联合会", as the GUI says it)."""
    if g.grantee_name or not g.scope:
        return str(g.grantee_name or "-")
    return scope_words(args, g.scope, _region_name(args, g.scope.region_prefix))


def scope_words(args: argparse.Namespace, scope: Any, region_name: str | None) -> str:
    """A grant scope in words, its region by ``region_name`` (else by its prefix)."""
    lang = lang_of(args)
    zh = lang.startswith("zh")
    kind = (vocab.ORG_KIND.label(scope.org_kind, lang) if scope.org_kind
            else say(args, "sharing_scope_any_kind"))
    level = ("" if scope.org_level is None
             else vocab.REGION_LEVEL.label(str(scope.org_level), lang) + ("" if zh else " "))
    where = region_name or say(args, "sharing_scope_region", prefix=scope.region_prefix)
    return say(args, "sharing_scope", where=where, kind=kind if zh else kind.lower(),
               level=level if zh else level.lower())


def _region_name(args: argparse.Namespace, prefix: str) -> str | None:
    """The name of the region a scope prefix stands for (looked up once per command, as the
    command's own login)."""
    from govdesk.security.regions import region_names

    cache: dict[str, str | None] = args.__dict__.setdefault("scope_region_names", {})
    if prefix not in cache:
        acting = getattr(args, "acting", None)
        code = prefix.ljust(12, "0")
        if acting is None:
            cache[prefix] = None
        else:
            db, who = acting
            cache[prefix] = region_names(db, who, [code]).get(code)
    return cache[prefix]


def _when(args: argparse.Namespace, a: Any) -> str:
    if a.kind == "unused":
        last = a.last_used.isoformat() if a.last_used else say(args, "sharing_alert_never_used")
        return say(args, "sharing_alert_when_unused", idle=a.idle_days, last=last)
    return say(args, f"sharing_alert_when_{a.kind}", due=a.due.isoformat(), days=a.days)


def alert_line(args: argparse.Namespace, a: Any) -> str:
    """One alert on one line: grant, kind, resource, grantee, when, who should do what."""
    lang = lang_of(args)
    return say(args, "sharing_alert_line", id=a.grant_id,
               kind=vocab.GRANT_ALERT.label(a.kind, lang), resource=a.resource_code or "-",
               name=a.resource_name or "-", grantee=grantee_label(args, a), when=_when(args, a),
               actor=vocab.GRANT_ALERT_ACTOR.label(a.actor, lang),
               action=vocab.GRANT_ALERT_ACTION.label(a.action, lang))


def alert_json(args: argparse.Namespace, a: Any) -> dict[str, Any]:
    """The alert's JSON, its codes' labels (``*_label``) in the user's language beside them."""
    lang = lang_of(args)
    out: dict[str, Any] = a.to_json()
    out.update(kind_label=vocab.GRANT_ALERT.label(a.kind, lang),
               action_label=vocab.GRANT_ALERT_ACTION.label(a.action, lang),
               actor_label=vocab.GRANT_ALERT_ACTOR.label(a.actor, lang),
               state_label=vocab.GRANT_STATE.label(a.state, lang),
               grantee_label=grantee_label(args, a))
    return out


def cmd_alerts(args: argparse.Namespace) -> int:
    from govdesk.sharing.alerts import list_alerts

    db = open_db(args)
    found = list_alerts(db, acting_identity(args, db), kinds=set(args.kind or ()) or None,
                        within_days=args.days)
    lines = [alert_line(args, a) for a in found]
    summary = say(args, "sharing_alerts_count", n=len(found)) if found else say(
        args, "sharing_alerts_none")
    emit(args, {"ok": True, "count": len(found), "alerts": [alert_json(args, a) for a in found]},
         "\n".join([*lines, summary]))
    return EXIT_ALERTS if found else EXIT_OK


def cmd_expire_due(args: argparse.Namespace) -> int:
    from govdesk.sharing.alerts import list_alerts
    from govdesk.sharing.decisions import expire_due

    db = open_db(args)
    who = acting_identity(args, db)
    lapsed = expire_due(db, who)
    reminders = list_alerts(db, who, kinds={"expiring", "request_waiting"})
    lines = [say(args, "sharing_lapsed", n=len(lapsed))]
    if reminders:
        lines += [say(args, "sharing_reminders"), *(alert_line(args, a) for a in reminders)]
    emit(args, {"ok": True, "lapsed": [g.id for g in lapsed],
                "reminders": [alert_json(args, a) for a in reminders]}, "\n".join(lines))
    return EXIT_OK


def add_parsers(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """``alerts`` and ``expire-due`` under ``govdesk sharing``."""
    kinds = tr("、".join(f"{t.code} {t.zh}" for t in vocab.GRANT_ALERT.terms),
               ", ".join(f"{t.code} ({t.en})" for t in vocab.GRANT_ALERT.terms))
    al = s.add_parser("alerts", parents=[common], help=tr(
        "需要处理的共享提醒：即将到期、长期未使用、申请即将或已经逾期（有提醒时退出码为 6）",
        "sharing alerts: grants ending soon or unused, requests about to lapse or past it "
        "(exit code 6 when there are any)"))
    al.add_argument("--kind", action="append", type=term_type(vocab.GRANT_ALERT, tr),
                    metavar="KIND", help=tr(
        "只列此类提醒（可重复）：", "only this kind (may be repeated): ") + kinds)
    al.add_argument("--days", type=int, metavar="N", help=tr(
        "提醒 N 天内到期的授权（默认取安全设置 sharing.expiry_warning_days）",
        "grants ending within N days (default: the setting sharing.expiry_warning_days)"))
    al.set_defaults(func=cmd_alerts)
    s.add_parser("expire-due", parents=[common], help=tr(
        "将逾期未审批的申请标记为失效，并列出到期提醒（供计划任务运行）",
        "mark unanswered requests lapsed and list the reminders due (for a scheduled "
        "task)")).set_defaults(func=cmd_expire_due)
