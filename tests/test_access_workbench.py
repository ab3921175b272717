"""The access-log review workbench on both databases (PostgreSQL as real logins): keyset pages
newest first, every filter, counts, detail, reviews of events and of a period (audited, the
"not reviewed" filter), the Excel export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from govdesk.db.engine import Database
from govdesk.db.keyset import Key, Seek
from govdesk.db.models import AccessEvent, AuditEvent
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.monitoring.dto import AccessFilter, EventKey
from govdesk.monitoring.export import export_access
from govdesk.monitoring.reviews import review_events, review_period
from govdesk.monitoring.workbench import access_choices, access_detail, count_access, page_access
from govdesk.security.audit import verify


@pytest.fixture
def acting(demo_db: Database, accounts_for: Any) -> dict[str, tuple[Database, Any]]:
    accounts = accounts_for(demo_db)
    return {role: accounts.login(role) for role in ("secadmin", "auditor", "data_admin")}


def _all(db: Database, who: Any, f: AccessFilter, limit: int = 7) -> list[Any]:
    """Every matching row, page by page by key."""
    rows: list[Any] = []
    page = page_access(db, who, f, Seek(limit=limit))
    while page.rows:
        rows += page.rows
        page = page_access(db, who, f, Seek(after=page.last_key, limit=limit))
    return rows


def _owner_ids(db: Database, *where: Any) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(AccessEvent.id).where(*where)
                              .order_by(AccessEvent.ts.desc(), AccessEvent.id.desc())))


def test_pages_by_key_newest_first_forward_backward_and_jumps(demo_db: Database,
                                                               acting: Any) -> None:
    db, who = acting["auditor"]
    f = AccessFilter(organisation_id=96)
    expected = _owner_ids(demo_db, AccessEvent.organisation_id == 96)
    assert len(expected) > 30
    assert [r.id for r in _all(db, who, f)] == expected
    first = page_access(db, who, f, Seek(limit=10))
    second = page_access(db, who, f, Seek(after=first.last_key, limit=10))
    back = page_access(db, who, f, Seek(after=second.first_key, backward=True, limit=10))
    assert [r.id for r in back.rows] == [r.id for r in first.rows]
    jump = page_access(db, who, f, Seek(after=first.last_key, skip=10, limit=5))
    assert [r.id for r in jump.rows] == expected[20:25]
    end = page_access(db, who, f, Seek(backward=True, limit=3))
    assert [r.id for r in end.rows] == expected[-3:]
    row = first.rows[0]
    assert row.organisation_name and row.resource_name and row.grade_name and row.resource_code
    with pytest.raises(InputRejected):
        page_access(db, who, f, Seek(after="x", limit=3))


def test_every_filter_narrows_like_sql(demo_db: Database, acting: Any) -> None:
    db, who = acting["secadmin"]
    top = page_access(db, who, AccessFilter(), Seek(limit=1)).rows[0]
    since = top.ts - dt.timedelta(days=3)
    cases = [
        (AccessFilter(since=since), [AccessEvent.ts >= since]),
        (AccessFilter(until=since), [AccessEvent.ts < since]),
        (AccessFilter(username=top.username), [AccessEvent.username == top.username]),
        (AccessFilter(action="export", success=False),
         [AccessEvent.action == "export", AccessEvent.success.is_(False)]),
        (AccessFilter(client_host=top.client_host), [AccessEvent.client_host == top.client_host]),
        (AccessFilter(client_host="10.33.96."), [AccessEvent.client_host.like("10.33.96.%")]),
        (AccessFilter(resource_code=top.resource_code),
         [AccessEvent.resource_id == top.resource_id]),
    ]
    for f, where in cases:
        got = [r.id for r in _all(db, who, f, limit=500)]
        assert got == _owner_ids(demo_db, *where), f
        n = count_access(db, who, f)
        assert n.value == len(got) if n.exact else abs(n.value - len(got)) < len(got) / 2
        assert n.exact == (len(got) <= 10_000 or not db.is_postgres)
    grade = next(g for g in access_choices(db, who).grades if g.name == top.grade_name)
    graded = _all(db, who, AccessFilter(grade_id=grade.id, since=since), limit=500)
    assert graded and {r.grade_name for r in graded} == {grade.name}
    with pytest.raises(InputRejected):
        page_access(db, who, AccessFilter(since=since, until=since), Seek())


def test_count_is_an_estimate_only_above_the_cap(acting: Any) -> None:
    db, who = acting["auditor"]
    exact = count_access(db, who, AccessFilter(), cap=None)
    assert exact.exact and exact.value == 18_000
    capped = count_access(db, who, AccessFilter(), cap=100)
    assert capped.value >= 101 and capped.exact is (not db.is_postgres)
    assert count_access(db, who, AccessFilter(username="nobody")).value == 0


def test_reviews_of_events_and_of_a_period_are_shown_filtered_and_audited(acting: Any) -> None:
    db, sec = acting["secadmin"]
    adb, auditor = acting["auditor"]
    page = page_access(db, sec, AccessFilter(), Seek(limit=4))
    unreviewed_before = count_access(db, sec, AccessFilter(unreviewed=True), cap=None).value
    done = review_events(db, sec, [r.key for r in page.rows[:2]], "已核对：正常业务查询")
    assert done.events == 2 and done.reviewed_by == sec.username
    org = page.rows[3].organisation_id
    assert org is not None
    period = review_period(db, sec, org, page.rows[3].ts - dt.timedelta(days=1),
                           page.rows[3].ts + dt.timedelta(seconds=1), "该单位当日访问均已核对")
    again = page_access(adb, auditor, AccessFilter(), Seek(limit=4)).rows
    assert again[0].review and again[0].review.review_id == done.review_id
    assert again[0].review.reviewed_by == sec.username and not again[0].review.period
    assert again[3].review and again[3].review.review_id == period.review_id
    assert again[3].review.period
    left = _all(adb, auditor, AccessFilter(unreviewed=True, organisation_id=org), limit=500)
    assert all(r.review is None for r in left)
    assert count_access(db, sec, AccessFilter(unreviewed=True), cap=None).value < \
        unreviewed_before - 2
    detail = access_detail(adb, auditor, again[0].key)
    assert detail.reviews[0][1] == "已核对：正常业务查询" and detail.organisation_code
    with db.session() as s:
        audited = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.event_type == "access_review"))
    assert audited >= 2
    assert verify(db).ok


def test_a_review_is_all_or_nothing_and_needs_a_reason(acting: Any) -> None:
    db, sec = acting["secadmin"]
    key = page_access(db, sec, AccessFilter(), Seek(limit=1)).rows[0].key
    for comment in ("", "ok", "。。。。。", "   "):
        with pytest.raises(InputRejected):
            review_events(db, sec, [key], comment)
    with pytest.raises(InputRejected):
        review_events(db, sec, [], "已核对无异常")
    with pytest.raises(InputRejected):
        review_events(db, sec, [key, EventKey(10**9, key.ts)], "已核对无异常")
    with pytest.raises(InputRejected):
        review_period(db, sec, 96, key.ts, key.ts, "已核对无异常")
    with pytest.raises(InputRejected):
        review_period(db, sec, 10**6, key.ts - dt.timedelta(days=1), key.ts, "已核对无异常")
    assert page_access(db, sec, AccessFilter(), Seek(limit=1)).rows[0].review is None
    adb, auditor = acting["auditor"]
    with pytest.raises(PermissionDenied):
        review_events(adb, auditor, [key], "已核对无异常")
    ddb, admin = acting["data_admin"]
    with pytest.raises(PermissionDenied):
        page_access(ddb, admin, AccessFilter(), Seek())


def test_export_streams_the_selection_with_chinese_headers_and_is_audited(
        acting: Any, tmp_path: Path) -> None:
    db, sec = acting["secadmin"]
    f = AccessFilter(organisation_id=96)
    rows = _all(db, sec, f, limit=500)
    review_events(db, sec, [rows[0].key], "已核对：正常业务查询")
    out = tmp_path / "访问记录.xlsx"
    assert export_access(db, sec, f, out) == len(rows)
    sheet = load_workbook(out, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("序号", "时间（本机时区）", "用户")
    assert [v[0] for v in values[1:]] == [r.id for r in rows]
    first = values[1]
    assert first[13] == sec.username and first[15] == "按记录"
    assert first[9] in ("查询", "下载", "接口调用", "导出") and first[10] in ("成功", "拒绝")
    assert "+" in first[1] or "-" in first[1][19:]
    with pytest.raises(InputRejected):
        export_access(db, sec, f, tmp_path / "x.csv")
    with db.session() as s:
        detail = s.scalar(select(AuditEvent.detail).where(AuditEvent.event_type == "export",
                                                          AuditEvent.object_id == out.name))
    assert detail and '"rows": %d' % len(rows) in detail


def test_keys_are_plain_values(acting: Any) -> None:
    db, who = acting["auditor"]
    page = page_access(db, who, AccessFilter(), Seek(limit=2))
    assert all(isinstance(k, Key) and isinstance(k.tie, int) for k in page.keys)


def test_a_cancelled_export_leaves_no_file_and_no_audit_row(acting: Any, tmp_path: Path) -> None:
    from govdesk.progress import Cancelled, Progress

    db, sec = acting["secadmin"]
    progress = Progress()
    progress.cancel()
    out = tmp_path / "取消.xlsx"
    with pytest.raises(Cancelled):
        export_access(db, sec, AccessFilter(), out, progress=progress)
    assert not out.exists()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.event_type == "export", AuditEvent.object_id == out.name)) == 0
