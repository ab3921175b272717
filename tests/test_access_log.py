"""Access events recorded by the service kernel (issue 15, ``govdesk.security.access_log``), on
both databases: catalogue queries, detail views, sample views masked and unmasked, exports,
denials (by permission, and a named resource not found or not visible) and logins; stamped with
the caller (by the database on PostgreSQL, by the service layer on SQLite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from govdesk.catalog.excel.exporter import export_catalog
from govdesk.catalog.profiling.samples import sample_rows
from govdesk.catalog.search.browse import ResourceFilter, first_page, get_resource
from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import access_log
from govdesk.security.access_log import AccessNotRecorded, Event


def events(db: Database, username: str) -> list[dict[str, Any]]:
    """``username``'s events, oldest first (read as the owner)."""
    with db.engine.connect() as c:
        return [dict(r) for r in c.execute(text(
            "SELECT action, row_count, success, failure, resource_id, object_ref, operation, "
            "username, role_code, organisation_id, client_host, ts FROM access_events "
            "WHERE username = :u ORDER BY ts, id"), {"u": username}).mappings()]


def _resource(db: Database, region: str, with_samples: bool = False) -> int:
    samples = "AND EXISTS (SELECT 1 FROM resource_samples s WHERE s.resource_id = r.id)" \
        if with_samples else ""
    with db.engine.connect() as c:
        return int(c.execute(text(
            f"SELECT r.id FROM data_resources r WHERE r.region_code LIKE :p {samples} "
            "AND NOT EXISTS (SELECT 1 FROM sharing_grants g WHERE g.resource_id = r.id) "
            "ORDER BY r.id LIMIT 1"), {"p": region + "%"}).scalar_one())


def test_reads_and_refusals_are_recorded(demo_db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(demo_db)
    db, who = a.login("data_admin", region="330100")
    mine, theirs = _resource(demo_db, "3301", True), _resource(demo_db, "3302")
    _count, rows = first_page(db, who, ResourceFilter(), 7)
    get_resource(db, who, mine)
    with pytest.raises(InputRejected):
        get_resource(db, who, theirs)  # exists, but another city's: "not found" to the caller
    with pytest.raises(InputRejected):
        get_resource(db, who, 99_999_999)  # does not exist at all
    table = sample_rows(db, who, mine, limit=3)
    clear = sample_rows(db, who, mine, unmask=True, reason="核查申请材料中的身份信息", limit=2)
    result = export_catalog(db, who, tmp_path / "c.xlsx", ResourceFilter(region_code="330100"))
    got = [(e["action"], e["row_count"], e["success"], e["failure"], e["resource_id"],
            e["object_ref"]) for e in events(demo_db, who.username)
           if e["action"] != "login"]
    assert got == [
        ("query", len(rows), True, None, None, None),
        ("view", 1, True, None, mine, str(mine)),
        ("view", 0, False, "not_found", theirs, str(theirs)),  # the database knows it exists
        ("view", 0, False, "not_found", None, "99999999"),
        ("sample_view", len(table.rows), True, None, mine, str(mine)),
        ("sample_unmask", len(clear.rows), True, None, mine, str(mine)),
        ("export", result.resources, True, None, None, None),
    ]
    every = events(demo_db, who.username)
    assert {(e["username"], e["role_code"]) for e in every} == {(who.username, "data_admin")}
    assert all(e["operation"] and e["client_host"] for e in every)
    assert [e["operation"] for e in every if e["action"] == "query"] == [
        "catalog.search.browse.first_page"]  # the outer call only, not first_keyed_page
    viewer_db, viewer = a.login("viewer")
    with pytest.raises(PermissionDenied):  # a viewer may not read samples at all
        sample_rows(viewer_db, viewer, mine)
    assert [(e["action"], e["success"], e["failure"], e["resource_id"])
            for e in events(demo_db, viewer.username) if e["action"] != "login"] == [
        ("sample_view", False, "denied", mine)]


def test_logins_are_recorded_success_and_failure(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    from govdesk.security.auth import LoginFailed, login_postgres, login_sqlite  # noqa: F401

    a = accounts_for(demo_db)
    who = a.add("viewer")
    if demo_db.is_postgres:
        handle, _ = login_postgres(a.url_for(who.username), host="pc-17")
        handle.dispose()
        # this test server trusts local clients: the gate is told of the failure as
        # login_postgres tells it on "password authentication failed"
        from govdesk.security import gate

        gate.report_failure(a.url_for(who.username), who.username, "pc-17")
    else:
        login_sqlite(demo_db, who.username, a.PASSWORD, host="pc-17")
        with pytest.raises(LoginFailed):
            login_sqlite(demo_db, who.username, "wrong-Passw0rd!", host="pc-17")
    logins = [(e["success"], e["failure"], e["client_host"], e["operation"])
              for e in events(demo_db, who.username) if e["action"] == "login"]
    assert [(ok, failure) for ok, failure, _h, _o in logins[-2:]] == [(True, None),
                                                                    (False, "denied")]
    assert logins[-1][2] == "pc-17" and all(host for _s, _f, host, _o in logins)


def test_an_event_that_cannot_be_written_withholds_the_result(demo_db: Database,  # type: ignore[no-untyped-def]
                                                              accounts_for, monkeypatch) -> None:
    a = accounts_for(demo_db)
    db, who = a.login("viewer")

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise AccessNotRecorded("access_not_recorded", action="query")

    monkeypatch.setattr(access_log, "record", broken)
    with pytest.raises(AccessNotRecorded) as raised:
        first_page(db, who, ResourceFilter(), 5)
    assert "无法写入本次访问记录" in raised.value.text("zh")
    with pytest.raises(InputRejected):  # a refusal is still the refusal the user sees
        get_resource(db, who, 99_999_999)


def test_record_stamps_the_caller_on_sqlite_and_refuses_nothing_it_needs(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    a = accounts_for(demo_db)
    db, who = a.login("auditor")  # auditors record events too (they export and log in)
    access_log.record(db, who, Event("export", row_count=12, operation="test"))
    last = events(demo_db, who.username)[-1]
    assert (last["action"], last["row_count"], last["role_code"]) == ("export", 12, "auditor")
