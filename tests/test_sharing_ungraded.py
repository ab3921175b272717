"""Left open by the sharing red team, closed by migration 0042:

- an ungraded resource was shareable with one approval for 365 days (no grade bound the grant):
  now it is neither requested, offered nor approved until it has a grade (就高从严), on both
  databases and over plain psycopg2 as the requesting data administrator and the approving
  security administrator;
- a grade's rank lowered (over SQL, or by re-applying the scheme) was not recorded as a
  loosening: now it is, as ``rank``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select, text
from test_sharing import TODAY, World, terms, world  # noqa: F401  (the fixture)
from test_sharing_pg import REFUSED, Net, net, run  # noqa: F401  (the fixture)

from govdesk.catalog.classification.schemes import (
    LooseningNotConfirmed,
    active_scheme,
    apply_scheme,
    plan_scheme,
)
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent
from govdesk.db.server_texts import server_text
from govdesk.errors import InputRejected
from govdesk.security.audit import EventType
from govdesk.sharing import decisions, lookup, workflow


def _ungrade(w: World, resource_id: int) -> None:
    """The resource and its items without a grade (the owner, as an import might leave it)."""
    w.owner("UPDATE data_items SET grade_id = NULL WHERE resource_id = :r", r=resource_id)
    w.owner("UPDATE data_resources SET grade_id = NULL WHERE id = :r", r=resource_id)


def test_an_ungraded_resource_is_not_requested_offered_or_approved(world: World) -> None:  # noqa: F811
    w = world
    pending = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms(accept_conditions=False))
    _ungrade(w, w.plain_id)
    shown = lookup.requestable(*w.as_("nb_admin"), w.plain)
    assert (shown.shareable, shown.refusal, shown.grade) == (
        False, "grant_resource_ungraded", None)
    with pytest.raises(InputRejected) as asked:
        workflow.request_grant(*w.as_("nb_admin"), w.plain,
                               terms(accept_conditions=False,
                                     valid_until=TODAY + dt.timedelta(days=300)))
    assert asked.value.code == "grant_resource_ungraded"
    assert "尚未定级" in asked.value.text("zh") and w.plain in asked.value.text("zh")
    with pytest.raises(InputRejected) as offered:
        workflow.offer_grant(*w.as_("hz_sec"), w.plain, terms(accept_conditions=False),
                             grantee="CDPF-330200")
    assert offered.value.code == "grant_resource_ungraded"
    # a request made while it was graded is not approved once the grade is gone
    with pytest.raises(InputRejected) as approved:
        decisions.approve(*w.as_("hz_sec"), pending.id)
    assert approved.value.code == "grant_resource_ungraded"
    assert w.owner("SELECT status FROM sharing_grants WHERE id = :g",
                   g=pending.id).scalar_one() == "requested"


@pytest.mark.postgres
def test_over_plain_sql_an_ungraded_resource_is_not_granted(net: Net) -> None:  # noqa: F811
    kind = net.owner("SELECT sharing_type::text FROM data_resources WHERE id = %s",
                     net.resource).scalar_one()
    insert = ("INSERT INTO sharing_grants (resource_id, grantee_org_id, sharing_type, all_items, "
              "status, conditions_accepted, method, purpose_code, purpose, valid_from, "
              "valid_until, version) VALUES (%s, %s, %s, true, 'requested', true, 'platform', "
              "'eligibility_check', '资格比对核验', govdesk_grant_day(), "
              "govdesk_grant_day() + 30, 1) RETURNING id")
    nb, hz = net.conn("nb_admin"), net.conn("hz_sec")
    try:
        (grant_id,), = run(nb, insert, net.resource, net.nb_org, kind)  # graded: accepted
        net.owner("UPDATE data_items SET grade_id = NULL WHERE resource_id = %s", net.resource)
        net.owner("UPDATE data_resources SET grade_id = NULL WHERE id = %s", net.resource)
        with pytest.raises(REFUSED) as step:
            run(hz, "UPDATE sharing_grants SET status = 'approved', version = version + 1 "
                    "WHERE id = %s", grant_id)
        hz.rollback()
        assert "has no grade yet" in str(step.value)
        assert "尚未定级" in server_text(step.value.diag.message_primary or "").text("zh")
        with pytest.raises(REFUSED) as asked:
            run(nb, insert, net.resource, net.nb_org, kind)
        nb.rollback()
        assert "has no grade yet" in str(asked.value)
        assert net.owner("SELECT status FROM sharing_grants WHERE id = %s",
                         grant_id).scalar_one() == "requested"
        # a reason or a rejection is still possible: only giving access needs the grade
        run(hz, "UPDATE sharing_grants SET status = 'rejected', reason = '尚未定级，不予批准', "
                "version = version + 1 WHERE id = %s", grant_id)
    finally:
        nb.close(), hz.close()


def _loosened(db: Database, username: str) -> list[dict[str, object]]:
    with db.session() as s:
        rows = s.scalars(select(AuditEvent.detail).where(
            AuditEvent.event_type == EventType.GRADE_LOOSENED,
            AuditEvent.username == username).order_by(AuditEvent.id)).all()
    return [json.loads(r or "{}") for r in rows]


@pytest.mark.postgres
def test_a_rank_lowered_over_plain_sql_is_recorded_as_a_loosening(
        pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    officer = accounts.add("secadmin")
    conn = accounts.connect(officer.username)
    try:
        run(conn, "UPDATE grades SET rank = rank - 10 WHERE code = 'general4' AND scheme_id = "
                  "(SELECT id FROM grade_schemes WHERE is_active)")
        run(conn, "UPDATE grades SET rank = rank + 10 WHERE code = 'general1' AND scheme_id = "
                  "(SELECT id FROM grade_schemes WHERE is_active)")  # stricter: no loosening
    finally:
        conn.close()
    (detail,) = _loosened(pg_demo_db, officer.username)
    assert detail["grade"] == "general4" and detail["rules"] == ["rank"]
    before, after = detail["before"], detail["after"]
    assert isinstance(before, dict) and isinstance(after, dict)
    assert after["rank"] == before["rank"] - 10


def test_re_applying_the_scheme_with_a_lower_rank_needs_confirmation(
        demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    db, officer = accounts_for(demo_db).login("secadmin")
    current = active_scheme(db, officer)
    g4 = current.grade("general4")
    assert g4 is not None
    lowered = dataclasses.replace(g4, rank=g4.rank - 10)
    spec = dataclasses.replace(current, grades=tuple(lowered if g.code == "general4" else g
                                                     for g in current.grades))
    (lo,) = plan_scheme(db, officer, spec).loosenings
    assert (lo.old_code, lo.rule, lo.before, lo.after) == (
        "general4", "rank", g4.rank, g4.rank - 10)
    assert "级别序号放宽" in lo.problem().text("zh")
    with pytest.raises(LooseningNotConfirmed):
        apply_scheme(db, officer, spec)
    apply_scheme(db, officer, spec, confirm_loosening=True)
    with db.engine.connect() as c:
        assert c.execute(text("SELECT rank FROM grades g JOIN grade_schemes s ON s.id = "
                              "g.scheme_id AND s.is_active WHERE g.code = 'general4'")
                         ).scalar_one() == g4.rank - 10
