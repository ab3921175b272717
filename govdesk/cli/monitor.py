"""``govdesk monitor …``: alert rules and alerts, for a scheduler and for security officers.

- ``run [--rule CODE ...]``: every enabled rule over the events since its watermark
  (:func:`govdesk.monitoring.run.run_rules`); exit code **6** (:data:`EXIT_ALERTS`) when the run
  raised or folded anything (a scheduler mails the report only then), else 0.
- ``alerts [--state S] [--severity S] [--rule R] [--limit N]``: the alerts, most recently seen
  first; exit code 6 when any listed alert is not closed, else 0.
- ``show ID``, ``ack ID [--note] [--assign USER]``, ``assign ID USER``, ``note ID TEXT``,
  ``close ID --disposition D [--note]``: one alert and its triage.
- ``rules [--days N]`` (with each rule's hit rate), ``rule-set CODE [--param NAME=VALUE ...]
  [--severity S] [--enable|--disable]``; ``calendar [--year Y]``, ``calendar-set DAY KIND``,
  ``calendar-remove DAY``: the working calendar's corrections.

1/2/3/4 as everywhere (bad input, usage, a refused role, a conflict); ``--json`` everywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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
from govdesk.errors import UsageError


def _acting(args: argparse.Namespace) -> tuple[Any, Any]:
    db = open_db(args)
    return db, acting_identity(args, db)


def _label(words: vocab.Vocabulary, code: str | None, args: argparse.Namespace) -> str:
    return words.label(code, lang_of(args)) if code else "-"


def _when(ts: dt.datetime | None) -> str:
    from govdesk.security.audit_labels import local_time

    return local_time(ts) if ts else "-"


def subject_text(a: Any) -> str:
    """Who (and which resource) an alert is about."""
    if a.resource_id is not None:
        return f"{a.username or '-'} → #{a.resource_id}"
    return str(a.username or a.subject_key)


def alert_line(args: argparse.Namespace, a: Any) -> str:
    assignee = say(args, "monitor_assigned", user=a.assignee) if a.assignee else ""
    return say(args, "monitor_alert_line", id=a.id,
               severity=_label(vocab.MONITOR_SEVERITY, a.severity, args),
               state=_label(vocab.MONITOR_ALERT_STATE, a.state, args),
               rule=_label(vocab.MONITOR_RULE_KIND, a.kind, args), subject=subject_text(a),
               count=a.count, first=_when(a.first_seen), last=_when(a.last_seen),
               assignee=assignee)


def alert_json(args: argparse.Namespace, a: Any) -> dict[str, Any]:
    out: dict[str, Any] = a.to_json()
    out.update(kind_label=_label(vocab.MONITOR_RULE_KIND, a.kind, args),
               state_label=_label(vocab.MONITOR_ALERT_STATE, a.state, args),
               severity_label=_label(vocab.MONITOR_SEVERITY, a.severity, args),
               disposition_label=_label(vocab.MONITOR_DISPOSITION, a.disposition, args))
    return out


def cmd_run(args: argparse.Namespace) -> int:
    from govdesk.monitoring.run import run_rules

    report = run_rules(*_acting(args), rules=args.rule or None)
    lines = [say(args, "monitor_run_line", rule=r.code, events=r.events, hits=r.hits,
                 raised=r.raised, folded=r.folded) for r in report.rules]
    lines.append(say(args, "monitor_run_total", raised=report.raised, folded=report.folded,
                     open=report.open_alerts))
    emit(args, {"ok": True, **report.to_json(), "raised": report.raised,
                "folded": report.folded}, "\n".join(lines))
    return EXIT_ALERTS if report.raised or report.folded else EXIT_OK


def cmd_alerts(args: argparse.Namespace) -> int:
    from govdesk.monitoring.alerts import count_alerts, list_alerts
    from govdesk.monitoring.alert_dto import AlertFilter

    db, who = _acting(args)
    f = AlertFilter(args.state, args.severity, args.rule, limit=args.limit)
    found = list_alerts(db, who, f)
    total = count_alerts(db, who, f)
    lines = [alert_line(args, a) for a in found]
    lines.append(say(args, "monitor_alerts_count", n=total, shown=len(found)) if found
                 else say(args, "monitor_alerts_none"))
    emit(args, {"ok": True, "count": total, "alerts": [alert_json(args, a) for a in found]},
         "\n".join(lines))
    return EXIT_ALERTS if any(a.state != "closed" for a in found) else EXIT_OK


def _history_line(args: argparse.Namespace, h: Any) -> str:
    step = (say(args, "monitor_history_raised") if h.from_state is None else
            say(args, "monitor_history_step",
                before=_label(vocab.MONITOR_ALERT_STATE, h.from_state, args),
                after=_label(vocab.MONITOR_ALERT_STATE, h.to_state, args)))
    note = say(args, "monitor_history_note", text=h.note) if h.note else ""
    return say(args, "monitor_history_line", at=_when(h.at), actor=h.actor, step=step, note=note)


def show_detail(args: argparse.Namespace, d: Any) -> int:
    a = d.alert
    lines = [say(args, "monitor_detail_head", id=a.id, rule=a.rule_code,
                 kind=_label(vocab.MONITOR_RULE_KIND, a.kind, args),
                 severity=_label(vocab.MONITOR_SEVERITY, a.severity, args),
                 state=_label(vocab.MONITOR_ALERT_STATE, a.state, args)),
             say(args, "monitor_detail_subject", subject=subject_text(a), count=a.count,
                 hits=a.hits, first=_when(a.first_seen), last=_when(a.last_seen))]
    if a.disposition:
        lines.append(say(args, "monitor_detail_disposition",
                         label=_label(vocab.MONITOR_DISPOSITION, a.disposition, args)))
    lines += [say(args, "monitor_detail_history"), *(_history_line(args, h) for h in d.history)]
    emit(args, {"ok": True, "alert": alert_json(args, a),
                "history": [h.to_json() for h in d.history]}, "\n".join(lines))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from govdesk.monitoring.alerts import alert_detail

    return show_detail(args, alert_detail(*_acting(args), args.id))


def cmd_step(args: argparse.Namespace) -> int:
    from govdesk.monitoring import alerts

    db, who = _acting(args)
    if args.step == "ack":
        d = alerts.acknowledge(db, who, args.id, note=args.note, assignee=args.assign)
    elif args.step == "assign":
        d = alerts.assign(db, who, args.id, args.user, note=args.note)
    elif args.step == "note":
        d = alerts.annotate(db, who, args.id, args.text)
    else:
        d = alerts.close_alert(db, who, args.id, args.disposition, note=args.note)
    emit(args, {"ok": True, "alert": alert_json(args, d.alert)},
         say(args, "monitor_step_done", id=d.alert.id,
             state=_label(vocab.MONITOR_ALERT_STATE, d.alert.state, args)))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from govdesk.monitoring.rates import hit_rates
    from govdesk.monitoring.rules import list_rules

    db, who = _acting(args)
    rates = {r.code: r for r in hit_rates(db, who, args.days)}
    rules = list_rules(db, who)
    lines = []
    for r in rules:
        rate = rates[r.code]
        lines.append(say(args, "monitor_rule_line", code=r.code,
                         kind=_label(vocab.MONITOR_RULE_KIND, r.kind, args),
                         enabled=say(args, "monitor_enabled" if r.enabled else "monitor_disabled"),
                         severity=_label(vocab.MONITOR_SEVERITY, r.severity, args),
                         params=json.dumps(r.parameters, ensure_ascii=False), days=args.days,
                         raised=rate.raised, live=rate.open + rate.acknowledged,
                         tp=rate.true_positive, benign=rate.benign, fp=rate.false_positive))
    emit(args, {"ok": True, "rules": [{**r.to_json(), "hit_rate": rates[r.code].to_json(),
                                       "precision": rates[r.code].precision} for r in rules]},
         "\n".join(lines))
    return EXIT_OK


def _params(values: list[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    out = {}
    for v in values:
        name, sep, value = v.partition("=")
        if not sep or not name.strip():
            raise UsageError("monitor_param_syntax", value=v)
        out[name.strip()] = value.strip()
    return out


def cmd_rule_set(args: argparse.Namespace) -> int:
    from govdesk.monitoring.rules import list_rules, edit_rule

    db, who = _acting(args)
    given = _params(args.param)
    if given is not None:  # the parameters not named keep their values
        current = {r.code: r.parameters for r in list_rules(db, who)}.get(args.code, {})
        given = {**current, **given}
    saved = edit_rule(db, who, args.code, parameters=given, severity=args.severity,
                      enabled=args.enabled)
    emit(args, {"ok": True, "rule": saved.to_json()}, say(args, "monitor_rule_saved",
                                                          code=saved.code))
    return EXIT_OK


def cmd_calendar(args: argparse.Namespace) -> int:
    from govdesk.monitoring import rules
    from govdesk.monitoring.calendar import coverage

    db, who = _acting(args)
    if args.calendar_step == "list":
        days = rules.calendar_days(db, who, args.year)
        lines = [say(args, "monitor_day_line", day=d.day.isoformat(),
                     kind=_label(vocab.MONITOR_DAY_KIND, d.kind, args), note=d.note,
                     user=d.updated_by or "-") for d in days] or [say(args, "monitor_days_none")]
        year = args.year or dt.date.today().year
        missing = coverage([year, year + 1])
        if missing:
            lines.append(say(args, "monitor_calendar_fallback",
                             years="、".join(map(str, missing))))
        emit(args, {"ok": True, "days": [d.to_json() for d in days],
                    "weekend_only_years": missing}, "\n".join(lines))
        return EXIT_OK
    day = dt.date.fromisoformat(args.day) if _is_day(args.day) else None
    if day is None:
        raise UsageError("sharing_bad_date", value=args.day)
    if args.calendar_step == "set":
        d = rules.set_calendar_day(db, who, day, args.kind, args.note or "")
        text = say(args, "monitor_day_saved", day=day.isoformat(),
                   kind=_label(vocab.MONITOR_DAY_KIND, d.kind, args))
    else:
        gone = rules.remove_calendar_day(db, who, day)
        text = say(args, "monitor_day_removed" if gone else "monitor_day_absent",
                   day=day.isoformat())
    emit(args, {"ok": True, "day": day.isoformat()}, text)
    return EXIT_OK


def _is_day(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _add_alerts(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    al = s.add_parser("alerts", parents=[common], help=tr(
        "列出监测告警（有未关闭的告警时退出码为 6）",
        "list monitoring alerts (exit code 6 when any listed alert is not closed)"))
    al.add_argument("--state", type=term_type(vocab.MONITOR_ALERT_STATE, tr),
                    help=tr("状态：待处理、已确认、已关闭", "state: open, acknowledged, closed"))
    al.add_argument("--severity", type=term_type(vocab.MONITOR_SEVERITY, tr),
                    help=tr("级别：低、中、高", "severity: low, medium, high"))
    al.add_argument("--rule", help=tr("规则编码", "rule code"))
    al.add_argument("--limit", type=int, default=50, help=tr("最多列出几条（默认 50）",
                                                             "at most this many (default 50)"))
    al.set_defaults(func=cmd_alerts)
    sh = s.add_parser("show", parents=[common], help=tr("查看一条告警及其处理记录",
                                                        "one alert with its history"))
    sh.add_argument("id", type=int, help=tr("告警编号", "alert number"))
    sh.set_defaults(func=cmd_show)
    ack = s.add_parser("ack", parents=[common], help=tr("确认告警（待处理 → 已确认）",
                                                        "acknowledge an alert (open → acknowledged)"))
    ack.add_argument("id", type=int, help=tr("告警编号", "alert number"))
    ack.add_argument("--note", help=tr("备注", "a note"))
    ack.add_argument("--assign", metavar="USER", help=tr("指派给此安全管理员",
                                                         "assign it to this security administrator"))
    ack.set_defaults(func=cmd_step, step="ack")
    asg = s.add_parser("assign", parents=[common], help=tr("指派告警", "assign an alert"))
    asg.add_argument("id", type=int, help=tr("告警编号", "alert number"))
    asg.add_argument("user", help=tr("安全管理员的登录名（空字符串为取消指派）",
                                     "a security administrator's login ('' unassigns)"))
    asg.add_argument("--note", help=tr("备注", "a note"))
    asg.set_defaults(func=cmd_step, step="assign")
    note = s.add_parser("note", parents=[common], help=tr("为告警添加备注", "annotate an alert"))
    note.add_argument("id", type=int, help=tr("告警编号", "alert number"))
    note.add_argument("text", help=tr("备注", "the note"))
    note.set_defaults(func=cmd_step, step="note")
    close = s.add_parser("close", parents=[common], help=tr(
        "关闭已确认的告警并给出处置结论", "close an acknowledged alert with a disposition"))
    close.add_argument("id", type=int, help=tr("告警编号", "alert number"))
    close.add_argument("--disposition", required=True,
                       type=term_type(vocab.MONITOR_DISPOSITION, tr), help=tr(
        "处置结论：属实（真实风险）、属实但属正常业务、误报",
        "disposition: true_positive, benign, false_positive"))
    close.add_argument("--note", help=tr("备注", "a note"))
    close.set_defaults(func=cmd_step, step="close")


def _add_rules(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    rl = s.add_parser("rules", parents=[common], help=tr("列出监测规则及其命中情况",
                                                         "list the rules with their hit rates"))
    rl.add_argument("--days", type=int, default=30, help=tr("统计最近几天（默认 30）",
                                                            "over the last N days (default 30)"))
    rl.set_defaults(func=cmd_rules)
    rs = s.add_parser("rule-set", parents=[common], help=tr("修改监测规则的阈值、级别或开关",
                                                            "change a rule's thresholds, "
                                                            "severity or switch"))
    rs.add_argument("code", help=tr("规则编码", "rule code"))
    rs.add_argument("--param", action="append", metavar="NAME=VALUE",
                    help=tr("参数（可重复），如 rows=8000", "a parameter (may be repeated), "
                            "e.g. rows=8000"))
    rs.add_argument("--severity", type=term_type(vocab.MONITOR_SEVERITY, tr),
                    help=tr("级别：低、中、高", "severity: low, medium, high"))
    rs.add_argument("--enable", dest="enabled", action="store_const", const=True,
                    help=tr("启用", "enable"))
    rs.add_argument("--disable", dest="enabled", action="store_const", const=False,
                    help=tr("停用", "disable"))
    rs.set_defaults(func=cmd_rule_set)
    cal = s.add_parser("calendar", parents=[common], help=tr("列出工作日历调整",
                                                             "list the calendar corrections"))
    cal.add_argument("--year", type=int, help=tr("年份", "year"))
    cal.set_defaults(func=cmd_calendar, calendar_step="list")
    cs = s.add_parser("calendar-set", parents=[common], help=tr(
        "将某天设为休息日或工作日（优先于官方日历）",
        "make a day a day off or a working day (over the official calendar)"))
    cs.add_argument("day", help=tr("日期 YYYY-MM-DD", "day YYYY-MM-DD"))
    cs.add_argument("kind", type=term_type(vocab.MONITOR_DAY_KIND, tr),
                    help=tr("休息日或工作日", "holiday or workday"))
    cs.add_argument("--note", help=tr("说明", "a note"))
    cs.set_defaults(func=cmd_calendar, calendar_step="set")
    cr = s.add_parser("calendar-remove", parents=[common], help=tr("取消某天的调整",
                                                                   "drop a day's correction"))
    cr.add_argument("day", help=tr("日期 YYYY-MM-DD", "day YYYY-MM-DD"))
    cr.set_defaults(func=cmd_calendar, calendar_step="remove")


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk monitor …`` to the main parser's sub-commands."""
    top = sub.add_parser("monitor", parents=[common], help=tr(
        "监测告警：运行规则、处置告警、调整规则和工作日历",
        "monitoring: run the rules, triage alerts, tune rules and the working calendar"))
    s = top.add_subparsers(dest="monitor_command", metavar=tr("操作", "ACTION"), required=True)
    run = s.add_parser("run", parents=[common], help=tr(
        "运行所有启用的监测规则（供计划任务调用；有新命中时退出码为 6）",
        "run every enabled rule (for a scheduler; exit code 6 when anything was hit)"))
    run.add_argument("--rule", action="append", metavar="CODE",
                     help=tr("只运行此规则（可重复）", "only this rule (may be repeated)"))
    run.set_defaults(func=cmd_run)
    _add_alerts(s, common, tr)
    _add_rules(s, common, tr)
