"""Reading an exchange platform's access log (CSV with a header, or JSON lines) through its
source's mapping into access-event rows, and every line that cannot be one into a
:class:`LineProblem` with its number, column and reason. Nothing is dropped in silence: a line
is a row, a problem or (pgAudit only, :mod:`govdesk.monitoring.pgaudit_parse`) counted as
ignored with its reason.

A row is ``(ts, username, organisation_id, resource_id, action, row_count, success,
client_host, line_hash)``: ``ts`` aware and in UTC; ``line_hash`` the SHA-256 of the
normalised line (its values joined, or the JSON object with sorted keys) and, for the n-th
repeat of the same line in the file, its number: the dedupe key, so the same file imported
twice adds nothing and two identical events in one file stay two.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from govdesk.messages import Message, render
from govdesk.monitoring import import_messages as msgs
from govdesk.monitoring.log_mapping import ExchangeMapping
from govdesk.errors import InputRejected
from govdesk.progress import Progress

Row = tuple[dt.datetime, str, int | None, int | None, str, int, bool, str | None, str]
#: the most problems kept with their text (all are counted)
KEEP = 1000
MAX_COUNT = 2**31 - 1
LIMITS = {"user": 63, "client_host": 255}


@dataclass(frozen=True)
class LineProblem:
    """Line ``line`` cannot be imported: ``column`` (the file's column name, or a field's)
    holds a value that ``code`` (with ``params``) explains."""

    line: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        column = msgs.FIELDS[self.column].text(lang) if self.column in msgs.FIELDS else self.column
        return render("log_problem_at", lang, {"line": self.line, "column": column,
                                               "reason": Message(self.code, self.params)})

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class Parsed:
    """What a file holds: its rows, its problems (the first :data:`KEEP`, and the number of
    bad lines by reason), the lines ignored by reason, and how many lines were read."""

    rows: list[Row] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    bad_by_reason: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    lines: int = 0

    @property
    def bad(self) -> int:
        return sum(self.bad_by_reason.values())

    def problem(self, line: int, column: str, code: str, **params: Any) -> None:
        self.bad_by_reason[code] += 1
        if len(self.problems) < KEEP:
            self.problems.append(LineProblem(line, column, code, params))


@dataclass(frozen=True)
class Lookups:
    """Codes the log names, and their ids: the resources the importer may see, every
    organisation."""

    resources: dict[str, int]
    organisations: dict[str, int]


class Times:
    """Parses the time column, remembering recent values (a log repeats each second)."""

    def __init__(self, time_format: str, zone: str) -> None:
        self.zone = ZoneInfo(zone)
        self.parse: Callable[[str], dt.datetime] = (
            dt.datetime.fromisoformat if time_format == "iso"
            else (lambda s: dt.datetime.strptime(s, time_format)))
        self.seen: dict[str, dt.datetime] = {}

    def __call__(self, raw: str) -> dt.datetime:
        try:
            return self.seen[raw]
        except KeyError:
            pass
        value = self.parse(raw)
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.zone)
        value = value.astimezone(dt.timezone.utc)
        if len(self.seen) > 50_000:
            self.seen.clear()
        self.seen[raw] = value
        return value


class Converter:
    """One record (a value getter per field) into a row, or problems on ``out``."""

    def __init__(self, mapping: ExchangeMapping, lookups: Lookups, out: Parsed) -> None:
        self.m, self.lookups, self.out = mapping, lookups, out
        self.times = Times(mapping.time_format, mapping.timezone)
        self.actions = mapping.action_of()
        self.results = mapping.result_of()
        self.seen: set[str] = set()
        self.repeats: dict[str, int] = {}

    def key(self, normalised: str) -> str:
        """The dedupe key of a line (see the module): the n-th repeat of a line in the file
        (n > 0) hashes with its number."""
        digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()
        if digest not in self.seen:
            self.seen.add(digest)
            return digest
        n = self.repeats.get(digest, 1)
        self.repeats[digest] = n + 1
        return hashlib.sha256(f"{normalised}\x1e{n}".encode("utf-8")).hexdigest()

    def row(self, get: Callable[[str], str], line: int, normalised: str) -> Row | None:
        out, cols = self.out, self.m.columns
        if "\x00" in normalised:
            out.problem(line, "line", "log_nul")
            return None
        bad = out.bad
        raw_ts = get("time")
        try:
            ts = self.times(raw_ts)
        except (ValueError, OverflowError):
            out.problem(line, cols["time"], "log_time_bad", value=raw_ts, format=self.m.time_format)
        user = get("user")
        if not user:
            out.problem(line, cols["user"], "log_empty_value")
        elif len(user) > LIMITS["user"]:
            out.problem(line, cols["user"], "log_too_long", length=len(user), limit=LIMITS["user"])
        raw = get("action")
        action = self.actions.get(raw) or self.actions.get(raw.lower(), "")
        if not action:
            out.problem(line, cols["action"], "log_action_unknown", value=raw,
                        known=", ".join(sorted(self.m.actions) or ("query", "download", "api", "export")))
        org = self._code(get, "organisation", self.lookups.organisations, "log_org_unknown", line)
        resource = self._code(get, "resource", self.lookups.resources, "log_resource_unknown", line)
        success = self._result(get, line)
        count = self._count(get, line)
        host = get("client_host") or None if "client_host" in cols else None
        if host is not None and len(host) > LIMITS["client_host"]:
            out.problem(line, cols["client_host"], "log_too_long", length=len(host),
                        limit=LIMITS["client_host"])
        if out.bad != bad:
            return None
        return (ts, user, org, resource, action, count, success, host,
                self.key(normalised))

    def _code(self, get: Callable[[str], str], name: str, known: dict[str, int], code: str,
              line: int) -> int | None:
        if name not in self.m.columns:
            return None
        value = get(name)
        if not value:
            return None
        found = known.get(value)
        if found is None:
            self.out.problem(line, self.m.columns[name], code, value=value)
        return found

    def _result(self, get: Callable[[str], str], line: int) -> bool:
        if "result" not in self.m.columns:
            return True
        value = get("result")
        found = self.results.get(value.lower()) if value else True
        if found is None:
            self.out.problem(line, self.m.columns["result"], "log_result_unknown", value=value,
                             known=", ".join(sorted(self.m.results) or ("成功", "失败")))
            return False
        return found

    def _count(self, get: Callable[[str], str], line: int) -> int:
        if "row_count" not in self.m.columns:
            return 0
        value = get("row_count")
        if not value:
            return 0
        try:
            count = int(value)
        except ValueError:
            count = -1
        if not 0 <= count <= MAX_COUNT:
            self.out.problem(line, self.m.columns["row_count"], "log_count_bad", value=value)
        return count


def _every(progress: Progress | None, total: int) -> Callable[[int], None]:
    def tick(position: int) -> None:
        if progress is not None:
            progress.report(position / total if total else 1.0)
    return tick


def parse_csv(stream: TextIO, mapping: ExchangeMapping, lookups: Lookups, size: int = 0,
              progress: Progress | None = None) -> Parsed:
    """Every line of a CSV log with a header row (see the module)."""
    out = Parsed()
    reader = csv.reader(stream, delimiter=mapping.delimiter)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    index: dict[str, int] = {}
    for name, column in mapping.columns.items():
        if column not in header:
            raise InputRejected("mapping_column_missing", column=column, field=msgs.FIELDS[name],
                                found=", ".join(header))
        index[name] = header.index(column)
    convert, width, tick = Converter(mapping, lookups, out), len(header), _every(progress, size)
    rows = out.rows
    for record in reader:
        line = reader.line_num
        if not record:
            continue
        if len(record) != width:
            out.problem(line, "line", "log_columns", found=len(record), expected=width)
            continue
        row = convert.row(lambda name: record[index[name]].strip(), line, "\x1f".join(record))
        if row is not None:
            rows.append(row)
        if line % 50_000 == 0:
            tick(stream.tell() if size else 0)
    out.lines = max(reader.line_num - 1, 0)
    return out


def parse_jsonl(lines: Iterable[str], mapping: ExchangeMapping, lookups: Lookups,
                size: int = 0, progress: Progress | None = None) -> Parsed:
    """Every line of a JSON-lines log (one object a line; blank lines are skipped)."""
    out = Parsed()
    convert, cols, tick = Converter(mapping, lookups, out), mapping.columns, _every(progress, size)
    done = 0
    for line, text in enumerate(lines, start=1):
        done += len(text)
        out.lines = line
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except ValueError as exc:
            out.problem(line, "line", "log_json_bad", reason=str(exc))
            continue
        if not isinstance(obj, dict):
            out.problem(line, "line", "log_json_not_object")
            continue

        def get(name: str, obj: dict[str, Any] = obj) -> str:
            value = obj.get(cols[name])
            return "" if value is None else str(value).strip()

        normalised = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        row = convert.row(get, line, normalised)
        if row is not None:
            out.rows.append(row)
        if line % 50_000 == 0:
            tick(done)
    return out
