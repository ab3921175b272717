"""Raw personal data on PostgreSQL: masked and audited by the database itself (migration 0015).

Every GovDesk login connects over plain psycopg2, bypassing GovDesk: nobody may SELECT
``resource_samples``; ``govdesk_samples()`` gives rows masked by grade, exactly as
:mod:`govdesk.security.masking` masks them; unmasking is for security and data administrators
only, with a reason, through a ticket whose audit row is committed before a value is shown in
clear; a regional administrator reads only samples of resources they may see.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errors
from sqlalchemy import select, text, update

from govdesk.catalog.profiling.samples import (
    MASK_KIND_BY_STANDARD,
    _plan,
    _rows,
    export_samples,
    sample_rows,
)
from govdesk.db.engine import Database
from govdesk.db.models import (
    AuditEvent,
    DataItem,
    DataResource,
    Grade,
    Organisation,
    ResourceSample,
    SharingGrant,
)
from govdesk.errors import InputRejected
from govdesk.security.masking import MASKERS, WHITESPACE, mask

pytestmark = pytest.mark.postgres

NINGBO_RESOURCE = 1  # 330211 (宁波市镇海区), with sample rows and personal data
HANGZHOU_RESOURCE = 3  # 330111 (杭州市富阳区), with sample rows
ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")


def _refused(conn, statement: str, params: tuple = ()) -> str | None:  # type: ignore[type-arg]
    """The SQLSTATE when ``statement`` fails, else None; rolls back either way."""
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            if cur.description is not None:
                cur.fetchall()
        conn.rollback()
    except psycopg2.Error as exc:
        conn.rollback()
        return str(exc.pgcode)
    return None


def _raw(db: Database, resource_id: int) -> list[dict[str, object]]:
    with db.session() as s:
        return [json.loads(d) for d in s.scalars(
            select(ResourceSample.data).where(ResourceSample.resource_id == resource_id)
            .order_by(ResourceSample.row_no))]


def _python_masked(db: Database, resource_id: int, limit: int | None = None
                   ) -> list[dict[str, object]]:
    """The rows as the Python path (SQLite's) masks them, read as the owner."""
    with db.session() as s:
        plan = _plan(s, resource_id)
        return [dict(zip(plan.columns, row)) for row in _rows(s, resource_id, plan, False, limit)]


def _unmask_events(db: Database, username: str) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.event_type == "unmask",
                                                       AuditEvent.username == username)
                              .order_by(AuditEvent.id)))


def test_no_govdesk_login_reads_resource_samples(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    for role in ROLES:
        who = accounts.add(role)
        conn = accounts.connect(who.username)
        try:
            for statement in ("SELECT * FROM resource_samples LIMIT 1",
                              "SELECT data FROM resource_samples",
                              "SELECT count(*) FROM resource_samples",
                              "SELECT resource_id FROM resource_samples",
                              "UPDATE resource_samples SET row_no = row_no RETURNING data",
                              "DELETE FROM resource_samples WHERE data LIKE '%%3302%%'",
                              "SELECT * FROM unmask_tickets",
                              "INSERT INTO unmask_tickets (username, resource_id, purpose, "
                              "audit_id) VALUES (session_user, 1, 'view', 1)",
                              "SELECT * FROM govdesk_samples_resource(1, 'view', 'owner')",
                              "SELECT * FROM govdesk_samples_caller()",
                              "SELECT * FROM govdesk_samples_columns(1, NULL, true)"):
                assert _refused(conn, statement) == "42501", f"{role} could run: {statement}"
            with conn.cursor() as cur:
                with pytest.raises(errors.InsufficientPrivilege):
                    cur.copy_expert("COPY resource_samples TO STDOUT", io.StringIO())
            conn.rollback()
            if role in ("sysadmin", "auditor"):  # 三员分立: no personal data for them at all
                assert _refused(conn, "SELECT * FROM govdesk_samples(1)") == "42501"
                assert _refused(conn, "SELECT govdesk_unmask_request(1, 'x')") == "42501"
        finally:
            conn.close()


def test_viewer_gets_masked_rows_from_the_database(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    viewer = accounts.add("viewer")
    raw = _raw(pg_demo_db, NINGBO_RESOURCE)
    conn = accounts.connect(viewer.username)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT row_no, data FROM govdesk_samples(%s)", (NINGBO_RESOURCE,))
            rows = cur.fetchall()
            conn.commit()
            # a forged ticket does not unmask, nor does asking for one
            assert _refused(conn, "SELECT * FROM govdesk_samples(1, 1)") == "42501"
            assert _refused(conn, "SELECT govdesk_unmask_request(1, 'curious')") == "42501"
    finally:
        conn.close()
    assert [r[0] for r in rows] == list(range(1, len(raw) + 1)) and len(rows) == 20
    expected = _python_masked(pg_demo_db, NINGBO_RESOURCE)
    assert [r[1] for r in rows] == expected
    for (_n, data), plain in zip(rows, raw):
        assert data["公民身份号码"] == plain["公民身份号码"][:6] + "********" \
            + plain["公民身份号码"][14:]
        assert data["姓名"] != plain["姓名"] and "*" in data["姓名"]
        assert data["性别"] == plain["性别"]  # general2: not masked
    assert _unmask_events(pg_demo_db, viewer.username) == []  # nothing shown in clear


def test_unmask_by_a_data_admin_is_audited_before_it_is_shown(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    admin = accounts.add("data_admin")
    other = accounts.add("secadmin")
    raw = _raw(pg_demo_db, NINGBO_RESOURCE)
    conn = accounts.connect(admin.username)
    try:
        # a reason is required
        for blank in (None, "", "  \u3000\t"):
            assert _refused(conn, "SELECT govdesk_unmask_request(1, %s)", (blank,)) == "22023"
        # asked for and used in one transaction, then rolled back: refused, nothing shown
        with conn.cursor() as cur:
            cur.execute("SELECT govdesk_unmask_request(1, '核对残疾人证信息')")
            ticket = cur.fetchone()[0]
            with pytest.raises(errors.InsufficientPrivilege, match="ticket"):
                cur.execute("SELECT * FROM govdesk_samples(1, %s)", (ticket,))
        conn.rollback()
        with conn.cursor() as cur:
            cur.execute("SELECT govdesk_unmask_request(1, '核对残疾人证信息')")
            ticket = cur.fetchone()[0]
        conn.commit()  # the audit row stands from here on
        assert len(_unmask_events(pg_demo_db, admin.username)) == 1
        with conn.cursor() as cur:
            cur.execute("SELECT data FROM govdesk_samples(1, %s)", (ticket,))
            plain = [r[0] for r in cur.fetchall()]
        conn.rollback()  # rolling the read back does not take the audit with it
        for p_row, r_row in zip(plain, raw):
            assert p_row["公民身份号码"] == r_row["公民身份号码"]
            assert p_row["姓名"] == r_row["姓名"]
        # the ticket is for this user, resource and purpose only
        assert _refused(conn, "SELECT * FROM govdesk_samples(3, %s)", (ticket,)) == "42501"
        assert _refused(conn, "SELECT * FROM govdesk_samples(1, %s, NULL, 'export')",
                        (ticket,)) == "42501"
    finally:
        conn.close()
    thief = accounts.connect(other.username)
    try:
        assert _refused(thief, "SELECT * FROM govdesk_samples(1, %s)", (ticket,)) == "42501"
    finally:
        thief.close()
    # and only for a few minutes
    with pg_demo_db.engine.begin() as c:
        c.execute(text("UPDATE unmask_tickets SET issued_at = issued_at - interval '6 minutes'"))
    conn = accounts.connect(admin.username)
    try:
        assert _refused(conn, "SELECT * FROM govdesk_samples(1, %s)", (ticket,)) == "42501"
    finally:
        conn.close()
    events = _unmask_events(pg_demo_db, admin.username)
    assert len(events) == 1
    event = events[0]
    assert (event.username, event.role_code, event.object_type, event.object_id) == (
        admin.username, "data_admin", "data_resources", "1")
    detail = json.loads(event.detail or "{}")
    assert detail["reason"] == "核对残疾人证信息" and detail["requested"] is True
    assert "公民身份号码" in detail["plain_columns"] and detail["purpose"] == "view"


def test_a_regional_admin_reads_only_samples_they_may_see(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    with pg_demo_db.session() as s:
        org = s.scalar(select(Organisation.id).where(Organisation.region_code.like("3301%"))
                       .order_by(Organisation.id).limit(1))
        all_ids = set(s.scalars(select(ResourceSample.resource_id).distinct()))
    hz = accounts.add("data_admin", region="330100", organisation_id=org)
    conn = accounts.connect(hz.username)

    def readable() -> set[int]:
        ok = set()
        with conn.cursor() as cur:
            for rid in sorted(all_ids):
                cur.execute("SAVEPOINT p")
                try:
                    cur.execute("SELECT count(*) FROM govdesk_samples(%s, NULL, 0)", (rid,))
                    ok.add(rid)
                except errors.NoDataFound:
                    pass
                cur.execute("ROLLBACK TO SAVEPOINT p")
            cur.execute("SELECT id FROM data_resources")  # what row-level security shows
            visible = {r[0] for r in cur.fetchall()}
        conn.rollback()
        assert ok == visible & all_ids  # the function's scope is the RLS policy's
        return ok

    try:
        assert _refused(conn, "SELECT * FROM govdesk_samples(1)") == "P0002"
        assert _refused(conn, "SELECT govdesk_unmask_request(1, '核对证件')") == "P0002"
        assert _refused(conn, "SELECT * FROM govdesk_samples(999999)") == "P0002"
        mine = readable()
        assert HANGZHOU_RESOURCE in mine and NINGBO_RESOURCE not in mine
        assert all(r.startswith("3301") for r in _regions(pg_demo_db, mine))
        with pg_demo_db.session() as s:  # 宁波 shares resource 1 with the 杭州 organisation
            today = dt.date.today()
            s.add(SharingGrant(resource_id=NINGBO_RESOURCE, grantee_org_id=org,
                               sharing_type="conditional", status="approved",
                               valid_from=today - dt.timedelta(days=1),
                               valid_until=today + dt.timedelta(days=30)))
        assert readable() == mine | {NINGBO_RESOURCE}
        with conn.cursor() as cur:
            cur.execute("SELECT data FROM govdesk_samples(1)")
            shared = [r[0] for r in cur.fetchall()]
        conn.rollback()
        assert shared == _python_masked(pg_demo_db, NINGBO_RESOURCE)
    finally:
        conn.close()


def _regions(db: Database, ids: set[int]) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(DataResource.region_code).where(DataResource.id.in_(ids))))


def test_service_reads_go_through_the_database(pg_demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    """samples.py on PostgreSQL: the same table as the Python path; the unmask audited once,
    by the database, with the reason; an export by grade rules, refused for 核心 data by the
    database too."""
    accounts = accounts_for(pg_demo_db)
    db, admin = accounts.login("data_admin")
    view = sample_rows(db, admin, NINGBO_RESOURCE, limit=7)
    assert [dict(zip(view.columns, r)) for r in view.rows] == \
        _python_masked(pg_demo_db, NINGBO_RESOURCE, 7)
    with pytest.raises(InputRejected, match="reason"):
        sample_rows(db, admin, NINGBO_RESOURCE, unmask=True, reason=" ")
    plain = sample_rows(db, admin, NINGBO_RESOURCE, unmask=True, reason="复核证件")
    assert [dict(zip(plain.columns, r)) for r in plain.rows] == [
        {c: row.get(c) for c in plain.columns} for row in _raw(pg_demo_db, NINGBO_RESOURCE)]
    assert plain.unmasked and plain.masked == frozenset()
    out = export_samples(db, admin, HANGZHOU_RESOURCE, tmp_path / "s.xlsx", unmask=True,
                         reason="数据核对", password="Pw-2026")
    assert out.rows == 20 and out.encrypted
    events = _unmask_events(pg_demo_db, admin.username)
    assert [(json.loads(e.detail or "{}")["purpose"], json.loads(e.detail or "{}")["reason"])
            for e in events] == [("view", "复核证件"), ("export", "数据核对")]
    with pg_demo_db.session() as s:
        core = s.scalar(select(Grade.id).where(Grade.code == "core"))
        s.execute(update(DataResource).where(DataResource.id == HANGZHOU_RESOURCE)
                  .values(grade_id=core))
    conn = accounts.connect(admin.username)
    try:  # a modified client that skips the export rules still meets the database's
        assert _refused(conn, "SELECT * FROM govdesk_samples(3, NULL, NULL, 'export')") == "42501"
        assert _refused(conn, "SELECT govdesk_unmask_request(3, '核对证件', 'export')") == "42501"
    finally:
        conn.close()


def test_clear_personal_data_by_grade_is_audited(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    """A grade that does not require masking shows personal data in clear: allowed, but the
    database records who saw which columns."""
    accounts = accounts_for(pg_demo_db)
    viewer = accounts.add("viewer")
    with pg_demo_db.session() as s:
        g1 = s.scalar(select(Grade.id).where(Grade.code == "general1"))
        s.execute(update(DataItem).where(DataItem.resource_id == NINGBO_RESOURCE,
                                         DataItem.name == "公民身份号码").values(grade_id=g1))
    conn = accounts.connect(viewer.username)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT data FROM govdesk_samples(1)")
            rows = [r[0] for r in cur.fetchall()]
        conn.commit()
    finally:
        conn.close()
    raw = _raw(pg_demo_db, NINGBO_RESOURCE)
    assert [r["公民身份号码"] for r in rows] == [r["公民身份号码"] for r in raw]
    (event,) = _unmask_events(pg_demo_db, viewer.username)
    detail = json.loads(event.detail or "{}")
    assert detail["requested"] is False and detail["plain_columns"] == ["公民身份号码"]
    assert detail["rows"] == 20


def test_odd_sample_rows_leak_nothing(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    """Keys that are not data items are dropped; numbers in hidden columns are hidden; a row
    that is not JSON comes back empty, and its text never appears in an error."""
    accounts = accounts_for(pg_demo_db)
    viewer = accounts.add("viewer")
    with pg_demo_db.session() as s:
        s.execute(update(ResourceSample).where(ResourceSample.resource_id == NINGBO_RESOURCE,
                                               ResourceSample.row_no == 1).values(
            data=json.dumps({"公民身份号码": " 11010519491231002X\u3000", "姓名": None,
                             "残疾类别": 3, "秘密": "11010519491231002X", "办公电话": True},
                            ensure_ascii=False)))
        s.execute(update(ResourceSample).where(ResourceSample.resource_id == NINGBO_RESOURCE,
                                               ResourceSample.row_no == 2).values(
            data="{broken 11010519491231002X"))
    conn = accounts.connect(viewer.username)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT data FROM govdesk_samples(1, NULL, 2)")
            first, second = (r[0] for r in cur.fetchall())
        conn.rollback()
    finally:
        conn.close()
    assert "秘密" not in first and first["公民身份号码"] == "110105********002X"
    # a masked column hides whatever it holds (migration 0024); 办公电话's grade shows it
    assert first["姓名"] is None and first["残疾类别"] == "****" and first["办公电话"] is True
    assert "残疾人证号" in first and first["残疾人证号"] is None  # missing key: null
    assert set(second.values()) == {None}


# -- SQL masking == Python masking ---------------------------------------------------------

ALPHABET = ("0123456789" * 4 + "Xx-  ()+" + "张王欧阳娜小明李" + "省市县区旗盟自治州地区" + "浙江杭州西湖宁波"
            + "路号" + "\n\t\u3000\xa0\u2003\x1c\x85" + "１２３٣" + "😀é\u0301")


def _values(n: int) -> list[str]:
    rng = random.Random(20261220)
    fixed = ["", " ", "\u3000", "\t\n", "1", "12", "123", "张", "张三", "王小明", "欧阳娜娜",
             "欧阳娜娜娜娜", " 张三 ", "11010519491231002X", "110105491231002", "12345",
             " 11010519491231002X ", "11010519491231002X42", "1101051949123100 42",
             "11010519491231002 42", "13812345678", "138-1234-5678", "0571-87654321",
             "+86 138 1234 5678", "１３８１２３４５６７８", "23812345678", "1234567",
             "6228480402564890018", "6228 4804 0256 4890 018", "62284804025", "浙江省杭州市西湖区文三路90号",
             "庆元县新华路84号", "杭州市西湖区文三路", "浙江省", "省", "市", "新疆维吾尔自治区伊犁哈萨克自治州伊宁县",
             "内蒙古自治区锡林郭勒盟正蓝旗上都镇", "浙江\n省杭州市", "浙江省\n杭州市西湖区", "杭州", "甲乙",
             "ab", "abc", "😀😀😀😀", "é\u0301é", "a" * 40, "\xa0张三\xa0", "\x1c1\x1f"]
    out = list(fixed)
    for _ in range(n):
        out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 26))))
    return out


def test_sql_masking_equals_python_masking(pg_db: Database) -> None:
    values = _values(2500)
    kinds = [*MASKERS, "unknown-kind"]
    pairs = [(k, v) for k in kinds for v in values]
    with pg_db.engine.connect() as c:
        raw = c.connection.dbapi_connection
        with raw.cursor() as cur:
            cur.execute("SELECT govdesk_mask(k, v) FROM unnest(%s::text[], %s::text[]) "
                        "WITH ORDINALITY AS t(k, v, n) ORDER BY n",
                        ([k for k, _ in pairs], [v for _, v in pairs]))
            sql = [r[0] for r in cur.fetchall()]
            # JSON values: null, numbers, booleans, lists, objects, strings
            json_values = [None, 0, 1.5, -7, True, False, [1, "a"], {"a": 1}, "张三",
                           "11010519491231002X", "", 110105194912310021, 110105194912310020]
            cur.execute("SELECT govdesk_mask_json(k, v::jsonb) FROM unnest(%s::text[], %s::text[]) "
                        "WITH ORDINALITY AS t(k, v, n) ORDER BY n",
                        ([k for k in kinds for _ in json_values],
                         [json.dumps(v, ensure_ascii=False) for _ in kinds for v in json_values]))
            sql_json = [r[0] for r in cur.fetchall()]
            codes = [*MASK_KIND_BY_STANDARD, "DE0004", "DE0017", "", None]
            cur.execute("SELECT govdesk_mask_kind(c) FROM unnest(%s::text[]) "
                        "WITH ORDINALITY AS t(c, n) ORDER BY n", (codes,))
            sql_kinds = [r[0] for r in cur.fetchall()]
    wrong = [(k, v, s, mask(k, v)) for (k, v), s in zip(pairs, sql) if s != mask(k, v)]
    assert wrong[:10] == [] and len(sql) == len(pairs) > 20_000
    assert sql_json == [mask(k, v) for k in kinds for v in json_values]
    assert "110105194912310021" not in json.dumps(sql_json)  # a number is never in clear
    assert sql_kinds == [MASK_KIND_BY_STANDARD.get(c or "", "other") for c in codes]
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}
