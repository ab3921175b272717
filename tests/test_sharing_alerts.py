"""Sharing alerts on both databases, as real logins on PostgreSQL (the grants, their labels and
the access events each role may read under row-level security): expiring grants for the
grantee and the providing side, requests about to lapse or past it, unused grants from the
access events, the settings that set the windows, who sees what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.db.models.sharing import grant_day
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security.identity import Identity
from govdesk.security.settings import update_setting
from govdesk.sharing import decisions, workflow
from govdesk.sharing.alerts import GrantAlert, list_alerts
from govdesk.sharing.dto import GrantScope, GrantTerms

TODAY = grant_day()


@dataclass
class World:
    db: Database
    plain: str  # a published 杭州 resource, 无条件共享, general1 (one approval, 1095 days)
    plain_id: int
    nb_org: int
    hz_org: int
    logins: dict[str, tuple[Database, Identity]]

    def as_(self, name: str) -> tuple[Database, Identity]:
        return self.logins[name]

    def owner(self, sql: str, **params: Any) -> Any:
        with self.db.engine.begin() as c:
            return c.execute(text(sql), params)

    def alerts(self, name: str, grant_id: int, **kw: Any) -> list[GrantAlert]:
        return [a for a in list_alerts(*self.as_(name), **kw) if a.grant_id == grant_id]


@pytest.fixture
def world(demo_db: Database, accounts_for: Any) -> Iterator[World]:
    db = demo_db
    with db.engine.connect() as c:
        rid, code = c.execute(text(
            "SELECT r.id, r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id "
            "WHERE r.region_code LIKE '3301%' AND r.status = 'published' AND "
            "r.sharing_type = 'unconditional' AND g.code = 'general1' ORDER BY r.id LIMIT 1")).one()
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    with db.engine.begin() as c:  # the demo's random accesses to it: the tests write their own
        c.execute(text("DELETE FROM access_events WHERE resource_id = :r"), {"r": rid})
    accounts = accounts_for(db)
    hz, nb = orgs["CDPF-330100"], orgs["CDPF-330200"]
    logins = {
        "hz_sec": accounts.login("secadmin", "330100", hz),
        "hz_admin": accounts.login("data_admin", "330100", hz),
        "nb_admin": accounts.login("data_admin", "330200", nb),
        "nb_sec": accounts.login("secadmin", "330200", nb),
        "nb_viewer": accounts.login("viewer", "330200", nb),
    }
    yield World(db, code, rid, nb, hz, logins)


def terms(days: int) -> GrantTerms:
    return GrantTerms(valid_until=TODAY + dt.timedelta(days=days - 1), method="platform",
                      purpose_code="statistics", purpose="统计分析")


def active(w: World, days: int) -> int:
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms(days))
    assert decisions.approve(*w.as_("hz_sec"), g.id).state == "active"
    return g.id


def test_an_ending_grant_alerts_the_grantee_and_the_provider_until_renewed(world: World) -> None:
    w = world
    gid = active(w, 10)  # ends in 9 days: within the default 14
    far = active(w, 60)
    mine = w.alerts("nb_admin", gid)
    assert [(a.kind, a.action, a.actor, a.days, a.due) for a in mine] == [
        ("expiring", "renew", "grantee_admin", 9, TODAY + dt.timedelta(days=9))]
    assert mine[0].resource_code == w.plain and mine[0].grantee_org_id == w.nb_org
    assert mine[0].resource_name and mine[0].grantee_name
    assert [a.kind for a in w.alerts("hz_sec", gid)] == ["expiring"]
    for other in ("nb_sec", "hz_admin"):  # not the provider's security side, not the grantee
        assert w.alerts(other, gid) == []
    assert w.alerts("nb_admin", far) == []
    assert [a.kind for a in w.alerts("nb_admin", far, within_days=60)] == ["expiring"]
    assert w.alerts("nb_admin", gid, kinds={"unused"}) == []
    with pytest.raises(InputRejected) as bad:
        list_alerts(*w.as_("nb_admin"), kinds={"soon"})
    assert bad.value.code == "alert_bad_kind"
    with pytest.raises(PermissionDenied):
        list_alerts(*w.as_("nb_viewer"))
    renewal = workflow.renew_grant(*w.as_("nb_admin"), gid, TODAY + dt.timedelta(days=60))
    assert w.alerts("nb_admin", gid) == [] and w.alerts("hz_sec", gid) == []
    assert w.alerts("hz_sec", renewal.id) == []  # asked just now: no reminder yet


def test_requests_about_to_lapse_and_past_it(world: World) -> None:
    w = world
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms(30))
    assert w.alerts("hz_sec", g.id) == []
    asked = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=12)  # lapses in 2 days
    w.owner("UPDATE sharing_grants SET requested_at = :t WHERE id = :g", t=asked, g=g.id)
    lapses = grant_day(asked + dt.timedelta(days=14))
    for name in ("hz_sec", "nb_admin"):
        assert [(a.kind, a.action, a.actor, a.due) for a in w.alerts(name, g.id)] == [
            ("request_waiting", "decide", "provider_secadmin", lapses)], name
    assert w.alerts("nb_sec", g.id) == [] and w.alerts("hz_admin", g.id) == []
    # the reminder window is a security setting
    update_setting(*w.as_("hz_sec"), "sharing.request_reminder_days", "1")
    assert w.alerts("hz_sec", g.id) == []
    w.owner("UPDATE sharing_grants SET requested_at = :t WHERE id = :g",
            t=asked - dt.timedelta(days=3), g=g.id)
    late = w.alerts("hz_sec", g.id)
    assert [(a.kind, a.action, a.actor) for a in late] == [
        ("request_lapsed", "mark_lapsed", "any_admin")] and late[0].days < 0
    assert [x.id for x in decisions.expire_due(*w.as_("hz_sec"))] == [g.id]
    assert w.alerts("hz_sec", g.id) == [] and w.alerts("nb_admin", g.id) == []


def _use(w: World, org: int, days_ago: int) -> None:
    w.owner("INSERT INTO access_events (ts, username, organisation_id, resource_id, action, "
            "row_count, success) VALUES (:t, 'someone', :o, :r, 'query', 1, :ok)",
            t=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago), o=org,
            r=w.plain_id, ok=True)


def test_unused_grants_from_the_access_events(world: World) -> None:
    w = world
    gid = active(w, 400)
    w.owner("UPDATE sharing_grants SET valid_from = :f WHERE id = :g",
            f=TODAY - dt.timedelta(days=200), g=gid)
    never = w.alerts("hz_sec", gid)
    assert [(a.kind, a.action, a.actor, a.idle_days, a.last_used) for a in never] == [
        ("unused", "review", "provider_secadmin", 200, None)]
    assert never[0].due == TODAY - dt.timedelta(days=20)
    assert w.alerts("nb_admin", gid) == [] and w.alerts("nb_sec", gid) == []
    _use(w, w.hz_org, 1)  # the provider's own use does not count
    _use(w, w.nb_org, 250)  # before the grant started
    assert [a.idle_days for a in w.alerts("hz_sec", gid)] == [200]
    _use(w, w.nb_org, 190)
    once = w.alerts("hz_sec", gid)
    assert [a.idle_days for a in once] == [190] and once[0].last_used is not None
    update_setting(*w.as_("hz_sec"), "sharing.unused_days", "365")
    assert w.alerts("hz_sec", gid) == []
    update_setting(*w.as_("hz_sec"), "sharing.unused_days", "180")
    _use(w, w.nb_org, 3)
    assert w.alerts("hz_sec", gid) == []


def test_a_scope_grant_is_used_by_any_organisation_in_its_scope(world: World) -> None:
    w = world
    g = workflow.offer_grant(*w.as_("hz_admin"), w.plain, terms(400),
                             scope=GrantScope("3302"))
    decisions.approve(*w.as_("hz_sec"), g.id)
    w.owner("UPDATE sharing_grants SET valid_from = :f, valid_until = :u WHERE id = :g",
            f=TODAY - dt.timedelta(days=200), u=TODAY + dt.timedelta(days=5), g=g.id)
    kinds = {(a.kind, a.action) for a in w.alerts("hz_sec", g.id)}
    assert kinds == {("unused", "review"), ("expiring", "offer")}
    assert w.alerts("nb_admin", g.id) == []  # no single organisation renews a scope grant
    _use(w, w.nb_org, 2)  # 宁波市's federation lies in the scope
    assert [a.kind for a in w.alerts("hz_sec", g.id)] == ["expiring"]
