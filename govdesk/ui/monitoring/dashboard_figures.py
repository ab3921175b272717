"""What each dashboard card shows, from one :class:`~govdesk.monitoring.dashboard.Dashboard`:
labels in the interface language (vocabulary labels for actions, never codes), the series to
draw, the table's rows and the summary sentence read out for the chart. No arithmetic beyond
laying the service's SQL aggregates out by bucket."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from govdesk import vocab
from govdesk.monitoring.dashboard import Dashboard, Named
from govdesk.monitoring.rollups import Bucket
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import term
from govdesk.ui.monitoring.dashboard_chart import Figures, Series, column_texts


translate = QCoreApplication.translate


def _start_label(start: dt.datetime, hourly: bool) -> str:
    local = start.astimezone()
    return f"{local:%m-%d %H:00}" if hourly else f"{local:%Y-%m-%d}"


def _over_time(data: Dashboard, buckets: tuple[Bucket, ...], keys: list[str],
               names: dict[str, str]) -> tuple[tuple[str, ...], tuple[Series, ...],
                                               tuple[tuple[str, ...], ...]]:
    """Every bucket of the period (empty ones as 0) by key: x labels, series, table rows."""
    hourly = data.period.bucket == "hour"
    step = dt.timedelta(hours=1) if hourly else dt.timedelta(days=1)
    starts: list[dt.datetime] = []
    at = data.period.since
    while at < data.period.until:
        starts.append(at)
        at += step
    count = {(b.start, b.key): b.events for b in buckets}
    table = [[count.get((s, k), 0) for k in keys] for s in starts]
    labels = tuple(_start_label(s, hourly) for s in starts)
    series = tuple(Series(names[k], tuple(float(row[i]) for row in table))
                   for i, k in enumerate(keys))
    rows = tuple((labels[j], *column_texts(table[j])) for j in range(len(starts)))
    return labels, series, rows


def by_action(data: Dashboard) -> Figures:
    keys = [c for c in vocab.ACCESS_ACTION.codes if any(b.key == c for b in data.by_action)]
    keys += sorted({b.key for b in data.by_action} - set(keys))
    names = {k: term(vocab.ACCESS_ACTION, k) for k in keys}
    labels, series, rows = _over_time(data, data.by_action, keys, names)
    busiest = max(keys, key=lambda k: sum(b.events for b in data.by_action if b.key == k),
                  default=None)
    summary = translate("Dashboard", "%1 access events in the period.").replace("%1", f"{data.events:,}")
    if busiest is not None:
        summary += " " + translate("Dashboard", "Most frequent action: %1.").replace("%1", names[busiest])
    return Figures(labels, series, (translate("Dashboard", "Time"), *names.values()), rows, summary)


def by_result(data: Dashboard) -> Figures:
    names = {"granted": translate("Dashboard", "Granted"), "refused": translate("Dashboard", "Refused")}
    labels, series, rows = _over_time(data, data.by_result, ["granted", "refused"], names)
    share = data.refused / data.events if data.events else 0.0
    summary = (translate("Dashboard", "%1 of %2 access events were refused (%3).")
               .replace("%1", f"{data.refused:,}").replace("%2", f"{data.events:,}")
               .replace("%3", f"{share:.1%}"))
    return Figures(labels, series, (translate("Dashboard", "Time"), *names.values()), rows, summary)


def _top(named: tuple[Named, ...], label_of: dict[int, str], first: str,
         extra: str | None) -> Figures:
    labels = tuple(label_of[i] for i in range(len(named)))
    series = (Series(translate("Dashboard", "Events"), tuple(float(n.top.events) for n in named)),
              Series(translate("Dashboard", "Refused"), tuple(float(n.top.refused) for n in named)))
    rows = tuple((labels[i], *((n.organisation or "",) if extra else ()),
                  *column_texts((n.top.events, n.top.refused, n.top.rows)))
                 for i, n in enumerate(named))
    headers = (first, *((extra,) if extra else ()), translate("Dashboard", "Events"), translate("Dashboard", "Refused"), translate("Dashboard", "Rows"))
    summary = translate("Dashboard", "Nothing recorded in the period.") if not named else (
        translate("Dashboard", "Most events: %1 (%2).").replace("%1", labels[0])
        .replace("%2", f"{named[0].top.events:,}"))
    return Figures(labels, series, headers, rows, summary, bars=True)


def top_users(data: Dashboard) -> Figures:
    return _top(data.top_users, {i: n.top.key for i, n in enumerate(data.top_users)},
                translate("Dashboard", "User"), translate("Dashboard", "Organisation"))


def top_resources(data: Dashboard) -> Figures:
    def name(n: Named) -> str:
        if not n.top.key:
            return translate("Dashboard", "(no resource: logins, searches)")
        return n.name or translate("Dashboard", "Resource #%1").replace("%1", n.top.key)

    return _top(data.top_resources, {i: name(n) for i, n in enumerate(data.top_resources)},
                translate("Dashboard", "Resource"), None)


def coverage(data: Dashboard) -> Figures:
    assert data.coverage is not None
    rows_in = [r for r in data.coverage.level("") if r.resources]
    labels = tuple(r.label for r in rows_in)
    series = (Series(translate("Dashboard", "Resources graded %"), tuple(
        100.0 * r.graded_resources / r.resources for r in rows_in)),)
    rows = tuple((r.label, *column_texts((r.resources, r.graded_resources, r.items,
                                          r.graded_items)), f"{r.share:.0%}") for r in rows_in)
    t = data.coverage.total
    summary = (translate("Dashboard", "%1 of %2 resources and %3 of %4 data items are graded.")
               .replace("%1", f"{t.graded_resources:,}").replace("%2", f"{t.resources:,}")
               .replace("%3", f"{t.graded_items:,}").replace("%4", f"{t.items:,}"))
    return Figures(labels, series, (translate("Dashboard", "Category"), translate("Dashboard", "Resources"), translate("Dashboard", "Graded resources"),
                                    translate("Dashboard", "Data items"), translate("Dashboard", "Graded data items"), translate("Dashboard", "Graded")),
                   rows, summary, bars=True)


def expiring(data: Dashboard) -> Figures:
    alerts = data.expiring
    labels = tuple(a.resource_name or a.resource_code or translate("Dashboard", "Grant %1").replace(
        "%1", str(a.grant_id)) for a in alerts)
    series = (Series(translate("Dashboard", "Days left"), tuple(float(a.days) for a in alerts)),)
    rows = tuple((labels[i], a.grantee_name or "", f"{a.due:%Y-%m-%d}", str(a.days))
                 for i, a in enumerate(alerts))
    summary = translate("Dashboard", "No grant expires soon.") if not alerts else (
        translate("Dashboard", "%1 grant(s) expire soon; the first on %2.").replace("%1", str(len(alerts)))
        .replace("%2", f"{alerts[0].due:%Y-%m-%d}"))
    return Figures(labels, series, (translate("Dashboard", "Resource"), translate("Dashboard", "Grantee"), translate("Dashboard", "Last day"),
                                    translate("Dashboard", "Days left")), rows, summary, bars=True)


def alerts(data: Dashboard) -> Figures:
    counts = data.alerts
    labels = tuple(term(vocab.MONITOR_SEVERITY, c.severity) for c in counts)
    series = (Series(term(vocab.MONITOR_ALERT_STATE, "open"), tuple(float(c.open) for c in counts)),
              Series(term(vocab.MONITOR_ALERT_STATE, "acknowledged"),
                     tuple(float(c.acknowledged) for c in counts)))
    rows = tuple((labels[i], *column_texts((c.open, c.acknowledged)))
                 for i, c in enumerate(counts))
    total = sum(c.open + c.acknowledged for c in counts)
    summary = translate("Dashboard", "No alert is waiting.") if not total else (
        translate("Dashboard", "%1 alerts are not closed yet, %2 of them still open.")
        .replace("%1", f"{total:,}").replace("%2", f"{sum(c.open for c in counts):,}"))
    return Figures(labels, series, (translate("Dashboard", "Severity"),
                                    term(vocab.MONITOR_ALERT_STATE, "open"),
                                    term(vocab.MONITOR_ALERT_STATE, "acknowledged")),
                   rows, summary, bars=True)


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def backup(data: Dashboard) -> Figures:
    policies = data.backup
    labels = tuple(p.name for p in policies)
    series = (Series(translate("Dashboard", "Hours since the newest good backup"), tuple(
        float(p.achieved_rpo_hours or 0.0) for p in policies)),)
    rows = tuple((p.name, str(p.dr_level), _hours(p.achieved_rpo_hours), _hours(p.rpo_target),
                  fmt_datetime(p.last_good.finished_at) if p.last_good else "—",
                  str(len(p.failed_jobs)),
                  translate("Dashboard", "Yes") if p.alerts else translate("Dashboard", "No"))
                 for p in policies)
    failing = sum(1 for p in policies if p.alerts)
    summary = translate("Dashboard", "No backup policy yet.") if not policies else (
        translate("Dashboard", "%1 backup policies; %2 need attention.")
        .replace("%1", str(len(policies))).replace("%2", str(failing)))
    return Figures(labels, series, (
        translate("Dashboard", "Policy"), translate("Dashboard", "DR level"),
        translate("Dashboard", "Achieved RPO (h)"), translate("Dashboard", "Target RPO (h)"),
        translate("Dashboard", "Newest good backup"), translate("Dashboard", "Failed jobs"),
        translate("Dashboard", "Needs attention")), rows, summary, bars=True)
