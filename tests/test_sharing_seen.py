"""What is approved is what the approver saw (left open by the sharing red team, closed by
migration 0043): an approval that names the version it was shown is refused once the grant
changed, on both databases (another approval in between) and on PostgreSQL also when the
requester names a further data item over plain SQL after the reviewer opened it."""

from __future__ import annotations

import pytest
from test_sharing import World, terms, world  # noqa: F401  (the fixture)
from test_sharing_pg import Net, net, run  # noqa: F401  (the fixture)

from govdesk.db.engine import Database
from govdesk.errors import ConflictError
from govdesk.security.identity import identity_from_connection
from govdesk.sharing import decisions, queries, workflow


def test_an_approval_of_a_grant_that_changed_since_it_was_seen_is_refused(world: World) -> None:  # noqa: F811
    w = world  # the conditional resource's grade asks for two approvals
    g = workflow.request_grant(*w.as_("nb_admin"), w.conditional, terms())
    seen = queries.grant_detail(*w.as_("hz_sec2"), g.id).grant.version  # the second opens it
    first = decisions.approve(*w.as_("hz_sec"), g.id, seen_version=g.version)
    assert first.status == "first_approved"
    with pytest.raises(ConflictError) as stale:
        decisions.approve(*w.as_("hz_sec2"), g.id, seen_version=seen)
    assert stale.value.code == "grant_changed" and "刷新" in stale.value.text("zh")
    assert queries.grant_detail(*w.as_("hz_sec2"), g.id).grant.status == "first_approved"
    fresh = queries.grant_detail(*w.as_("hz_sec2"), g.id).grant.version
    assert decisions.approve(*w.as_("hz_sec2"), g.id, seen_version=fresh).status == "approved"


@pytest.mark.postgres
def test_an_item_named_later_over_sql_makes_the_seen_version_stale(net: Net) -> None:  # noqa: F811
    kind = net.owner("SELECT sharing_type::text FROM data_resources WHERE id = %s",
                     net.resource).scalar_one()
    nb = net.conn("nb_admin")
    try:
        with nb.cursor() as cur:  # the grant and its first item in one transaction
            cur.execute("INSERT INTO sharing_grants (resource_id, grantee_org_id, sharing_type, "
                        "all_items, status, conditions_accepted, method, purpose_code, purpose, "
                        "valid_from, valid_until, version) VALUES (%s, %s, %s, false, "
                        "'requested', true, 'platform', 'eligibility_check', '资格比对核验', "
                        "govdesk_grant_day(), govdesk_grant_day() + 30, 1) RETURNING id, version",
                        (net.resource, net.nb_org, kind))
            gid, version = cur.fetchone()
            cur.execute("INSERT INTO sharing_grant_items (grant_id, item_id) VALUES (%s, %s)",
                        (gid, net.items[0]))
        nb.commit()
        # the item written with the grant, in its transaction, changes nothing
        assert net.owner("SELECT version FROM sharing_grants WHERE id = %s",
                         gid).scalar_one() == version
        seen = version  # the reviewer opens it now
        run(nb, "INSERT INTO sharing_grant_items (grant_id, item_id) VALUES (%s, %s)", gid,
            net.items[1])
    finally:
        nb.close()
    assert net.owner("SELECT version FROM sharing_grants WHERE id = %s",
                     gid).scalar_one() == seen + 1
    handle = Database(net.accounts.url_for(net.users["hz_sec"]))  # the reviewer's client
    net.accounts.handles.append(handle)
    who = identity_from_connection(handle)
    with pytest.raises(ConflictError):
        decisions.approve(handle, who, gid, seen_version=seen)
    now = queries.grant_detail(handle, who, gid).grant
    assert now.status == "requested" and now.version == seen + 1
    assert decisions.approve(handle, who, gid, seen_version=now.version).status == "approved"
