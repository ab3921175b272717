"""The column mapping of an access-log source (saved with the source, as JSON): which column of
the exchange platform's log holds each field of an access event and how its values read, or,
for pgAudit, the server's ``log_line_prefix`` and which tables are which resources.

An exchange mapping::

    {"columns": {"time": "访问时间", "user": "用户", "organisation": "单位编码",
                 "resource": "资源编码", "action": "操作", "result": "结果",
                 "client_host": "IP", "row_count": "行数"},
     "time_format": "%Y-%m-%d %H:%M:%S",      # or "iso" (the default)
     "timezone": "Asia/Shanghai",             # for times without an offset (default)
     "actions": {"查询": "query", "下载": "download"},
     "results": {"成功": true, "失败": false},
     "delimiter": ","}                        # CSV only

``time``, ``user`` and ``action`` are required; an action value may also be a code or a label
of :data:`govdesk.vocab.ACCESS_ACTION`; results default to the usual words (成功/失败,
success/failure, true/false, 1/0, ok/denied). A pgAudit mapping::

    {"line_prefix": "%m [%p] %q%u@%d ", "timezone": "UTC",
     "classes": {"READ": "query"}, "commands": {"COPY": "export"},
     "objects": {"public.persons": "101/000001"}, "organisation": "330000"}

Entries of a class the mapping does not name (WRITE, DDL, ROLE...) are not accesses to read
data: they are counted and reported as ignored, never imported in silence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from govdesk import vocab
from govdesk.errors import InputRejected
from govdesk.monitoring import import_messages as _messages  # noqa: F401  (registers codes)

FIELDS = ("time", "user", "organisation", "resource", "action", "result", "client_host",
          "row_count")
REQUIRED = ("time", "user", "action")

RESULTS: dict[str, bool] = {
    "成功": True, "失败": False, "success": True, "failure": False, "succeeded": True,
    "failed": False, "ok": True, "denied": False, "true": True, "false": False, "1": True,
    "0": False, "允许": True, "拒绝": False,
}


@dataclass(frozen=True)
class ExchangeMapping:
    """How an exchange-platform log (CSV or JSON lines) reads (see the module)."""

    columns: dict[str, str]
    time_format: str = "iso"
    timezone: str = "Asia/Shanghai"
    actions: dict[str, str] = field(default_factory=dict)
    results: dict[str, bool] = field(default_factory=dict)
    delimiter: str = ","

    def action_of(self) -> dict[str, str]:
        """External value -> action code: the mapping's own, then every code and label."""
        known: dict[str, str] = {}
        for term in vocab.ACCESS_ACTION.terms:
            known[term.code] = term.code
            known[term.zh] = term.code
            known[term.en] = term.code
            known[term.en.lower()] = term.code
        known.update(self.actions)
        return known

    def result_of(self) -> dict[str, bool]:
        return {**RESULTS, **{k.lower(): v for k, v in self.results.items()}}


@dataclass(frozen=True)
class PgAuditMapping:
    """How a PostgreSQL server log with pgAudit entries reads (see the module)."""

    line_prefix: str = "%m [%p] %q%u@%d "
    timezone: str = "UTC"
    classes: dict[str, str] = field(default_factory=lambda: {"READ": "query"})
    commands: dict[str, str] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)
    organisation: str | None = None


Mapping = ExchangeMapping | PgAuditMapping


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputRejected("mapping_timezone_bad", zone=name) from exc
    return name


def _strings(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InputRejected("mapping_bad", reason=f"{what}: {{\"…\": \"…\"}}")
    return dict(value)


def _actions(value: Any) -> dict[str, str]:
    actions = _strings(value, "actions")
    codes = vocab.ACCESS_ACTION.codes
    for external, code in actions.items():
        if code not in codes:
            raise InputRejected("mapping_action_bad", value=external, action=code,
                                known=", ".join(codes))
    return actions


def exchange_mapping(data: dict[str, Any]) -> ExchangeMapping:
    """An exchange mapping from its JSON form; :class:`InputRejected` naming what is wrong."""
    columns = _strings(data.get("columns", {}), "columns")
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise InputRejected("mapping_bad", reason=f"columns: {', '.join(unknown)} ∉ "
                                                  f"{', '.join(FIELDS)}")
    for name in REQUIRED:
        if not columns.get(name):
            raise InputRejected("mapping_required", field=_messages.FIELDS[name])
    results = data.get("results", {})
    if not isinstance(results, dict) or not all(isinstance(v, bool) for v in results.values()):
        raise InputRejected("mapping_bad", reason="results: {\"…\": true|false}")
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise InputRejected("mapping_bad", reason="delimiter: one character")
    time_format = data.get("time_format", "iso")
    if not isinstance(time_format, str) or not time_format:
        raise InputRejected("mapping_bad", reason="time_format")
    return ExchangeMapping(columns, time_format, _zone(str(data.get("timezone", "Asia/Shanghai"))),
                           _actions(data.get("actions", {})), dict(results), delimiter)


def pgaudit_mapping(data: dict[str, Any]) -> PgAuditMapping:
    """A pgAudit mapping from its JSON form; :class:`InputRejected` naming what is wrong."""
    default = PgAuditMapping()
    prefix = data.get("line_prefix", default.line_prefix)
    if not isinstance(prefix, str):
        raise InputRejected("mapping_bad", reason="line_prefix")
    org = data.get("organisation")
    if org is not None and not isinstance(org, str):
        raise InputRejected("mapping_bad", reason="organisation")
    classes = _actions(data.get("classes", default.classes))
    return PgAuditMapping(prefix, _zone(str(data.get("timezone", "UTC"))),
                          {k.upper(): v for k, v in classes.items()},
                          {k.upper(): v for k, v in _actions(data.get("commands", {})).items()},
                          _strings(data.get("objects", {}), "objects"), org)


def parse_mapping(kind: str, text: str | None) -> Mapping:
    """The mapping of a source of ``kind`` from its JSON text (None: the defaults, which only
    pgAudit has)."""
    try:
        data = json.loads(text) if text else {}
    except json.JSONDecodeError as exc:
        raise InputRejected("mapping_bad", reason=str(exc)) from exc
    if not isinstance(data, dict):
        raise InputRejected("mapping_bad", reason="{…}")
    return pgaudit_mapping(data) if kind == "pgaudit" else exchange_mapping(data)


def mapping_json(mapping: Mapping) -> str:
    """The JSON text a mapping is saved as (keys sorted, Chinese kept)."""
    from dataclasses import asdict

    return json.dumps(asdict(mapping), ensure_ascii=False, sort_keys=True)
