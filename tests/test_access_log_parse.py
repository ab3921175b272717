"""The log parsers without a database: pgAudit entries (prefix escapes, continuation lines,
zones, classes and commands, bad lines with their number), dedupe keys, mappings refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from govdesk.errors import InputRejected
from govdesk.monitoring.log_mapping import parse_mapping
from govdesk.monitoring.log_parse import Lookups, parse_csv
from govdesk.progress import Progress
from govdesk.monitoring.pgaudit_parse import parse_pgaudit, prefix_regex

LOOKUPS = Lookups({"R1": 7}, {"ORG": 3})


def test_pgaudit_entries() -> None:
    mapping = parse_mapping("pgaudit", '{"line_prefix": "%t [%p]: user=%u,db=%d,client=%r ", '
                                       '"objects": {"public.t": "R1"}, "organisation": "ORG", '
                                       '"commands": {"COPY": "export"}}')
    log = ("2026-12-04 10:00:00 +08 [1]: user=ann,db=x,client=10.1.1.1(5432) LOG:  AUDIT: "
           "SESSION,1,1,READ,SELECT,TABLE,public.t,\"select *\n\tfrom t\",<not logged>\n"
           "2026-12-04 02:00:01 UTC [1]: user=ann,db=x,client=10.1.1.1(5432) LOG:  AUDIT: "
           "SESSION,2,1,READ,SELECT,TABLE,public.other,COPY t TO STDOUT,<not logged>\n"
           "2026-12-04 02:00:02 UTC [1]: user=ann,db=x,client=[local] LOG:  AUDIT: "
           "SESSION,3,1,DDL,CREATE TABLE,TABLE,public.u,create table u (),<not logged>\n"
           "2026-12-04 02:00:03 UTC [2]: user=,db=,client= LOG:  checkpoint starting: time\n"
           "garbage line\n"
           "2026-12-04 02:00:04 UTC [1]: user=ann,db=x,client=h LOG:  AUDIT: SESSION,4\n")
    out = parse_pgaudit(io.StringIO(log), mapping, LOOKUPS)  # type: ignore[arg-type]
    assert out.lines == 7
    assert [(r[1], r[2], r[3], r[4], r[7]) for r in out.rows] == [
        ("ann", 3, 7, "query", "10.1.1.1"), ("ann", 3, None, "export", "10.1.1.1")]
    assert out.rows[0][0] == out.rows[1][0] - dt.timedelta(seconds=1)  # +08 and UTC agree
    assert dict(out.ignored) == {"class:DDL": 1, "not_audit": 1}
    assert [(p.line, p.code) for p in out.problems] == [(6, "log_prefix_mismatch"),
                                                        (7, "log_audit_fields")]


def test_prefix_escapes_refused() -> None:
    with pytest.raises(InputRejected) as bad:
        prefix_regex("%m %u %Z ")
    assert bad.value.code == "mapping_prefix_bad"
    with pytest.raises(InputRejected):
        prefix_regex("%p ")  # no time, no user


def test_identical_lines_stay_two_and_keys_are_stable() -> None:
    mapping = parse_mapping("exchange_csv", '{"columns": {"time": "t", "user": "u", '
                                            '"action": "a"}}')
    body = "t,u,a\n2026-01-01 00:00:00,x,query\n2026-01-01 00:00:01,y,query\n" \
           "2026-01-01 00:00:00,x,query\n"
    first = parse_csv(io.StringIO(body), mapping, LOOKUPS)  # type: ignore[arg-type]
    second = parse_csv(io.StringIO(body), mapping, LOOKUPS)  # type: ignore[arg-type]
    keys = [r[8] for r in first.rows]
    assert len(set(keys)) == 3 and keys == [r[8] for r in second.rows]


@pytest.mark.parametrize("text,code", [
    ("[]", "mapping_bad"), ("{", "mapping_bad"),
    ('{"columns": {"time": "t", "user": "u", "action": "a", "x": "y"}}', "mapping_bad"),
    ('{"columns": {"time": "t", "user": "u", "action": "a"}, "actions": {"q": "read"}}',
     "mapping_action_bad"),
    ('{"columns": {"time": "t", "user": "u", "action": "a"}, "timezone": "Mars/Base"}',
     "mapping_timezone_bad"),
])
def test_mappings_refused(text: str, code: str) -> None:
    with pytest.raises(InputRejected) as bad:
        parse_mapping("exchange_csv", text)
    assert bad.value.code == code


def test_progress_over_a_long_file() -> None:
    class Seen(Progress):
        def __init__(self) -> None:
            super().__init__()
            self.fractions: list[float] = []

        def show(self, fraction: float, message: str) -> None:
            self.fractions.append(fraction)

    mapping = parse_mapping("exchange_csv", '{"columns": {"time": "t", "user": "u", '
                                            '"action": "a"}}')
    body = "t,u,a\n" + "".join(f"2026-01-01 00:00:00,u{i},query\n" for i in range(120_000))
    seen = Seen()
    out = parse_csv(io.StringIO(body), mapping, LOOKUPS, len(body), seen)  # type: ignore[arg-type]
    assert len(out.rows) == 120_000 and len(seen.fractions) == 2
    assert 0.3 < seen.fractions[0] < seen.fractions[1] < 1.0
