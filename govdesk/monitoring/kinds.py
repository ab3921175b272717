"""The kinds of alert rule and their parameters: what each parameter is, its bounds, and the
validation every edit goes through (:func:`validate`). Rules themselves are rows of
``monitor_rules`` (seeded by migration 0037 with one rule of each kind, :data:`DEFAULT_RULES`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govdesk import vocab
from govdesk.errors import InputRejected
from govdesk.monitoring.alert_messages import PARAMS


@dataclass(frozen=True)
class Param:
    """One parameter: ``kind`` is ``int``, ``float`` or ``time`` (HH:MM); bounds included."""

    name: str
    kind: str
    low: float = 0
    high: float = 0


def _i(name: str, low: int, high: int) -> Param:
    return Param(name, "int", low, high)


#: kind -> its parameters
PARAMETERS: dict[str, tuple[Param, ...]] = {
    "after_hours": (_i("min_rank", 0, 1000), Param("work_start", "time"),
                    Param("work_end", "time")),
    "volume_baseline": (Param("factor", "float", 1, 100), _i("minimum", 1, 10_000_000),
                        _i("baseline_days", 7, 90)),
    "denial_burst": (_i("count", 2, 100_000), _i("minutes", 1, 1440)),
    "first_high_grade": (_i("min_rank", 0, 1000),),
    "bulk_export": (_i("rows", 1, 1_000_000_000),),
    "no_active_grant": (),
    "new_host": (),
    "dormant_active": (_i("days", 7, 3650),),
}

#: the rules 0037 seeds: (code, kind, parameters, severity)
DEFAULT_RULES: tuple[tuple[str, str, dict[str, Any], str], ...] = (
    ("after_hours", "after_hours", {"min_rank": 30, "work_start": "08:30", "work_end": "18:00"},
     "low"),
    ("volume_baseline", "volume_baseline", {"factor": 3.0, "minimum": 200, "baseline_days": 30},
     "medium"),
    ("denial_burst", "denial_burst", {"count": 10, "minutes": 5}, "medium"),
    ("first_high_grade", "first_high_grade", {"min_rank": 40}, "medium"),
    ("bulk_export", "bulk_export", {"rows": 5000}, "high"),
    ("no_active_grant", "no_active_grant", {}, "high"),
    ("new_host", "new_host", {}, "low"),
    ("dormant_active", "dormant_active", {"days": 60}, "medium"),
)

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time(value: str) -> dt.time:
    """``HH:MM`` as a time (the format :func:`validate` accepted)."""
    hours, minutes = str(value).split(":")
    return dt.time(int(hours), int(minutes))


def _number(rule: str, p: Param, value: Any) -> int | float:
    kind = "整数" if p.kind == "int" else "数"
    try:
        if isinstance(value, bool):
            raise ValueError
        number: int | float = int(str(value)) if p.kind == "int" else float(str(value))
    except ValueError:
        number = float("nan")
    if not (p.low <= number <= p.high):  # NaN fails too
        low, high = (int(p.low), int(p.high)) if p.kind == "int" else (p.low, p.high)
        raise InputRejected("monitor_param_range", rule=rule, name=PARAMS[p.name], low=low,
                            high=high, kind=kind, value=str(value))
    return number


def validate(rule: str, kind: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of a rule of ``kind``, checked and normalised (numbers as numbers, times
    as ``HH:MM``); raises :class:`InputRejected` naming the rule and the parameter."""
    specs = {p.name: p for p in PARAMETERS[kind]}
    for name in parameters:
        if name not in specs:
            allowed = "、".join(specs) or "—"
            raise InputRejected("monitor_param_unknown", rule=rule, name=name, allowed=allowed)
    out: dict[str, Any] = {}
    for name, p in specs.items():
        if name not in parameters:
            raise InputRejected("monitor_param_missing", rule=rule, name=PARAMS[name])
        value = parameters[name]
        if p.kind == "time":
            match = _TIME.match(str(value).strip())
            if not match:
                raise InputRejected("monitor_param_time", rule=rule, name=PARAMS[name],
                                    value=str(value))
            out[name] = f"{int(match.group(1)):02d}:{match.group(2)}"
        else:
            out[name] = _number(rule, p, value)
    if kind == "after_hours" and out["work_start"] >= out["work_end"]:
        raise InputRejected("monitor_hours_order", rule=rule, start=out["work_start"],
                            end=out["work_end"])
    return out


def check_severity(value: str) -> str:
    """``value`` if it is a severity code, else :class:`InputRejected`."""
    if value not in vocab.MONITOR_SEVERITY.codes:
        raise InputRejected("monitor_severity_bad", value=value,
                            allowed=vocab.MONITOR_SEVERITY.choices())
    return value
