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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from govdesk.messages import Message, render
from govdesk.monitoring import import_messages as msgs
from govdesk.monitoring.log_mapping import FIELDS, ExchangeMapping
from govdesk.errors import InputRejected
from govdesk.progress import Progress

Row = tuple[dt.datetime, str, int | None, int | None, str, int, bool, str | None, str]
#: the most problems kept with their text (all are counted)
KEEP = 1000
SINK_BATCH = 50_000
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
    #: good rows read (with a sink, ``rows`` holds only those not yet handed to it)
    good: int = 0
    #: where rows go in batches of :data:`SINK_BATCH` as they are read (None: kept in ``rows``)
    sink: Callable[[list[Row]], None] | None = None

    def add(self, row: Row) -> None:
        self.good += 1
        self.rows.append(row)
        if self.sink is not None and len(self.rows) >= SINK_BATCH:
            self.sink(self.rows)
            self.rows = []

    def close(self) -> None:
        """Hand the last rows to the sink."""
        if self.sink is not None and self.rows:
            self.sink(self.rows)
            self.rows = []

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

    #: strptime formats that fromisoformat reads exactly (length, separator), ten times faster
    FAST = {"%Y-%m-%d %H:%M:%S": (19, " "), "%Y-%m-%dT%H:%M:%S": (19, "T"),
            "%Y-%m-%d %H:%M": (16, " ")}

    def __init__(self, time_format: str, zone: str) -> None:
        self.zone = ZoneInfo(zone)
        fast = self.FAST.get(time_format)
        self.parse: Callable[[str], dt.datetime]
        if time_format == "iso":
            self.parse = dt.datetime.fromisoformat
        elif fast is not None:
            length, sep = fast

            def parse(s: str) -> dt.datetime:
                if len(s) != length or s[10] != sep:
                    raise ValueError(s)
                return dt.datetime.fromisoformat(s)
            self.parse = parse
        else:
            self.parse = lambda s: dt.datetime.strptime(s, time_format)
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
    """One record (its values in :data:`FIELDS` order, "" where the mapping names no column)
    into a row, or its problems on ``out``: a fast path for good lines, every check spelled out
    for the others."""

    def __init__(self, mapping: ExchangeMapping, lookups: Lookups, out: Parsed) -> None:
        self.m, self.lookups, self.out = mapping, lookups, out
        self.times = Times(mapping.time_format, mapping.timezone)
        self.actions = mapping.action_of()
        self.results = mapping.result_of()
        cols = mapping.columns
        none: dict[str, int | None] = {"": None}
        self.orgs = {**lookups.organisations, **none} if "organisation" in cols else none
        self.resources = {**lookups.resources, **none} if "resource" in cols else none
        self.fast_results: dict[str, bool] = {"": True, **{k: v for k, v in self.results.items()}}
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

    def row(self, v: Sequence[str], line: int, normalised: str) -> Row | None:
        """The row of a record, or None (its problems reported)."""
        t, user, org_code, res_code, raw_action, raw_result, host, raw_count = v
        try:
            ts = self.times(t)
            action = self.actions[raw_action]
            org = self.orgs[org_code]
            resource = self.resources[res_code]
            success = self.fast_results[raw_result]
            count = int(raw_count) if raw_count else 0
        except (KeyError, ValueError, OverflowError):
            return self.checked(v, line, normalised)
        if (not user or len(user) > LIMITS["user"] or not 0 <= count <= MAX_COUNT
                or len(host) > LIMITS["client_host"] or "\x00" in normalised):
            return self.checked(v, line, normalised)
        return (ts, user, org, resource, action, count, success, host or None,
                self.key(normalised))

    def checked(self, v: Sequence[str], line: int, normalised: str) -> Row | None:
        """Every check of a record that missed the fast path, each failure a problem."""
        out, cols = self.out, self.m.columns
        if "\x00" in normalised:
            out.problem(line, "line", "log_nul")
            return None
        t, user, org_code, res_code, raw, raw_result, host, raw_count = v
        bad = out.bad
        try:
            ts = self.times(t)
        except (ValueError, OverflowError):
            out.problem(line, cols["time"], "log_time_bad", value=t, format=self.m.time_format)
        if not user:
            out.problem(line, cols["user"], "log_empty_value")
        elif len(user) > LIMITS["user"]:
            out.problem(line, cols["user"], "log_too_long", length=len(user), limit=LIMITS["user"])
        action = self.actions.get(raw) or self.actions.get(raw.lower(), "")
        if not action:
            out.problem(line, cols["action"], "log_action_unknown", value=raw,
                        known=", ".join(sorted(self.m.actions) or ("query", "download", "api", "export")))
        org = self._code(org_code, "organisation", self.orgs, "log_org_unknown", line)
        resource = self._code(res_code, "resource", self.resources, "log_resource_unknown", line)
        success = self._result(raw_result, line)
        count = self._count(raw_count, line)
        if len(host) > LIMITS["client_host"]:
            out.problem(line, cols["client_host"], "log_too_long", length=len(host),
                        limit=LIMITS["client_host"])
        if out.bad != bad:
            return None
        return (ts, user, org, resource, action, count, success, host or None,
                self.key(normalised))

    def _code(self, value: str, name: str, known: dict[str, int | None], code: str,
              line: int) -> int | None:
        if value in known:
            return known[value]
        self.out.problem(line, self.m.columns[name], code, value=value)
        return None

    def _result(self, value: str, line: int) -> bool:
        found = self.results.get(value.lower()) if value else True
        if found is None:
            self.out.problem(line, self.m.columns["result"], "log_result_unknown", value=value,
                             known=", ".join(sorted(self.m.results) or ("成功", "失败")))
            return False
        return found

    def _count(self, value: str, line: int) -> int:
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
              progress: Progress | None = None,
              sink: Callable[[list[Row]], None] | None = None) -> Parsed:
    """Every line of a CSV log with a header row (see the module); good rows to ``sink`` in
    batches as they are read, if given."""
    out = Parsed(sink=sink)
    read = [0]

    def counted() -> Iterable[str]:  # the characters read so far (tell() is off while iterating)
        for text in stream:
            read[0] += len(text)
            yield text

    reader = csv.reader(counted(), delimiter=mapping.delimiter)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    index: list[int] = []
    for name in FIELDS:
        column = mapping.columns.get(name)
        if column is not None and column not in header:
            raise InputRejected("mapping_column_missing", column=column, field=msgs.FIELDS[name],
                                found=", ".join(header))
        index.append(header.index(column) if column is not None else -1)
    convert, width, tick = Converter(mapping, lookups, out), len(header), _every(progress, size)
    add, row = out.add, convert.row
    for record in reader:
        line = reader.line_num
        if not record:
            continue
        if len(record) != width:
            out.problem(line, "line", "log_columns", found=len(record), expected=width)
            continue
        got = row([record[i].strip() if i >= 0 else "" for i in index], line,
                  "\x1f".join(record))
        if got is not None:
            add(got)
        if line % 50_000 == 0:
            tick(read[0])
    out.lines = max(reader.line_num - 1, 0)
    out.close()
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_jsonl(lines: Iterable[str], mapping: ExchangeMapping, lookups: Lookups,
                size: int = 0, progress: Progress | None = None,
                sink: Callable[[list[Row]], None] | None = None) -> Parsed:
    """Every line of a JSON-lines log (one object a line; blank lines are skipped)."""
    out = Parsed(sink=sink)
    convert, tick = Converter(mapping, lookups, out), _every(progress, size)
    columns = [mapping.columns.get(name) for name in FIELDS]
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

        values = [_text(obj.get(c)) if c is not None else "" for c in columns]
        normalised = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        row = convert.row(values, line, normalised)
        if row is not None:
            out.add(row)
        if line % 50_000 == 0:
            tick(done)
    out.close()
    return out
