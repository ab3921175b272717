"""The sharing workflow through its services, on both databases (real logins on PostgreSQL):
every step and every refusal of the transition table, the grade rules, what a grantee then
reads (the granted resource and items only, nothing after revocation, release or expiry), scope
grants that cover an organisation created later, the history and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text

from govdesk.catalog.search.browse import get_resource
from govdesk.changes import GRANTS, RESOURCES, recording
from govdesk.db.engine import Database
from govdesk.db.models.sharing import grant_day
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security import audit
from govdesk.security.identity import Identity
from govdesk.security.kernel import ResourceNotFound
from govdesk.sharing import decisions, queries, workflow
from govdesk.sharing.dto import GrantFilter, GrantScope, GrantTerms

TODAY = grant_day()


@dataclass
class World:
    db: Database
    accounts: Any
    conditional: str  # a published 杭州 resource, 有条件共享, graded general4 (two approvals)
    conditional_id: int
    plain: str  # a published 杭州 resource, 无条件共享, general1 (one approval)
    plain_id: int
    not_shared: str  # a published 杭州 resource marked 不予共享
    core_item: str  # an item of the conditional resource graded core (never shared)
    nb_org: int
    logins: dict[str, tuple[Database, Identity]]

    def as_(self, name: str) -> tuple[Database, Identity]:
        return self.logins[name]

    def owner(self, sql: str, **params: Any) -> Any:
        with self.db.engine.begin() as c:
            return c.execute(text(sql), params)


def _one(db: Database, sql: str) -> Any:
    with db.engine.connect() as c:
        return c.execute(text(sql)).one()


@pytest.fixture
def world(demo_db: Database, accounts_for: Any) -> Iterator[World]:
    db = demo_db
    pick = ("SELECT r.id, r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id "
            "WHERE r.region_code LIKE '3301%' AND r.status = 'published' AND "
            "r.sharing_type = '{t}' AND g.code = '{g}' ORDER BY r.id LIMIT 1")
    cond_id, cond = _one(db, pick.format(t="conditional", g="general4"))
    plain_id, plain = _one(db, pick.format(t="unconditional", g="general1"))
    _none_id, none = _one(db, pick.format(t="none", g="general4"))
    with db.engine.begin() as c:
        core_item = c.execute(text(
            "SELECT name FROM data_items WHERE resource_id = :r ORDER BY seq DESC LIMIT 1"),
            {"r": cond_id}).scalar_one()
        c.execute(text("UPDATE data_items SET grade_id = (SELECT g.id FROM grades g JOIN "
                       "grade_schemes s ON s.id = g.scheme_id AND s.is_active WHERE g.code = "
                       "'core') WHERE resource_id = :r AND name = :n"),
                  {"r": cond_id, "n": core_item})
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    accounts = accounts_for(db)
    logins = {
        "hz_sec": accounts.login("secadmin", "330100", orgs["CDPF-330100"]),
        "hz_sec2": accounts.login("secadmin", "330100", orgs["CDPF-330100"]),
        "hz_admin": accounts.login("data_admin", "330100", orgs["CDPF-330100"]),
        "nb_admin": accounts.login("data_admin", "330200", orgs["CDPF-330200"]),
        "nb_sec": accounts.login("secadmin", "330200", orgs["CDPF-330200"]),
        "nb_viewer": accounts.login("viewer", "330200", orgs["CDPF-330200"]),
    }
    yield World(db, accounts, cond, cond_id, plain, plain_id, none, core_item,
                orgs["CDPF-330200"], logins)


def terms(**kw: Any) -> GrantTerms:
    base: dict[str, Any] = dict(valid_until=TODAY + dt.timedelta(days=90), method="platform",
                                purpose_code="eligibility_check", purpose="两项补贴资格比对",
                                legal_basis="《残疾人保障法》", accept_conditions=True)
    base.update(kw)
    return GrantTerms(**base)


def readable_items(w: World, who: str, resource_id: int) -> set[str] | None:
    """The item names ``who`` reads of the resource, or None when the resource is hidden."""
    try:
        return {i.name for i in get_resource(*w.as_(who), resource_id).items}
    except ResourceNotFound:
        return None


def approved_twice(w: World, grant_id: int) -> Any:
    first = decisions.approve(*w.as_("hz_sec"), grant_id)
    assert first.status == "first_approved"
    assert first.first_approved_by == w.as_("hz_sec")[1].username
    return decisions.approve(*w.as_("hz_sec2"), grant_id)


def test_request_two_approvals_then_the_grantee_reads_the_granted_items_only(world: World) -> None:
    w = world
    assert readable_items(w, "nb_admin", w.conditional_id) is None
    asked = sorted(readable_items(w, "hz_admin", w.conditional_id) or ())[:2]
    with recording() as changes:
        g = workflow.request_grant(*w.as_("nb_admin"), w.conditional, terms(items=tuple(asked)))
    assert changes.changes.ids(GRANTS) == {g.id}
    assert w.conditional_id in (changes.changes.ids(RESOURCES) or ())
    assert (g.status, g.state, g.origin, g.grantee_org_id) == ("requested", "requested",
                                                               "request", w.nb_org)
    assert g.requested_by == w.as_("nb_admin")[1].username and g.requested_at is not None
    assert not g.all_items and set(g.items) == set(asked)
    assert g.conditions_accepted and g.conditions_accepted_by == g.requested_by
    assert readable_items(w, "nb_admin", w.conditional_id) is None  # not before approval
    done = approved_twice(w, g.id)
    assert (done.status, done.state, done.decided_by) == ("approved", "active",
                                                          w.as_("hz_sec2")[1].username)
    assert readable_items(w, "nb_admin", w.conditional_id) == set(asked)
    assert readable_items(w, "nb_viewer", w.conditional_id) == set(asked)  # the whole org
    history = queries.grant_detail(*w.as_("nb_admin"), g.id).events
    assert [(e.from_status, e.to_status) for e in history] == [
        (None, "requested"), ("requested", "first_approved"), ("first_approved", "approved")]
    assert [e.actor for e in history] == [w.as_(n)[1].username
                                          for n in ("nb_admin", "hz_sec", "hz_sec2")]
    with w.db.engine.connect() as c:
        steps = c.execute(text("SELECT username FROM audit_events WHERE event_type = "
                               "'sharing_grant' AND object_id = :g ORDER BY id"),
                          {"g": str(g.id)}).scalars().all()
    assert steps == [e.actor for e in history]
    assert audit.verify(w.db).ok


def test_one_approval_where_the_grade_asks_for_none_and_all_items(world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms(accept_conditions=False))
    assert g.all_items and g.sharing_type == "unconditional" and not g.exclusions
    done = decisions.approve(*w.as_("hz_sec"), g.id, note="同意")
    assert done.state == "active" and done.first_approved_by is None
    assert readable_items(w, "nb_admin", w.plain_id) == readable_items(w, "hz_admin", w.plain_id)


def test_items_whose_grade_forbids_sharing_are_left_out_and_said_why(world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.conditional, terms())
    assert not g.all_items and w.core_item not in g.items
    assert [(e.item, e.reason) for e in g.exclusions] == [(w.core_item, "grade_forbids_sharing")]
    with pytest.raises(InputRejected) as refused:
        workflow.request_grant(*w.as_("nb_admin"), w.conditional, terms(items=(w.core_item,)))
    assert refused.value.code == "grant_item_forbidden"
    approved_twice(w, g.id)
    seen = readable_items(w, "nb_admin", w.conditional_id)
    assert seen is not None and w.core_item not in seen and seen == set(g.items)


@pytest.mark.parametrize("change, code", [
    (dict(accept_conditions=False), "grant_conditions_not_accepted"),
    (dict(valid_until=TODAY + dt.timedelta(days=400)), "grant_too_long"),
    (dict(valid_from=TODAY - dt.timedelta(days=1)), "grant_starts_in_past"),
    (dict(valid_until=TODAY - dt.timedelta(days=1)), "grant_dates_order"),
    (dict(method="pigeon"), "grant_value_unknown"),
    (dict(items=("没有这个数据项",)), "grant_item_unknown"),
])
def test_requests_that_break_a_rule_are_refused(world: World, change: dict[str, Any],
                                                code: str) -> None:
    with pytest.raises(InputRejected) as refused:
        workflow.request_grant(*world.as_("nb_admin"), world.conditional, terms(**change))
    assert refused.value.code == code


def test_not_shared_and_unpublished_resources_cannot_be_granted(world: World) -> None:
    w = world
    with pytest.raises(InputRejected, match="not shared"):
        workflow.request_grant(*w.as_("nb_admin"), w.not_shared, terms())
    with pytest.raises(InputRejected) as refused:
        workflow.request_grant(*w.as_("nb_admin"), "999/999999", terms())
    assert refused.value.code == "grant_resource_unpublished"


def test_nobody_decides_their_own_grant_and_two_approvers_are_two_people(world: World) -> None:
    w = world
    offer = workflow.offer_grant(*w.as_("hz_sec"), w.conditional, terms(), grantee="CDPF-330200")
    assert offer.status == "offered" and offer.origin == "offer"
    with pytest.raises(PermissionDenied) as own:
        decisions.approve(*w.as_("hz_sec"), offer.id)
    assert own.value.code == "grant_self_decision"
    with pytest.raises(PermissionDenied):
        decisions.reject(*w.as_("hz_sec"), offer.id, reason="自己驳回")
    decisions.approve(*w.as_("hz_sec2"), offer.id)  # first of two
    with pytest.raises(PermissionDenied) as twice:
        decisions.approve(*w.as_("hz_sec2"), offer.id)
    assert twice.value.code == "grant_second_approver"
    # the receiving side's security administrator is not the providing side
    with pytest.raises(PermissionDenied) as other:
        decisions.approve(*w.as_("nb_sec"), offer.id)
    assert other.value.code in ("grant_not_provider", "grant_not_found")
    # a data administrator never decides
    with pytest.raises(PermissionDenied):
        decisions.approve(*w.as_("hz_admin"), offer.id)


def test_reject_needs_a_reason_and_is_final(world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    with pytest.raises(InputRejected) as blank:
        decisions.reject(*w.as_("hz_sec"), g.id, reason="  ")
    assert blank.value.code == "grant_reason_required"
    done = decisions.reject(*w.as_("hz_sec"), g.id, reason="用途与资源不符")
    assert (done.status, done.reason) == ("rejected", "用途与资源不符")
    with pytest.raises(InputRejected) as again:
        decisions.approve(*w.as_("hz_sec2"), g.id)
    assert again.value.code == "grant_bad_step"


def test_revoked_and_released_grants_give_nothing(world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    decisions.approve(*w.as_("hz_sec"), g.id)
    assert readable_items(w, "nb_admin", w.plain_id)
    with pytest.raises(InputRejected):
        decisions.revoke(*w.as_("hz_sec"), g.id, reason="")
    gone = decisions.revoke(*w.as_("hz_sec"), g.id, reason="合作协议终止")
    assert (gone.state, gone.ended_by) == ("revoked", w.as_("hz_sec")[1].username)
    assert readable_items(w, "nb_admin", w.plain_id) is None
    h = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    decisions.approve(*w.as_("hz_sec"), h.id)
    with pytest.raises(PermissionDenied):
        decisions.release(*w.as_("hz_admin"), h.id)  # not the grantee
    assert decisions.release(*w.as_("nb_admin"), h.id, reason="业务结束").state == "released"
    assert readable_items(w, "nb_admin", w.plain_id) is None


def test_an_expired_grant_stops_working_with_no_job(world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    decisions.approve(*w.as_("hz_sec"), g.id)
    w.owner("UPDATE sharing_grants SET valid_from = :f, valid_until = :u WHERE id = :g",
            f=TODAY - dt.timedelta(days=30), u=TODAY - dt.timedelta(days=1), g=g.id)
    assert readable_items(w, "nb_admin", w.plain_id) is None
    seen = queries.list_grants(*w.as_("nb_admin"), GrantFilter(state="expired"))
    assert g.id in [x.id for x in seen] and seen[0].status == "approved"
    with pytest.raises(InputRejected) as late:
        decisions.revoke(*w.as_("hz_sec"), g.id, reason="到期")
    assert late.value.code == "grant_bad_step"
    with pytest.raises(InputRejected):
        workflow.renew_grant(*w.as_("nb_admin"), g.id, TODAY + dt.timedelta(days=30))


def test_renewal_is_a_new_request_from_the_day_after(world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    decisions.approve(*w.as_("hz_sec"), g.id)
    assert g.valid_until is not None
    renewal = workflow.renew_grant(*w.as_("nb_admin"), g.id, g.valid_until + dt.timedelta(days=60))
    assert (renewal.status, renewal.renews_grant_id) == ("requested", g.id)
    assert renewal.valid_from == g.valid_until + dt.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        workflow.renew_grant(*w.as_("hz_admin"), g.id, g.valid_until + dt.timedelta(days=9))
    assert decisions.approve(*w.as_("hz_sec"), renewal.id).state == "scheduled"


def test_unanswered_requests_lapse(world: World) -> None:
    w = world
    old = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    fresh = workflow.request_grant(*w.as_("nb_admin"), w.conditional, terms())
    w.owner("UPDATE sharing_grants SET requested_at = :t WHERE id = :g",
            t=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=15), g=old.id)
    with pytest.raises(InputRejected) as late:
        decisions.approve(*w.as_("hz_sec"), old.id)
    assert late.value.code == "grant_lapsed"
    lapsed = decisions.expire_due(*w.as_("hz_sec"))
    assert [x.id for x in lapsed] == [old.id] and lapsed[0].state == "lapsed"
    assert queries.grant_detail(*w.as_("hz_sec"), fresh.id).grant.state == "requested"


def test_a_scope_grant_covers_an_organisation_created_after_it(world: World) -> None:
    w = world
    scope = GrantScope("3302", "federation", 3)  # every county federation under 宁波市
    g = workflow.offer_grant(*w.as_("hz_admin"), w.plain, terms(), scope=scope)
    assert g.scope == scope and g.grantee_org_id is None
    decisions.approve(*w.as_("hz_sec"), g.id)
    assert readable_items(w, "nb_admin", w.plain_id) is None  # 宁波市's own federation: level 2
    w.owner("INSERT INTO organisations (code, name, kind, region_code, version, created_at, "
            "updated_at) VALUES ('CDPF-330299', '新设县残联', 'federation', '330206000000', 1, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
    new_org = w.owner("SELECT id FROM organisations WHERE code = 'CDPF-330299'").scalar_one()
    county = w.accounts.login("data_admin", "330206", new_org)
    w.logins["county"] = county
    assert readable_items(w, "county", w.plain_id)
    assert g.id in [x.id for x in queries.list_grants(*county, GrantFilter(mine=True))]
    with pytest.raises(InputRejected) as scoped:
        decisions.release(*county, g.id)
    assert scoped.value.code == "grant_scope_release"


def test_who_sees_which_grants(world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms())
    for name in ("nb_admin", "nb_viewer", "hz_sec", "hz_admin"):
        assert g.id in [x.id for x in queries.list_grants(*w.as_(name))], name
    to_decide = queries.list_grants(*w.as_("hz_sec"), GrantFilter(to_decide=True))
    assert g.id in [x.id for x in to_decide]
    assert g.id not in [x.id for x in queries.list_grants(*w.as_("nb_admin"),
                                                          GrantFilter(to_decide=True))]
    other = w.accounts.login("data_admin", "330300", None)  # 温州: neither side
    assert g.id not in [x.id for x in queries.list_grants(*other)]
    with pytest.raises(InputRejected):
        queries.grant_detail(*other, g.id)


def test_sample_rows_of_a_shared_resource_hold_the_granted_items_only(world: World) -> None:
    """Through the samples service, on both databases (PostgreSQL: ``govdesk_samples``)."""
    from govdesk.catalog.profiling.samples import sample_rows

    w = world
    rid, code = _one(w.db, "SELECT r.id, r.code FROM data_resources r WHERE r.region_code LIKE "
                           "'3301%' AND r.status = 'published' AND r.sharing_type <> 'none' AND "
                           "r.id IN (SELECT resource_id FROM resource_samples) ORDER BY r.id "
                           "LIMIT 1")
    own = sample_rows(*w.as_("hz_admin"), rid).columns
    until = TODAY + dt.timedelta(days=30)
    g = workflow.request_grant(*w.as_("nb_admin"), code, terms(items=own[:2], valid_until=until))
    decisions.approve(*w.as_("hz_sec"), g.id)
    if g.status == "requested" and queries.grant_detail(*w.as_("hz_sec"), g.id).grant.status \
            == "first_approved":
        decisions.approve(*w.as_("hz_sec2"), g.id)
    shared = sample_rows(*w.as_("nb_admin"), rid)
    assert set(shared.columns) == set(own[:2]) and len(own) > 2
    assert shared.rows and all(len(r) == 2 for r in shared.rows)
