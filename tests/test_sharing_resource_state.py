"""A grant gives access only while its resource is published and not 不予共享 (migration 0034),
checked at the time of the read like the items' grades: found by the red team (a resource marked
不予共享, or unpublished, after its grant was approved stayed readable by the grantee).

Over plain psycopg2 as the grantee's data administrator and viewer (the resource, its items,
``govdesk_samples``), and on both databases through the services (the kernel's read, the list
and search, the samples) and the access matrix (the verdict and the explanation). The grant is
not changed: the resource made shareable (or published) again is readable again."""

from __future__ import annotations

from typing import Any

import pytest
from psycopg2 import errors
from sqlalchemy import text
from test_sharing import World, readable_items, terms, world  # noqa: F401  (the fixture)
from test_sharing_pg import Net, net, run  # noqa: F401  (the fixture)

from govdesk.catalog.profiling.samples import sample_rows
from govdesk.catalog.search.browse import count_resources, list_resources
from govdesk.catalog.search.filters import ResourceFilter
from govdesk.security.kernel import ResourceNotFound
from govdesk.sharing import decisions, matrix, queries, workflow
from govdesk.sharing.access_dto import MatrixFilter

#: (column, the value that stops the grant, the value that restores it)
CHANGES = (("sharing_type", "none", None), ("status", "draft", "published"))


def _granted_resource(net: Net) -> tuple[int, list[int], str]:
    """A published 杭州 resource with sample rows, granted whole to 宁波市's federation by an
    approved grant in force today (written by the owner, as given); its id, items, type."""
    rid, kind = net.owner(
        "SELECT r.id, r.sharing_type::text FROM data_resources r LEFT JOIN grades g "
        "ON g.id = r.grade_id WHERE r.region_code LIKE '3301%%' AND r.status = 'published' "
        "AND r.sharing_type <> 'none' AND r.id IN (SELECT resource_id FROM resource_samples) "
        "AND (g.id IS NULL OR (' ' || g.sharing_types_allowed || ' ') LIKE "
        "'%% ' || r.sharing_type || ' %%') ORDER BY r.id LIMIT 1").one()
    net.owner("INSERT INTO sharing_grants (resource_id, grantee_org_id, sharing_type, all_items, "
              "status, conditions_accepted, valid_from, valid_until, version) VALUES (%s, %s, "
              "%s, true, 'approved', true, govdesk_grant_day(), govdesk_grant_day() + 9, 1)",
              rid, net.nb_org, kind)
    items = net.owner("SELECT i.id FROM data_items i JOIN data_resources r ON r.id = "
                      "i.resource_id LEFT JOIN grades g ON g.id = coalesce(i.grade_id, "
                      "r.grade_id) WHERE i.resource_id = %s AND (g.id IS NULL OR (' ' || "
                      "g.sharing_types_allowed || ' ') LIKE '%% ' || %s || ' %%')", rid,
                      kind).scalars().all()
    return rid, sorted(items), kind


def _reads(conn: Any, rid: int) -> tuple[int, list[int], int, int]:
    """(resource rows, item ids, sample rows, ids in govdesk_shared_*_ids()) over plain SQL."""
    rows = run(conn, "SELECT count(*) FROM data_resources WHERE id = %s", rid)[0][0]
    items = sorted(r[0] for r in run(conn, "SELECT id FROM data_items WHERE resource_id = %s",
                                     rid))
    try:
        samples = len(run(conn, "SELECT row_no FROM govdesk_samples(%s)", rid))
    except errors.NoDataFound:
        conn.rollback()
        samples = 0
    shared = run(conn, "SELECT %s = ANY (govdesk_shared_resource_ids())::int + "
                       "cardinality(ARRAY(SELECT i.id FROM data_items i WHERE i.resource_id = "
                       "%s AND i.id = ANY (govdesk_shared_item_ids())))", rid, rid)[0][0]
    return rows, items, samples, shared


@pytest.mark.postgres
@pytest.mark.parametrize(("column", "stop", "back"), CHANGES)
def test_over_plain_sql_nothing_while_the_resource_is_not_shared(net: Net, column: str, stop: str,
                                                                 back: str | None) -> None:
    rid, items, kind = _granted_resource(net)
    hz_admin = net.accounts.add("data_admin", "330100", net.owner(
        "SELECT id FROM organisations WHERE code = 'CDPF-330100'").scalar_one()).username
    nb, viewer, hz = net.conn("nb_admin"), net.conn("nb_viewer"), net.accounts.connect(hz_admin)
    try:
        for conn in (nb, viewer):
            rows, seen, samples, shared = _reads(conn, rid)
            assert (rows, seen, shared) == (1, items, 1 + len(items)) and samples > 0
        if column == "sharing_type":  # the providing side's data administrator, over SQL
            run(hz, "UPDATE data_resources SET sharing_type = 'none', version = version + 1 "
                    "WHERE id = %s", rid)
        else:
            net.owner(f"UPDATE data_resources SET {column} = %s WHERE id = %s", stop, rid)
        for conn in (nb, viewer):
            assert _reads(conn, rid) == (0, [], 0, 0)
        assert run(hz, "SELECT count(*) FROM data_resources WHERE id = %s", rid)[0][0] == 1
        assert net.owner("SELECT status FROM sharing_grants WHERE resource_id = %s AND "
                         "grantee_org_id = %s", rid, net.nb_org).scalar_one() == "approved"
        net.owner(f"UPDATE data_resources SET {column} = %s WHERE id = %s", back or kind, rid)
        for conn in (nb, viewer):
            rows, seen, samples, shared = _reads(conn, rid)
            assert (rows, seen, shared) == (1, items, 1 + len(items)) and samples > 0
    finally:
        nb.close(), viewer.close(), hz.close()


def _grant_whole(w: World) -> None:
    """宁波市's data administrator requests the plain 杭州 resource whole; 杭州 approves."""
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms(accept_conditions=False))
    decisions.approve(*w.as_("hz_sec"), g.id)
    assert queries.grant_detail(*w.as_("nb_admin"), g.id).grant.state == "active"


def _listed(w: World, who: str) -> bool:
    found = {r.code for r in list_resources(*w.as_(who), ResourceFilter(text=w.plain), 0, 50)}
    return w.plain in found and count_resources(*w.as_(who), ResourceFilter(text=w.plain)) > 0


def _cell(w: World) -> tuple[str, str]:
    m = matrix.what_org_can_read(*w.as_("nb_admin"), "CDPF-330200",
                                 MatrixFilter(resource_code=w.plain, exact_code=True))
    (row,) = m.rows
    (cell,) = row.cells
    return cell.verdict, cell.reason


@pytest.mark.parametrize(("column", "stop", "back"), CHANGES)
def test_through_the_services_and_the_matrix(world: World, column: str, stop: str,  # noqa: F811
                                              back: str | None) -> None:
    w = world
    _grant_whole(w)
    whole = readable_items(w, "hz_admin", w.plain_id)
    for who in ("nb_admin", "nb_viewer"):
        assert readable_items(w, who, w.plain_id) == whole and whole
        assert _listed(w, who)
    sample_rows(*w.as_("nb_admin"), w.plain_id)  # readable (whatever rows it holds)
    assert _cell(w) == ("allowed", "granted")
    kind = w.owner("SELECT sharing_type FROM data_resources WHERE id = :r",
                   r=w.plain_id).scalar_one()
    w.owner(f"UPDATE data_resources SET {column} = :v WHERE id = :r", v=stop, r=w.plain_id)
    reason = "not_shared" if column == "sharing_type" else "unpublished"
    for who in ("nb_admin", "nb_viewer"):
        assert readable_items(w, who, w.plain_id) is None
        assert not _listed(w, who)
    with pytest.raises(ResourceNotFound):
        sample_rows(*w.as_("nb_admin"), w.plain_id)
    assert _cell(w) == ("denied", reason)
    for db, who in (w.as_("nb_admin"), w.as_("hz_sec")):
        e = matrix.explain_cell(db, who, w.nb_org, w.plain)
        assert (e.cell.verdict, e.cell.reason) == ("denied", reason)
        assert [(g.state, g.in_force, g.blocked) for g in e.grants] == [("active", True, reason)]
        assert {(i.verdict, i.reason) for i in e.items} == {("denied", reason)}
        assert all(i.grant_ids == (e.grants[0].id,) for i in e.items)
        assert reason in {r.code for r in e.rules}
    w.owner(f"UPDATE data_resources SET {column} = :v WHERE id = :r", v=back or kind,
            r=w.plain_id)
    for who in ("nb_admin", "nb_viewer"):
        assert readable_items(w, who, w.plain_id) == whole
        assert _listed(w, who)
    sample_rows(*w.as_("nb_admin"), w.plain_id)
    assert _cell(w) == ("allowed", "granted")
    e = matrix.explain_cell(*w.as_("hz_sec"), w.nb_org, w.plain)
    assert [g.blocked for g in e.grants] == [None]


def test_the_explanation_says_so_in_the_cli_and_the_export(world: World) -> None:  # noqa: F811
    from govdesk.sharing.matrix_export import explanation_json

    w = world
    _grant_whole(w)
    w.owner("UPDATE data_resources SET sharing_type = 'none' WHERE id = :r", r=w.plain_id)
    e = matrix.explain_cell(*w.as_("hz_sec"), w.nb_org, w.plain)
    grant = explanation_json(e)["grants"][0]
    assert (grant["blocked"], grant["blocked_label"]) == ("not_shared", "资源为不予共享")
    assert explanation_json(e, "en")["grants"][0]["blocked_label"] == \
        "The resource is marked 不予共享"
    with w.db.engine.connect() as c:  # the grant itself is unchanged
        assert c.execute(text("SELECT status FROM sharing_grants WHERE resource_id = :r"),
                         {"r": w.plain_id}).scalar_one() == "approved"


def test_no_grant_no_change(world: World) -> None:  # noqa: F811
    """Without a grant the cell of a 不予共享 resource is denied as before (no ``blocked``)."""
    w = world
    e = matrix.explain_cell(*w.as_("hz_sec"), w.nb_org, w.not_shared)
    assert (e.cell.reason, e.grants) == ("not_shared", ())
