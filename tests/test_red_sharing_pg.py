"""A red-team run over the sharing grants (migrations 0025-0032) as real GovDesk logins with
plain psycopg2, and the same rules through the services on both databases (migration 0033).

Each test is an attack that PostgreSQL let through before 0033: a request of a scope by an
account without an organisation, scopes that are no region prefix (``''``, LIKE wildcards),
forged "items left out", a back-dated request, items added while an approval is in flight,
invisible unmask reasons, texts of any size."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from psycopg2 import errors
from sqlalchemy import text
from test_sharing import World, terms, world  # noqa: F401  (the fixture)
from test_sharing_pg import Net, approve, net, refused, request, run  # noqa: F401

from govdesk.db.engine import Database
from govdesk.errors import InputRejected
from govdesk.security.reasons import is_reason, reason_length
from govdesk.sharing import decisions, workflow
from govdesk.sharing.dto import GrantScope
from govdesk.sharing.policy import MAX_TEXT

INVISIBLE = ("\u3164" * 4, "\uffa0" * 4, "\u0301" * 4, "\u2800" * 4, "\ufe0f" * 4,
             "\ue000" * 4, "\U000e0041" * 4, "\u115f\u1160\u115f\u1160")
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def _insert(conn: Any, net: Net, status: str, **columns: Any) -> Any:
    """INSERT a grant of the net's resource over plain SQL with ``columns`` besides the usual."""
    values = dict(resource_id=net.resource, sharing_type="unconditional", all_items=True,
                  method="platform", purpose_code="statistics", status=status,
                  valid_from=TOMORROW, valid_until=TOMORROW + dt.timedelta(days=20), version=1)
    values.update(columns)
    names = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    return f"INSERT INTO sharing_grants ({names}, requested_by) VALUES ({marks}, session_user) " \
           "RETURNING id", tuple(values.values())


@pytest.mark.postgres
def test_an_account_without_an_organisation_requests_no_scope_grant(net: Net) -> None:
    orgless = net.accounts.add("data_admin", "330200", None).username
    conn = net.accounts.connect(orgless)
    try:
        for prefix in ("", "33", "3302"):
            sql, params = _insert(conn, net, "requested", scope_region_prefix=prefix)
            refused(conn, sql, *params, match="own organisation")
        sql, params = _insert(conn, net, "requested", grantee_org_id=net.nb_org)
        refused(conn, sql, *params, match="own organisation")
    finally:
        conn.close()


@pytest.mark.postgres
def test_a_scope_is_a_region_prefix_not_a_pattern(net: Net) -> None:
    sec = net.conn("hz_sec")
    try:
        for prefix in ("", "%", "33_1", "3302%", "_", "330", "3302 "):
            sql, params = _insert(sec, net, "offered", scope_region_prefix=prefix)
            refused(sec, sql, *params, match="region code prefix")
        sql, params = _insert(sec, net, "offered", scope_region_prefix="3302")
        assert run(sec, sql, *params)
    finally:
        sec.close()


def test_the_services_refuse_the_same_scopes_and_requests(world: World) -> None:  # noqa: F811
    w = world
    for prefix in ("", "%", "33_1", "3302%"):
        with pytest.raises(InputRejected) as refusal:
            workflow.offer_grant(*w.as_("hz_sec"), w.plain, terms(accept_conditions=False),
                                 scope=GrantScope(prefix))
        assert refusal.value.code == "grant_scope_invalid"
    orgless = w.accounts.login("data_admin", "330200", None)
    with pytest.raises(InputRejected) as refusal:
        workflow.request_grant(*orgless, w.plain, terms(accept_conditions=False))
    assert refusal.value.code == "grant_no_organisation"


@pytest.mark.postgres
def test_the_items_left_out_are_the_databases_not_the_clients(net: Net) -> None:
    forbidden = net.items[-1]
    net.owner("UPDATE data_items SET grade_id = (SELECT g.id FROM grades g JOIN grade_schemes s "
              "ON s.id = g.scheme_id AND s.is_active WHERE g.code = 'core') WHERE id = %s",
              forbidden)
    name = net.owner("SELECT name FROM data_items WHERE id = %s", forbidden).scalar_one()
    other = net.owner("SELECT name FROM data_items WHERE id = %s", net.items[0]).scalar_one()
    nb = net.conn("nb_admin")
    try:
        forged = '[{"item": "%s", "grade": "核心数据", "reason": "grade_forbids_sharing"}]' % other
        sql, params = _insert(nb, net, "requested", grantee_org_id=net.nb_org, exclusions=forged)
        gid = run(nb, sql, *params)[0][0]
        stored = run(nb, "SELECT exclusions FROM sharing_grants WHERE id = %s", gid)[0][0]
        core = net.owner("SELECT g.name FROM grades g JOIN grade_schemes s ON s.id = g.scheme_id "
                         "AND s.is_active WHERE g.code = 'core'").scalar_one()
        assert stored == ('[{"item": "%s", "grade": "%s", "reason": "grade_forbids_sharing"}]'
                          % (name, core))
    finally:
        nb.close()


@pytest.mark.postgres
def test_a_grants_id_and_creation_time_never_change(net: Net) -> None:
    """A request written without requested_at (the demo loader's rows) waits from created_at:
    the providing side's data administrator back-dated one and marked it lapsed at once."""
    hz_admin = net.accounts.add("data_admin", "330100", net.owner(
        "SELECT id FROM organisations WHERE code = 'CDPF-330100'").scalar_one()).username
    gid = net.owner("INSERT INTO sharing_grants (resource_id, grantee_org_id, sharing_type, "
                    "status, requested_by, valid_from, valid_until, version) VALUES (%s, %s, "
                    "'unconditional', 'requested', 'someone', govdesk_grant_day(), "
                    "govdesk_grant_day() + 20, 1) RETURNING id", net.resource,
                    net.nb_org).scalar_one()
    admin, nb = net.accounts.connect(hz_admin), net.conn("nb_admin")
    try:
        refused(admin, "UPDATE sharing_grants SET created_at = now() - interval '60 days' "
                       "WHERE id = %s", gid, match="creation time")
        refused(admin, "UPDATE sharing_grants SET status = 'lapsed' WHERE id = %s", gid,
                match="has not waited")
        refused(nb, "UPDATE sharing_grants SET id = id + 100000 WHERE id = %s", gid,
                match="cannot be changed")
        sql, params = _insert(nb, net, "requested", grantee_org_id=net.nb_org,
                              created_at=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
        made = run(nb, sql, *params)[0][0]
        assert run(nb, "SELECT created_at > now() - interval '1 hour' FROM sharing_grants "
                       "WHERE id = %s", made)[0][0]
    finally:
        admin.close(), nb.close()


@pytest.mark.postgres
def test_items_cannot_slip_in_under_an_approval_in_flight(net: Net) -> None:
    nb, sec = net.conn("nb_admin"), net.conn("hz_sec")
    try:
        gid = request(nb, net, dt.date.today() + dt.timedelta(days=20), net.items[:1])
        with sec.cursor() as cur:  # the approver's step, not yet committed
            cur.execute("UPDATE sharing_grants SET status = 'approved' WHERE id = %s", (gid,))
        result: dict[str, Any] = {}

        def add_the_rest() -> None:
            try:
                with nb.cursor() as cur:
                    for item in net.items[1:]:
                        cur.execute("INSERT INTO sharing_grant_items VALUES (%s, %s)",
                                    (gid, item))
                nb.commit()
                result["added"] = True
            except errors.InsufficientPrivilege as exc:
                nb.rollback()
                result["refused"] = exc.diag.message_primary

        worker = threading.Thread(target=add_the_rest)
        worker.start()
        worker.join(1.0)
        assert worker.is_alive(), f"the items did not wait for the decision: {result}"
        sec.commit()
        worker.join(10)
        assert "before any approval" in result.get("refused", ""), result
        listed = run(sec, "SELECT item_id FROM sharing_grant_items WHERE grant_id = %s", gid)
        assert [r[0] for r in listed] == net.items[:1]
    finally:
        nb.close(), sec.close()


def test_a_reason_that_draws_nothing_is_no_reason() -> None:
    for reason in INVISIBLE:
        assert reason_length(reason) == 0 and not is_reason(reason), ascii(reason)
    assert is_reason("核查身份") and is_reason("café au lait") and is_reason("case 42")


@pytest.mark.postgres
def test_the_database_refuses_an_invisible_unmask_reason(pg_demo_db: Database,
                                                         accounts_for: Any) -> None:
    accounts = accounts_for(pg_demo_db)
    conn = accounts.connect(accounts.add("secadmin").username)
    try:
        for reason in INVISIBLE:
            with pytest.raises(errors.InvalidParameterValue, match="at least"):
                with conn.cursor() as cur:
                    cur.execute("SELECT govdesk_unmask_request(1, %s)", (reason,))
            conn.rollback()
        assert run(conn, "SELECT govdesk_unmask_request(1, '核查身份信息')")[0][0]
    finally:
        conn.close()
    with pg_demo_db.engine.connect() as c:  # the database counts as the service does
        for reason in (*INVISIBLE, "核查身份", "e\u0301te\u0301", "ab\u3164cd", "１２３４"):
            assert c.execute(text("SELECT govdesk_reason_length(:r)"), {"r": reason}) \
                .scalar_one() == reason_length(reason), ascii(reason)


@pytest.mark.postgres
def test_the_texts_of_a_grant_have_a_length(net: Net) -> None:
    nb, sec = net.conn("nb_admin"), net.conn("hz_sec")
    try:
        for column in ("purpose", "legal_basis"):
            sql, params = _insert(nb, net, "requested", grantee_org_id=net.nb_org,
                                  **{column: "用" * (MAX_TEXT + 1)})
            refused(nb, sql, *params, match="at most")
        gid = request(nb, net, dt.date.today() + dt.timedelta(days=20))
        refused(sec, "UPDATE sharing_grants SET status = 'rejected', reason = %s WHERE id = %s",
                "因" * (MAX_TEXT + 1), gid, match="at most")
        approve(sec, gid)
    finally:
        nb.close(), sec.close()


def test_the_services_refuse_texts_too_long(world: World) -> None:  # noqa: F811
    w = world
    for field in ("purpose", "legal_basis"):
        with pytest.raises(InputRejected) as refusal:
            workflow.request_grant(*w.as_("nb_admin"), w.plain,
                                   terms(accept_conditions=False, **{field: "用" * (MAX_TEXT + 1)}))
        assert refusal.value.code == "grant_text_too_long"
    g = workflow.request_grant(*w.as_("nb_admin"), w.plain, terms(accept_conditions=False))
    with pytest.raises(InputRejected) as refusal:
        decisions.reject(*w.as_("hz_sec"), g.id, "因" * (MAX_TEXT + 1))
    assert refusal.value.code == "grant_text_too_long"
    assert decisions.reject(*w.as_("hz_sec"), g.id, "因" * MAX_TEXT).status == "rejected"


SHARED_WITH_SAMPLES = (
    "SELECT r.id, r.code FROM data_resources r WHERE r.region_code LIKE '3301%' AND "
    "r.status = 'published' AND r.sharing_type <> 'none' AND r.id IN (SELECT resource_id FROM "
    "resource_samples) ORDER BY r.id LIMIT 1")


@pytest.mark.postgres
def test_a_grantee_reads_shared_samples_masked_and_cannot_unmask_them(net: Net) -> None:
    rid = net.owner(SHARED_WITH_SAMPLES.replace("%", "%%")).first()[0]
    net.owner("INSERT INTO sharing_grants (resource_id, grantee_org_id, sharing_type, status, "
              "valid_from, valid_until, version) SELECT id, %s, sharing_type, 'approved', "
              "govdesk_grant_day(), govdesk_grant_day() + 20, 1 FROM data_resources "
              "WHERE id = %s", net.nb_org, rid)
    hz_admin = net.accounts.add("data_admin", "330100", None).username
    nb, hz = net.conn("nb_admin"), net.accounts.connect(hz_admin)
    try:
        assert run(nb, "SELECT count(*) FROM govdesk_samples(%s)", rid)[0][0] > 0
        refused(nb, "SELECT govdesk_unmask_request(%s, '核查身份信息')", rid,
                match="only its providing side")
        assert run(hz, "SELECT govdesk_unmask_request(%s, '核查身份信息')", rid)[0][0]
    finally:
        nb.close(), hz.close()


def test_the_samples_service_unmasks_for_the_providing_side_only(world: World) -> None:  # noqa: F811
    from govdesk.catalog.profiling.samples import sample_rows
    from govdesk.errors import PermissionDenied

    w = world
    with w.db.engine.connect() as c:
        rid, code = c.execute(text(SHARED_WITH_SAMPLES)).one()
    g = workflow.request_grant(*w.as_("nb_admin"), code, terms(valid_until=TOMORROW))
    done = decisions.approve(*w.as_("hz_sec"), g.id)
    if done.status == "first_approved":
        decisions.approve(*w.as_("hz_sec2"), g.id)
    assert sample_rows(*w.as_("nb_admin"), rid).rows
    with pytest.raises(PermissionDenied) as refusal:
        sample_rows(*w.as_("nb_admin"), rid, unmask=True, reason="核查身份信息")
    assert refusal.value.code == "unmask_not_provider"
    assert sample_rows(*w.as_("hz_admin"), rid, unmask=True, reason="核查身份信息").rows


def _loosenings(db: Database, username: str) -> list[dict[str, Any]]:
    import json

    with db.engine.connect() as c:
        rows = c.execute(text("SELECT detail FROM audit_events WHERE event_type = "
                              "'grade_loosened' AND username = :u ORDER BY id"),
                         {"u": username}).scalars().all()
    return [json.loads(r) for r in rows]


GRADE_INSERT = ("INSERT INTO grades (scheme_id, code, name, rank, masking_required, "
                "export_allowed, export_encryption_required, sharing_types_allowed, "
                "approvals_required, min_dr_level, audit_retention_days, version, detectors, "
                "max_grant_days) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, '', %s)")


@pytest.mark.postgres
def test_a_grade_deleted_and_made_again_weaker_is_a_loosening(pg_demo_db: Database,
                                                               accounts_for: Any) -> None:
    accounts = accounts_for(pg_demo_db)
    officer = accounts.add("secadmin").username
    conn = accounts.connect(officer)
    try:
        scheme, name, rank, dr, retention = run(
            conn, "SELECT g.scheme_id, g.name, g.rank, g.min_dr_level, g.audit_retention_days "
                  "FROM grades g JOIN grade_schemes s ON s.id = g.scheme_id AND s.is_active "
                  "WHERE g.code = 'core'")[0]
        # core is used by nothing in the small demo: it can be deleted, and made again weaker
        run(conn, "DELETE FROM grades WHERE code = 'core' AND scheme_id = %s", scheme)
        run(conn, GRADE_INSERT, scheme, "core", name, rank, False, True, False,
            "unconditional conditional none", 0, dr, retention, 3650)
        [found] = _loosenings(pg_demo_db, officer)
        assert found["grade"] == "core" and found["recreated"] is True
        assert found["rules"] == ["masking_required", "export_allowed",
                                  "export_encryption_required", "sharing_types_allowed",
                                  "approvals_required", "max_grant_days"]
        assert found["before"]["masking_required"] is True
        assert found["after"]["max_grant_days"] == 3650
        # as strict as the one deleted: no loosening; renamed to a deleted code: compared too
        run(conn, "DELETE FROM grades WHERE code = 'core' AND scheme_id = %s", scheme)
        run(conn, GRADE_INSERT, scheme, "core", name, rank, True, False, True, "none", 3, dr,
            retention, 90)
        run(conn, "DELETE FROM grades WHERE code = 'core' AND scheme_id = %s", scheme)
        run(conn, GRADE_INSERT, scheme, "spare", "备用", 1, False, True, False, "none", 3, dr,
            retention, 90)
        assert len(_loosenings(pg_demo_db, officer)) == 1
        run(conn, "UPDATE grades SET code = 'core' WHERE code = 'spare' AND scheme_id = %s",
            scheme)
        renamed = _loosenings(pg_demo_db, officer)[1:]
        assert [(d["grade"], d["recreated"], d["rules"]) for d in renamed] == [
            ("core", True, ["masking_required", "export_allowed", "export_encryption_required"])]
        refused(conn, "SELECT count(*) FROM grade_tombstones")
    finally:
        conn.close()
