"""PostgreSQL enforces the working rules (migration 0014) for GovDesk logins on plain psql:
the workflow, grade changes and 就高从严, the review queue, and history written only for
resources the writer may edit. Each attack of issue 10 (4, 6, 7, 8) runs over plain psycopg2 as
a real 杭州市 data administrator, viewer or security administrator and must be refused; the
legitimate paths, by hand and through the services, still work."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from psycopg2 import errors
from sqlalchemy import text

from govdesk.catalog.editing import workflow
from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied

pytestmark = pytest.mark.postgres

HZ, NB = "330100", "330200"
REFUSED = (errors.InsufficientPrivilege, errors.CheckViolation)


@dataclasses.dataclass
class World:
    """The demo database, its owner connection and the ids the attacks need."""

    db: Database
    accounts: Any
    grades: dict[str, int]  #: grade code -> id
    hz_org: int
    nb_org: int
    hz_resource: int  #: a 杭州市 resource with a graded data item
    hz_item: int  #: its strictest data item
    nb_resource: int  #: a 宁波市 resource, shared with 杭州市's federation read-only

    def owner(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """Run ``sql`` as the database owner (whom the rules leave alone); the first value."""
        with self.db.engine.begin() as c:
            result = c.exec_driver_sql(sql, params)
            row = result.first() if result.returns_rows else None
        return row[0] if row is not None else None

    def login(self, role: str, region: str | None = None, org: int | None = None) -> Any:
        """A new GovDesk login of ``role``: (username, plain psycopg2 connection)."""
        who = self.accounts.add(role, region, org)
        return who, self.accounts.connect(who.username)


@pytest.fixture
def world(pg_demo_db: Database, accounts_for) -> Iterator[World]:  # type: ignore[no-untyped-def]
    db = pg_demo_db
    with db.engine.begin() as c:
        grades = dict(c.exec_driver_sql("SELECT g.code, g.id FROM grades g JOIN grade_schemes s "
                                        "ON s.id = g.scheme_id AND s.is_active").all())
        orgs = dict(c.exec_driver_sql("SELECT code, id FROM organisations").all())
        hz_resource, hz_item = c.exec_driver_sql(
            "SELECT r.id, i.id FROM data_resources r JOIN data_items i ON i.resource_id = r.id "
            "JOIN grades g ON g.id = i.grade_id WHERE r.region_code LIKE '3301%%' "
            "AND r.status = 'published' ORDER BY g.rank DESC, r.id, i.seq LIMIT 1").one()
        nb_resource = c.exec_driver_sql("SELECT min(id) FROM data_resources "
                                        "WHERE region_code LIKE '3302%%'").scalar_one()
        c.exec_driver_sql("INSERT INTO sharing_grants (resource_id, grantee_org_id, sharing_type,"
                          " status, version) VALUES (%s, %s, 'conditional', 'approved', 1)",
                          (nb_resource, orgs["CDPF-330100"]))
    yield World(db, accounts_for(db), grades, orgs["CDPF-330100"], orgs["CDPF-330200"],
                hz_resource, hz_item, nb_resource)


def refused(conn: Any, sql: str, params: tuple[Any, ...] = (), match: str = "") -> str:
    """Run ``sql`` and commit; assert PostgreSQL refuses it (at the statement or, for a rule
    judged at commit, at COMMIT) with an error of the working rules; returns its message."""
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
        conn.commit()
    except REFUSED as exc:
        conn.rollback()
        message = exc.diag.message_primary or ""
        assert match in message, message
        return message
    raise AssertionError(f"PostgreSQL let this through: {sql}")


def run(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """Run ``sql`` and commit; the first row."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone() if cur.description else None
    conn.commit()
    return row


# -- attack 4: grades -----------------------------------------------------------------------
def test_a_data_administrator_raises_grades_but_never_lowers_them(world: World) -> None:
    _, hz = world.login("data_admin", HZ, world.hz_org)
    low = world.grades["general1"]
    try:
        refused(hz, "UPDATE data_items SET grade_id = %s WHERE id = %s", (low, world.hz_item),
                "cannot go down")
        refused(hz, "UPDATE data_items SET grade_id = NULL WHERE id = %s", (world.hz_item,),
                "to no grade")
        refused(hz, "UPDATE data_resources SET grade_id = %s WHERE id = %s",
                (low, world.hz_resource), "cannot go down")
        refused(hz, "UPDATE data_resources SET grade_id = NULL WHERE id = %s",
                (world.hz_resource,), "cannot go down")
        # raising an item alone leaves its resource below it: refused at commit (就高从严)
        refused(hz, "UPDATE data_items SET grade_id = %s WHERE id = %s",
                (world.grades["core"], world.hz_item), "就高从严")
        # ... and a new 核心 item in a resource graded lower, or an item moved into one
        refused(hz, "INSERT INTO data_items (resource_id, seq, name, data_type, grade_id, "
                    "is_authoritative, version) VALUES (%s, 999, '新信息项', 'C', %s, false, 1)",
                (world.hz_resource, world.grades["core"]), "就高从严")
        # the item and its resource raised together, in either order: one save, judged at commit
        with hz.cursor() as cur:
            cur.execute("UPDATE data_items SET grade_id = %s WHERE id = %s",
                        (world.grades["core"], world.hz_item))
            cur.execute("UPDATE data_resources SET grade_id = %s WHERE id = %s",
                        (world.grades["core"], world.hz_resource))
        hz.commit()
        assert world.owner("SELECT grade_id FROM data_resources WHERE id = %s",
                           (world.hz_resource,)) == world.grades["core"]
    finally:
        hz.close()


def test_only_a_security_administrator_lowers_a_grade_and_never_below_an_item(
        world: World) -> None:
    officer, sec = world.login("secadmin")
    _, viewer = world.login("viewer")
    item_grade = world.owner("SELECT grade_id FROM data_items WHERE id = %s", (world.hz_item,))
    world.owner("UPDATE data_resources SET grade_id = %s WHERE id = %s",
                (world.grades["core"], world.hz_resource))
    try:
        refused(viewer, "UPDATE data_resources SET grade_id = %s WHERE id = %s",
                (world.grades["general1"], world.hz_resource))
        refused(sec, "UPDATE data_resources SET grade_id = %s WHERE id = %s",
                (world.grades["general1"], world.hz_resource), "就高从严")
        run(sec, "UPDATE data_resources SET grade_id = %s WHERE id = %s",
            (item_grade, world.hz_resource))  # down to its strictest item: a re-grade
        assert world.owner("SELECT count(*) FROM audit_events WHERE username = %s AND "
                           "object_type = 'data_resources' AND event_type = 'data_change'",
                           (officer.username,)) == 1
    finally:
        sec.close()
        viewer.close()


# -- attack 6: the workflow -----------------------------------------------------------------
NEW_RESOURCE = ("INSERT INTO data_resources (code, name, category_id, provider_org_id, "
                "region_code, summary, format, sharing_type, open_type, update_cycle, status, "
                "{extra_cols} version) VALUES ('101/990001', '工作流攻击', 1, %s, '330100000000', "
                "'', 'database', 'none', 'none', 'daily', %s, {extra_vals} 1) RETURNING id")


def test_the_workflow_moves_only_along_its_edges(world: World) -> None:
    author, hz = world.login("data_admin", HZ, world.hz_org)
    colleague, hz2 = world.login("data_admin", HZ, world.hz_org)
    _, sec = world.login("secadmin")
    draft = world.owner("SELECT min(id) FROM data_resources WHERE status = 'draft' AND "
                        "region_code LIKE '3301%%'")
    plain = NEW_RESOURCE.format(extra_cols="", extra_vals="")
    try:
        refused(hz, "UPDATE data_resources SET status = 'published' WHERE id = %s", (draft,),
                "cannot go from draft to published")
        refused(hz, plain, (world.hz_org, "published"), "must be created as a draft")
        refused(hz, NEW_RESOURCE.format(extra_cols="created_by,", extra_vals="'demo',"),
                (world.hz_org, "draft"), "created_by is the login")
        refused(hz, NEW_RESOURCE.format(extra_cols="submitted_by,", extra_vals="%s,"),
                (world.hz_org, "draft", author.username), "has not been submitted")
        refused(hz, "UPDATE data_resources SET created_by = %s WHERE id = %s",
                (author.username, world.hz_resource), "never changes")
        refused(hz, "UPDATE data_resources SET submitted_by = %s WHERE id = %s",
                (author.username, world.hz_resource), "only when it is submitted")
        # the legitimate path: created and submitted by the author, stamped by the database
        (rid,) = run(hz, plain, (world.hz_org, "draft"))
        assert world.owner("SELECT created_by FROM data_resources WHERE id = %s",
                           (rid,)) == author.username
        refused(sec, "UPDATE data_resources SET status = 'registration_review' WHERE id = %s",
                (rid,), "secadmin may not submit")
        refused(hz, "UPDATE data_resources SET status = 'registration_review', "
                    "submitted_by = %s WHERE id = %s", (colleague.username, rid),
                "submitted_by is the login that submits")
        run(hz, "UPDATE data_resources SET status = 'registration_review' WHERE id = %s",
            (rid,))
        assert world.owner("SELECT submitted_by FROM data_resources WHERE id = %s",
                           (rid,)) == author.username
        refused(hz, "UPDATE data_resources SET status = 'publication_review' WHERE id = %s",
                (rid,), "cannot also review it")
        refused(sec, "UPDATE data_resources SET publish_date = current_date WHERE id = %s",
                (rid,), "only when publishing")
        run(hz2, "UPDATE data_resources SET status = 'publication_review' WHERE id = %s",
            (rid,))  # another data administrator reviews
        refused(sec, "UPDATE data_resources SET status = 'draft', submitted_by = NULL "
                     "WHERE id = %s", (rid,), "only when it is submitted")
        run(sec, "UPDATE data_resources SET status = 'published', publish_date = current_date "
                 "WHERE id = %s", (rid,))
        refused(hz, "UPDATE data_resources SET status = 'draft' WHERE id = %s", (rid,),
                "cannot go from published to draft")
    finally:
        for conn in (hz, hz2, sec):
            conn.close()


def test_the_database_holds_the_workflow_table_of_the_service(world: World) -> None:
    statuses = ("draft", "registration_review", "publication_review", "published")
    _, viewer = world.login("viewer")
    try:
        with viewer.cursor() as cur:
            for a in statuses:
                for b in statuses:
                    cur.execute("SELECT govdesk_workflow_step(%s, %s)", (a, b))
                    assert cur.fetchone()[0] == workflow.TRANSITIONS.get((a, b)), (a, b)
    finally:
        viewer.close()


# -- attack 7: the review queue -------------------------------------------------------------
SUGGESTION = ("INSERT INTO grade_suggestions (resource_id, item_id, column_name, detector, "
              "confidence, guardian, grade_id, status, source_file, proposed_by, decided_by, "
              "decided_at, version) VALUES (%s, %s, '公民身份号码', 'citizen_id', 0.99, false, %s, "
              "%s, 'x.csv', session_user, %s, %s, 1) RETURNING id")


def test_the_review_queue_cannot_be_forged(world: World) -> None:
    _, hz = world.login("data_admin", HZ, world.hz_org)
    officer, sec = world.login("secadmin")
    core = world.grades["core"]
    nb_item = world.owner("SELECT min(id) FROM data_items WHERE resource_id = %s",
                          (world.nb_resource,))
    now = dt.datetime.now(dt.timezone.utc)
    try:
        refused(hz, SUGGESTION, (world.hz_resource, world.hz_item, core, "accepted",
                                 officer.username, now), "queued pending and undecided")
        refused(hz, SUGGESTION, (world.hz_resource, world.hz_item, core, "pending",
                                 officer.username, None), "queued pending and undecided")
        refused(hz, SUGGESTION, (world.hz_resource, nb_item, core, "pending", None, None),
                "is not an item of resource")
        refused(hz, SUGGESTION, (world.nb_resource, nb_item, core, "pending", None, None),
                "row-level security")  # shared with them: read-only
        (sid,) = run(hz, SUGGESTION, (world.hz_resource, world.hz_item, core, "pending", None,
                                      None))
        refused(hz, "UPDATE grade_suggestions SET status = 'accepted' WHERE id = %s", (sid,))
        refused(sec, "UPDATE grade_suggestions SET status = 'accepted', decided_by = %s "
                     "WHERE id = %s", (hz.info.user, sid), "decided_by is the login")
        refused(sec, "UPDATE grade_suggestions SET decided_at = now() WHERE id = %s", (sid,),
                "set by its decision")
        run(sec, "UPDATE grade_suggestions SET status = 'rejected', decided_at = '2001-01-01' "
                 "WHERE id = %s", (sid,))
        by, at = run(sec, "SELECT decided_by, decided_at FROM grade_suggestions WHERE id = %s",
                     (sid,))
        assert by == officer.username and abs((at - dt.datetime.now(dt.timezone.utc))
                                              .total_seconds()) < 60  # the server's clock
    finally:
        hz.close()
        sec.close()


# -- attack 8: history of another region ----------------------------------------------------
def test_history_is_written_only_for_resources_one_may_edit(world: World) -> None:
    _, hz = world.login("data_admin", HZ, world.hz_org)
    try:
        assert run(hz, "SELECT count(*) FROM data_resources WHERE id = %s",
                   (world.nb_resource,)) == (1,)  # shared: they read it
        refused(hz, "INSERT INTO resource_versions (resource_id, version, snapshot, saved_by, "
                    "saved_at) SELECT id, version + 1, '{}', session_user, now() "
                    "FROM data_resources WHERE id = %s", (world.nb_resource,), "row-level security")
        refused(hz, "INSERT INTO resource_profiles (resource_id, source_file, row_count, columns,"
                    " metadata_completeness, quality_score, profiled_by, profiled_at) VALUES "
                    "(%s, 'x.csv', 1, '[]', 1, 1, session_user, now())", (world.nb_resource,),
                "row-level security")
        # not even for their own resources may a version be taken ahead of the next save
        refused(hz, "INSERT INTO resource_versions (resource_id, version, snapshot, saved_by, "
                    "saved_at) SELECT id, version + 1, '{}', session_user, now() "
                    "FROM data_resources WHERE id = %s", (world.hz_resource,), "row-level security")
    finally:
        hz.close()
    # so the owner's next save works
    from govdesk.catalog.editing.resources import load_draft, save_resource

    nb_db, nb = world.accounts.login("data_admin", NB, world.nb_org)
    draft, version = load_draft(nb_db, nb, world.nb_resource)
    saved = save_resource(nb_db, nb, dataclasses.replace(draft, summary=draft.summary + "。"),
                          resource_id=world.nb_resource, base_version=version)
    assert saved.version == version + 1


# -- the services, as real logins -----------------------------------------------------------
def test_services_refuse_shared_resources_and_map_database_refusals(world: World,
                                                                    tmp_path: Path) -> None:
    from govdesk.catalog.classification.suggestions import queue_suggestions
    from govdesk.demo.profile_sample import write_sample_csv

    hz_db, hz = world.accounts.login("data_admin", HZ, world.hz_org)
    nb_code = world.owner("SELECT code FROM data_resources WHERE id = %s", (world.nb_resource,))
    with pytest.raises(InputRejected, match="read-only"):
        queue_suggestions(hz_db, hz, write_sample_csv(tmp_path / "p.csv", 50), nb_code)
    with pytest.raises(InputRejected, match="outside your area"):
        workflow.submit(hz_db, hz, world.nb_resource)
    # what the database refuses reaches the caller as a GovDesk error with its message
    with pytest.raises(PermissionDenied, match="cannot go down"):
        with hz_db.session() as s:
            s.execute(text("UPDATE data_items SET grade_id = :g WHERE id = :i"),
                      {"g": world.grades["general1"], "i": world.hz_item})
    with pytest.raises(InputRejected, match="就高从严: resource"):
        with hz_db.session() as s:  # refused at COMMIT, message still readable
            s.execute(text("UPDATE data_items SET grade_id = :g WHERE id = :i"),
                      {"g": world.grades["core"], "i": world.hz_item})


def test_lowering_a_grade_in_the_editor_is_refused_before_the_database(world: World) -> None:
    from govdesk.catalog.editing.resources import ValidationFailed, load_draft, save_resource

    hz_db, hz = world.accounts.login("data_admin", HZ, world.hz_org)
    draft, version = load_draft(hz_db, hz, world.hz_resource)
    lowered = dataclasses.replace(draft, items=tuple(
        dataclasses.replace(i, grade_code="general1") if i.grade_code else i
        for i in draft.items), grade_code="general1")
    with pytest.raises(ValidationFailed) as exc:
        save_resource(hz_db, hz, lowered, resource_id=world.hz_resource, base_version=version)
    assert {p.code for p in exc.value.problems} == {"grade_lowered"}
    raised = dataclasses.replace(draft, grade_code="core")
    assert save_resource(hz_db, hz, raised, resource_id=world.hz_resource,
                         base_version=version).version == version + 1


def test_a_real_login_imports_new_resources(world: World, tmp_path: Path) -> None:
    """Bulk inserts go in by INSERT for a login under row-level security (COPY is refused
    there), through every policy and rule above."""
    from openpyxl import load_workbook

    from govdesk.catalog.excel.exporter import export_catalog
    from govdesk.catalog.excel.importer import import_catalog

    hz_db, hz = world.accounts.login("data_admin", HZ, world.hz_org)
    out = tmp_path / "hz.xlsx"
    export_catalog(hz_db, hz, out)
    book = load_workbook(out)
    res, items = book["数据资源"], book["信息项"]
    nb_code = world.owner("SELECT code FROM data_resources WHERE id = %s", (world.nb_resource,))
    for sheet in (res, items):  # the shared resource is read-only: not theirs to import
        for n in reversed([r[0].row for r in sheet.iter_rows() if r[0].value == nb_code]):
            sheet.delete_rows(n)
    hz_code = world.owner("SELECT code FROM data_resources WHERE id = %s", (world.hz_resource,))
    row = next([c.value for c in r] for r in res.iter_rows() if r[0].value == hz_code)
    row[0], row[1] = hz_code.split("/")[0] + "/900001", "杭州市新增资源"
    res.append(row)
    items.append([row[0], 1, "姓名", "字符型C", 50, None, "一般数据4级", "否", "DE0001"])
    book.save(out)
    done = import_catalog(hz_db, hz, out)
    assert done.ok and done.written and done.inserted == [row[0]], done.as_dict()
    created_by, versions = world.owner(
        "SELECT r.created_by || ' ' || count(v.id) FROM data_resources r JOIN resource_versions"
        " v ON v.resource_id = r.id WHERE r.code = %s GROUP BY r.created_by", (row[0],)).split()
    assert created_by == hz.username and versions == "1"


def test_a_login_outside_govdesk_changes_nothing(world: World) -> None:
    """A login whose GovDesk account is deactivated keeps no power, whatever its groups."""
    who, hz = world.login("data_admin", HZ, world.hz_org)
    world.owner("UPDATE users SET is_active = false WHERE username = %s RETURNING id",
                (who.username,))
    try:
        with pytest.raises(psycopg2.Error):
            run(hz, NEW_RESOURCE.format(extra_cols="", extra_vals=""), (world.hz_org, "draft"))
        hz.rollback()
        assert run(hz, "UPDATE data_resources SET status = 'published' WHERE id = %s RETURNING id",
                   (world.hz_resource,)) is None  # sees nothing, changes nothing
    finally:
        hz.close()
