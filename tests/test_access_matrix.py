"""The effective-access matrix through its services, on both databases (real logins on
PostgreSQL): every verdict and reason of a cell, every reason of a data item, the explanation of
a cell (grants named and by scope, states and dates), who may see which part of the matrix,
paging, filters and the exports (Excel, JSON)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from access_world import TODAY, AccessWorld, build
from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security.identity import Identity
from govdesk.security.kernel import ResourceNotFound
from govdesk.sharing import matrix
from govdesk.sharing.access_dto import AccessMatrix, MatrixFilter, MatrixPage
from govdesk.sharing.matrix_export import export_matrix, matrix_json


@pytest.fixture
def world(demo_db: Database, accounts_for: Any) -> tuple[AccessWorld, Any]:
    return build(demo_db), accounts_for(demo_db)


def _login(accounts: Any, role: str, region: str, org: int) -> tuple[Database, Identity]:
    return accounts.login(role, region, org)


def _cells(m: AccessMatrix, code: str) -> dict[str, Any]:
    row = next(r for r in m.rows if r.resource.code == code)
    return {o.code: c for o, c in zip(m.orgs, row.cells)}


EXPECTED = {
    "CDPF-330100": ("allowed", "own_region"),
    "CDPF-330200": ("partial", "some_items"),  # all items granted, but item 2 is core
    "EDUCATION-330200": ("partial", "some_items"),
    "HEALTH-330200": ("partial", "metadata_only"),
    "CDPF-330203": ("partial", "some_items"),  # by the scope grant
    "CDPF-330300": ("denied", "expired"),
    "CDPF-330400": ("denied", "revoked"),
    "CDPF-330500": ("denied", "scheduled"),
    "CDPF-330600": ("denied", "pending"),
    "CDPF-330700": ("denied", "rejected"),
    "CDPF-330800": ("denied", "released"),
    "CDPF-330900": ("denied", "lapsed"),
    "CDPF-331000": ("denied", "no_grant"),
}


def test_every_verdict_of_a_resource_for_its_providing_side(world: Any) -> None:
    w, accounts = world
    db, who = _login(accounts, "secadmin", "330100", w.orgs["CDPF-330100"])
    row = matrix.who_can_read(db, who, w.code)
    cells = dict(zip([o.code for o in matrix.access_matrix(db, who, MatrixFilter(
        resource_code=w.code, exact_code=True), MatrixPage(limit=1)).orgs], row.cells))
    for org, (verdict, reason) in EXPECTED.items():
        assert (cells[org].verdict, cells[org].reason) == (verdict, reason), org
    n = len(w.items)
    assert (cells["CDPF-330200"].items_readable, cells["CDPF-330200"].items_total) == (n - 1, n)
    whole = matrix.who_can_read(db, who, w.whole, MatrixFilter(org_code="CDPF-330200"))
    assert (whole.cells[0].verdict, whole.cells[0].reason) == ("allowed", "granted")
    assert whole.cells[0].grant_ids == (w.grants["whole"],)
    assert cells["EDUCATION-330200"].items_readable == 2
    assert cells["HEALTH-330200"].items_readable == 0
    assert cells["CDPF-330300"].ended == TODAY - dt.timedelta(days=1)
    assert cells["CDPF-330500"].since == TODAY + dt.timedelta(days=3)
    assert cells["CDPF-330203"].grant_ids == (w.grants["scope"],)
    assert cells["CDPF-330203"].until == TODAY + dt.timedelta(days=20)


def test_rules_that_deny_without_a_grant(world: Any) -> None:
    w, accounts = world
    db, who = _login(accounts, "secadmin", "330100", w.orgs["CDPF-330100"])
    for code, reason in ((w.not_shared, "not_shared"), (w.unpublished, "unpublished"),
                         (w.forbidden, "grade_forbids")):
        cells = {o: c for o, c in zip(
            [o.code for o in matrix.access_matrix(db, who, MatrixFilter(org_region="3302"),
                                                  MatrixPage(limit=1)).orgs],
            matrix.who_can_read(db, who, code, MatrixFilter(org_region="3302")).cells)}
        assert {(c.verdict, c.reason) for c in cells.values()} == {("denied", reason)}, code


def test_the_explanation_of_a_cell_names_every_grant_and_item(world: Any) -> None:
    w, accounts = world
    db, who = _login(accounts, "secadmin", "330100", w.orgs["CDPF-330100"])
    e = matrix.explain_cell(db, who, w.orgs["EDUCATION-330200"], w.code)
    assert (e.cell.verdict, e.cell.reason) == ("partial", "some_items")
    assert [(g.id, g.state, g.how, g.in_force) for g in e.grants] == [
        (w.grants["EDUCATION-330200"], "active", "named", True)]
    reasons = [i.reason for i in e.items]
    assert reasons[:4] == ["granted", "granted", "not_granted", "excluded"]
    assert set(reasons[4:]) <= {"not_granted"}
    health = matrix.explain_cell(db, who, w.orgs["HEALTH-330200"], w.code)
    assert health.items[2].reason == "grade_forbids" and health.items[2].grade_name
    county = matrix.explain_cell(db, who, w.orgs["CDPF-330203"], w.code)
    assert county.grants[0].how == "scope" and county.grants[0].scope.region_prefix == "3302"
    assert county.grants[0].scope_region_name == "宁波市"
    assert {i.reason for i in county.items} == {"granted", "grade_forbids"}
    revoked = matrix.explain_cell(db, who, w.orgs["CDPF-330400"], w.code)
    assert revoked.grants[0].state == "revoked" and revoked.grants[0].reason == "协议终止"
    assert revoked.grants[0].ended == TODAY
    assert {i.reason for i in revoked.items} == {"revoked"}
    mine = matrix.explain_cell(db, who, w.orgs["CDPF-330100"], w.code)
    assert mine.rules[0].code == "own_region" and {i.reason for i in mine.items} == {"own_region"}
    shut = matrix.explain_cell(db, who, w.orgs["CDPF-330200"], w.not_shared)
    assert [r.code for r in shut.rules] == ["not_shared"] and shut.cell.reason == "not_shared"


def test_an_organisation_sees_what_it_can_read_also_from_other_regions(world: Any) -> None:
    w, accounts = world
    nb_db, nb = _login(accounts, "data_admin", "330200", w.orgs["CDPF-330200"])
    m = matrix.what_org_can_read(nb_db, nb, "CDPF-330200", MatrixFilter(region="3301"),
                                 MatrixPage(limit=500))
    assert {w.code, w.whole} <= {r.resource.code for r in m.rows}
    assert _cells(m, w.code)["CDPF-330200"].reason == "some_items"
    assert _cells(m, w.whole)["CDPF-330200"].reason == "granted"
    e = matrix.explain_cell(nb_db, nb, w.orgs["CDPF-330200"], w.code)
    assert e.cell.verdict == "partial" and e.items[2].reason == "grade_forbids"
    assert e.items[2].name and e.items[0].reason == "granted"  # names hidden by RLS: 0031
    wz_db, wz = _login(accounts, "data_admin", "330300", w.orgs["CDPF-330300"])
    m = matrix.what_org_can_read(wz_db, wz, "CDPF-330300", MatrixFilter(resource_code=w.code))
    assert _cells(m, w.code)["CDPF-330300"].reason == "expired"  # hidden by RLS, told by 0031
    assert matrix.explain_cell(wz_db, wz, w.orgs["CDPF-330300"], w.code).grants[0].state == \
        "expired"
    # another organisation's cell of a resource of another region is not theirs to know
    with pytest.raises(ResourceNotFound):
        matrix.explain_cell(wz_db, wz, w.orgs["CDPF-330200"], w.code)
    # their region's resources x every organisation: not the 杭州 resource
    m = matrix.access_matrix(wz_db, wz, MatrixFilter(resource_code=w.code))
    assert m.rows == ()


def test_who_may_see_the_matrix(world: Any) -> None:
    w, accounts = world
    viewer_db, viewer = _login(accounts, "viewer", "330100", w.orgs["CDPF-330100"])
    with pytest.raises(PermissionDenied):
        matrix.access_matrix(viewer_db, viewer)
    db, who = _login(accounts, "secadmin", "330100", w.orgs["CDPF-330100"])
    with pytest.raises(InputRejected, match="CDPF-999999"):
        matrix.access_matrix(db, who, MatrixFilter(org_code="CDPF-999999"))
    nb_sec_db, nb_sec = _login(accounts, "secadmin", "330200", w.orgs["CDPF-330200"])
    with pytest.raises(ResourceNotFound):
        matrix.who_can_read(nb_sec_db, nb_sec, w.code)


def test_pages_and_filters(world: Any) -> None:
    w, accounts = world
    db, who = _login(accounts, "secadmin", "330100", w.orgs["CDPF-330100"])
    first = matrix.access_matrix(db, who, MatrixFilter(org_kind="education"), MatrixPage(limit=7))
    assert len(first.rows) == 7 and first.next_after == first.rows[-1].resource.code
    assert {o.kind for o in first.orgs} == {"education"}
    second = matrix.access_matrix(db, who, MatrixFilter(org_kind="education"),
                                  MatrixPage(after=first.next_after, limit=7))
    assert second.rows[0].resource.code > first.rows[-1].resource.code
    assert all(r.resource.region_code.startswith("3301") for r in first.rows + second.rows)
    cat = matrix.access_matrix(db, who, MatrixFilter(category="201"), MatrixPage(limit=20))
    assert cat.rows and all(r.resource.category_code.startswith("201") for r in cat.rows)
    graded = matrix.access_matrix(db, who, MatrixFilter(grade="general1"), MatrixPage(limit=20))
    assert graded.rows and all(r.resource.grade_code == "general1" for r in graded.rows)


def test_exports(world: Any, tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    w, accounts = world
    db, who = _login(accounts, "secadmin", "330100", w.orgs["CDPF-330100"])
    f = MatrixFilter(resource_code=w.code[:6], org_region="33")
    n = export_matrix(db, who, f, tmp_path / "m.xlsx")
    book = CalamineWorkbook.from_path(str(tmp_path / "m.xlsx"))
    assert book.sheet_names == ["访问矩阵", "授权明细", "说明"]
    grid = book.get_sheet_by_name("访问矩阵").to_python()
    assert grid[0][:2] == ["资源代码", "资源名称"] and len(grid) == n + 1
    detail = book.get_sheet_by_name("授权明细").to_python()
    assert any(r[0] == w.code and r[2] == "EDUCATION-330200" and r[4] == "部分可读"
               for r in detail)
    assert export_matrix(db, who, f, tmp_path / "m.json") == n
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert data["schema"] == "govdesk.access-matrix/1"
    row = next(r for r in data["resources"] if r["code"] == w.code)
    cells = {c["org"]: c for c in row["cells"]}
    assert cells["CDPF-330300"]["reason"] == "expired" and "CDPF-331000" not in cells
    assert row["denied_reason"] == "no_grant" and cells["CDPF-330200"]["verdict_label"] == "部分可读"
    page = matrix_json(matrix.access_matrix(db, who, f), "en")
    assert page["resources"][0]["cells"] == [] or page["lang"] == "en"
    with pytest.raises(InputRejected):
        export_matrix(db, who, f, tmp_path / "m.csv")
