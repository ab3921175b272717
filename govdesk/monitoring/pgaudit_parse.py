"""Reading a PostgreSQL server log (stderr format) with pgAudit entries into access-event rows.

Each log entry starts with the server's ``log_line_prefix`` (the source's mapping says which;
escapes ``%m %t %n %p %c %l %s %v %x %e %u %d %h %r %a %i %b %q %%`` are understood) followed by
``LEVEL:  message``; a message spanning lines continues on lines that start with a tab (the
server writes them so). A pgAudit entry's message is ``AUDIT: `` and comma-separated fields
(quoted as CSV where needed): AUDIT_TYPE, STATEMENT_ID, SUBSTATEMENT_ID, CLASS, COMMAND,
OBJECT_TYPE, OBJECT_NAME, STATEMENT, PARAMETER (pgAudit's documented format).

An AUDIT entry of a class (or command: the COMMAND field, or the statement's first word, since
pgAudit 1.7 logs ``COPY … TO`` as ``READ,SELECT``) the mapping names becomes an event: time and user from
the prefix (the zone from the prefix when it is UTC/GMT or an offset, else the mapping's), the
client host from ``%h``/``%r``, the resource from the mapping's ``objects`` (schema-qualified
table name -> resource code; a table not named stays without resource), the mapping's
organisation; success true (pgAudit logs a statement as it runs). Every other entry is counted
as ignored by reason: not an audit entry, or a class not mapped. A line the prefix does not
match is a problem with its number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from govdesk.errors import InputRejected
from govdesk.monitoring.log_mapping import PgAuditMapping
from govdesk.monitoring.log_parse import Converter, Lookups, Parsed, Row
from govdesk.progress import Progress

TS = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?"
ESCAPES = {
    "m": rf"(?P<ts>{TS}) (?P<tz>\S+)", "t": rf"(?P<ts>{TS}) (?P<tz>\S+)",
    "s": rf"{TS} \S+", "n": r"(?P<epoch>\d+(?:\.\d+)?)", "p": r"\d+", "c": r"[0-9a-f]+\.[0-9a-f]+",
    "l": r"\d+", "v": r"\S*", "x": r"\d+", "e": r"[0-9A-Z]{5}", "u": r"(?P<user>[^\s@\[\]]*?)",
    "d": r"(?P<db>[^\s@\[\]]*?)", "h": r"(?P<host>\[local\]|[^\s\[\]()]*?)",
    "r": r"(?P<host>\[local\]|[^\s\[\]()]*?)(?:\(\d+\))?", "a": r".*?", "i": r".*?", "b": r".*?",
    "%": "%",
}
LEVEL = r"(?P<level>[A-Z0-9]+):  (?P<msg>.*)"
UTC_NAMES = {"UTC", "GMT", "Z", "UCT"}
OFFSET = re.compile(r"^([+-])(\d\d):?(\d\d)?$")


def prefix_regex(prefix: str) -> re.Pattern[str]:
    """The regular expression of a ``log_line_prefix`` followed by the level and message."""
    if "%u" not in prefix or ("%m" not in prefix and "%t" not in prefix and "%n" not in prefix):
        raise InputRejected("mapping_bad", reason="line_prefix: %m, %t or %n, and %u")
    parts: list[str] = []
    optional = 0
    i = 0
    while i < len(prefix):
        ch = prefix[i]
        if ch == "%" and i + 1 < len(prefix):
            escape = prefix[i + 1]
            i += 2
            if escape == "q":
                parts.append("(?:")
                optional += 1
                continue
            if escape not in ESCAPES:
                raise InputRejected("mapping_prefix_bad", prefix=prefix, escape="%" + escape)
            parts.append(ESCAPES[escape])
            continue
        parts.append(re.escape(ch))
        i += 1
    parts.append(")?" * optional)
    return re.compile("^" + "".join(parts) + LEVEL + "$", re.DOTALL)


def entries(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each log entry: continuation lines (a leading tab) joined
    to their entry with a newline."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if line.startswith("\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield start, "\n".join(current)
        current, start = [line], number
    if current:
        yield start, "\n".join(current)


class Stamps:
    """The time of a prefix: its text in the zone it names, or the mapping's zone."""

    def __init__(self, zone: str) -> None:
        self.zone = ZoneInfo(zone)
        self.seen: dict[tuple[str, str], dt.datetime] = {}

    def __call__(self, ts: str, tz: str) -> dt.datetime:
        key = (ts, tz)
        if key in self.seen:
            return self.seen[key]
        value = dt.datetime.fromisoformat(ts)
        offset = OFFSET.match(tz)
        if tz in UTC_NAMES:
            zone: dt.tzinfo = dt.timezone.utc
        elif offset:
            sign = -1 if offset.group(1) == "-" else 1
            zone = dt.timezone(sign * dt.timedelta(hours=int(offset.group(2)),
                                                   minutes=int(offset.group(3) or 0)))
        else:
            zone = self.zone
        result = value.replace(tzinfo=zone).astimezone(dt.timezone.utc)
        if len(self.seen) > 50_000:
            self.seen.clear()
        self.seen[key] = result
        return result


def _org(mapping: PgAuditMapping, lookups: Lookups) -> int | None:
    if mapping.organisation is None:
        return None
    found = lookups.organisations.get(mapping.organisation)
    if found is None:
        raise InputRejected("mapping_bad", reason=f"organisation: {mapping.organisation}")
    return found


def parse_pgaudit(lines: Iterable[str], mapping: PgAuditMapping, lookups: Lookups,
                  progress: Progress | None = None,
                  sink: Callable[[list[Row]], None] | None = None) -> Parsed:
    """Every entry of a server log (see the module); good rows to ``sink`` in batches."""
    out = Parsed(sink=sink)
    pattern, stamps, org = prefix_regex(mapping.line_prefix), Stamps(mapping.timezone), _org(mapping, lookups)
    keys = Converter.__new__(Converter)  # only its dedupe key
    keys.seen, keys.repeats = set(), {}
    last = 0
    for line, text in entries(_counting(lines, out)):
        if progress is not None and line - last >= 50_000:
            progress.check()
            last = line
        row = _entry(line, text, pattern, stamps, mapping, lookups, org, out, keys)
        if row is not None:
            out.add(row)
    out.close()
    return out


def _counting(lines: Iterable[str], out: Parsed) -> Iterator[str]:
    for line in lines:
        out.lines += 1
        yield line


def _entry(line: int, text: str, pattern: re.Pattern[str], stamps: Stamps,
           mapping: PgAuditMapping, lookups: Lookups, org: int | None, out: Parsed,
           keys: Converter) -> Row | None:
    if not text.strip():
        return None
    if "\x00" in text:
        out.problem(line, "line", "log_nul")
        return None
    match = pattern.match(text)
    if match is None:
        out.problem(line, "line", "log_prefix_mismatch", prefix=mapping.line_prefix)
        return None
    message = match.group("msg")
    if not message.startswith("AUDIT: "):
        out.ignored["not_audit"] += 1
        return None
    fields = next(csv.reader(io.StringIO(message[7:])), [])
    if len(fields) < 9:
        out.problem(line, "line", "log_audit_fields", found=len(fields))
        return None
    klass, command, object_name = fields[3].upper(), fields[4].upper(), fields[6]
    # pgAudit 1.7 logs COPY ... TO as READ,SELECT: the statement's own first word tells
    first = fields[7].lstrip().split(None, 1)[0].upper() if fields[7].strip() else command
    action = (mapping.commands.get(first) or mapping.commands.get(command)
              or mapping.classes.get(klass))
    if action is None:
        out.ignored[f"class:{klass}"] += 1
        return None
    user = match.groupdict().get("user") or ""
    if not user:
        out.problem(line, "user", "log_audit_user_missing")
        return None
    resource = None
    code = mapping.objects.get(object_name)
    if code is not None:
        resource = lookups.resources.get(code)
        if resource is None:
            out.problem(line, "resource", "log_resource_unknown", value=code)
            return None
    groups = match.groupdict()
    if groups.get("epoch"):
        ts = dt.datetime.fromtimestamp(float(groups["epoch"]), dt.timezone.utc)
        raw = groups["epoch"]
    else:
        ts, raw = stamps(groups["ts"], groups["tz"]), groups["ts"]
    if len(user) > 63:
        out.problem(line, "user", "log_too_long", length=len(user), limit=63)
        return None
    host = (groups.get("host") or None)
    return (ts, user, org, resource, action, 0, True, host[:255] if host else None,
            keys.key(text.strip()))
