"""One or more example calls of every registered service, for the tests that must cover all of
them: the role x operation matrix (tests/test_security_matrix.py) and the regional scope test
(tests/test_service_scope.py).

A new service has no example until one is written here, and both tests fail until then (the
matrix test compares :data:`EXAMPLES` with the kernel's registry). An example gives the
arguments after ``(db, who)``, built from a :class:`World` (fresh objects where a call uses
something up); ``roles`` only when the body narrows the declaration further (a setting's own
scope), ``accept`` for an InputRejected that still means "the permission check passed".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import itertools
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import select

from govdesk.catalog.classification.schemes import SchemeSpec, active_scheme
from govdesk.catalog.classification.categories import add_category
from govdesk.catalog.editing import workflow
from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft, load_draft, save_resource
from govdesk.catalog.excel.exporter import export_catalog
from govdesk.catalog.orgs.directory import OrgDraft, add_organisation
from govdesk.catalog.orgs.workbook import write_org_template
from govdesk.catalog.search.browse import ResourceFilter
from govdesk.db.engine import Database
from govdesk.db.keyset import Key, Seek
from govdesk.db.models import (
    DataResource,
    Grade,
    GradeScheme,
    GradeSuggestion,
    Organisation,
    SharingGrant,
)
from govdesk.db.models.sharing import grant_day
from govdesk.demo.profile_sample import write_sample_csv
from govdesk.monitoring.dashboard import period
from govdesk.security.access_log import Event
from govdesk.security.audit_anchor import write_anchor
from govdesk.monitoring.dto import AccessFilter, EventKey
from govdesk.security.audit_read import AuditFilter
from govdesk.security.identity import Identity, identity_from_connection
from govdesk.security.roles import Role
from govdesk.sharing.access_dto import MatrixFilter, MatrixPage
from govdesk.sharing.dto import GrantFilter, GrantTerms

ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")
PASSWORD = "Test-Passw0rd!"  # conftest.Accounts.PASSWORD
EXPORT_PASSWORD = "Export-Passw0rd!"


def load_services() -> None:
    """Import every module that may declare services (the registry fills as they load)."""
    import govdesk

    for info in pkgutil.walk_packages(govdesk.__path__, "govdesk."):
        if not (info.name.startswith(("govdesk.ui", "govdesk.cli", "govdesk.db.migrations"))
                or info.name.endswith("__main__")):
            importlib.import_module(info.name)


class World:
    """The demo database with one province-wide login per role (real logins on PostgreSQL),
    a second data administrator who writes what the others review, and what examples need."""

    def __init__(self, db: Database, accounts: Any, tmp: Path) -> None:
        self.db, self.accounts, self.tmp = db, accounts, tmp
        self.acting: dict[str, tuple[Database, Identity]] = {}
        for role in ROLES:
            self.acting[role] = self.login(role)
        self.author_db, self.author = self.login("data_admin")
        self.rid = 1  # 101/000001, with sample rows (its grade wants encrypted exports)
        with db.session() as s:
            self.code = str(s.scalar(select(DataResource.code).where(DataResource.id == self.rid)))
        self.key = b"kernel-test-anchor-key-0123456789"
        self._n = itertools.count(1)
        self.codes: dict[int, str] = {}  #: codes of the resources made here

    def login(self, role: str, region: str | None = None,
              organisation_id: int | None = None) -> tuple[Database, Identity]:
        """A new login of ``role``: its database handle and the identity the database confirms."""
        handle, who = self.accounts.login(role, region, organisation_id)
        if handle is not self.db:
            who = identity_from_connection(handle)
        return handle, who

    def as_(self, role: str) -> tuple[Database, Identity]:
        return self.acting[role]

    def file(self, suffix: str) -> Path:
        return self.tmp / f"f{next(self._n)}{suffix}"

    def csv(self) -> Path:
        return write_sample_csv(self.file(".csv"), 40)

    # -- fresh objects (a call may use them up) ---------------------------------------------
    def fresh_resource(self, submitted: bool = False) -> int:
        """A new draft resource written by the author (submitted for review with ``submitted``)."""
        draft = ResourceDraft(
            name=f"测试资源{uuid.uuid4().hex[:6]}", category_code="203", provider_org_id=1,
            region_code="330000000000", format="spreadsheet", sharing_type="unconditional",
            open_type="unconditional", update_cycle="yearly",
            items=(ItemDraft("岗位名称", "C", 100, grade_code="general1"),))
        saved = save_resource(self.author_db, self.author, draft)
        self.codes[saved.resource_id] = saved.code
        if submitted:
            workflow.submit(self.author_db, self.author, saved.resource_id)
        return saved.resource_id

    def fresh_category(self) -> str:
        """A new leaf category under 203 (就业), made by the security administrator."""
        code = f"2039{next(self._n) % 100:02d}"
        db, who = self.as_("secadmin")
        add_category(db, who, code, f"测试类目{code}", "203")
        return code

    def fresh_category_code(self) -> str:
        return f"2038{next(self._n) % 100:02d}"

    def new_login_name(self) -> str:
        """A login name no account has yet; on PostgreSQL its role is dropped with the test's
        accounts (login roles belong to the server, not to the test database)."""
        name = f"n{uuid.uuid4().hex[:10]}"
        self.accounts.roles.append(name)
        return name

    def fresh_user(self) -> str:
        """A new viewer account (the target of account changes)."""
        return str(self.accounts.add("viewer").username)

    def fresh_org(self) -> int:
        """A new department, added by the system administrator (the target of edits)."""
        return add_organisation(*self.as_("sysadmin"), self.org_draft()).id

    def org_draft(self) -> OrgDraft:
        return OrgDraft(f"T-{uuid.uuid4().hex[:10]}", "测试部门", "education", "330100")

    @cached_property
    def org_workbook(self) -> Path:
        """The organisations workbook of the directory, as the system administrator wrote it."""
        out = self.file(".xlsx")
        write_org_template(*self.as_("sysadmin"), out)
        return out

    def pending_suggestion(self) -> int:
        """A pending grade suggestion for the resource, queued by the owner."""
        with self.db.session() as s:
            grade = s.scalar(select(Grade.id).join(GradeScheme).where(
                GradeScheme.is_active.is_(True), Grade.code == "general4"))
            row = GradeSuggestion(resource_id=self.rid, column_name="公民身份号码",
                                  detector="citizen_id", confidence=0.99, guardian=False,
                                  grade_id=grade, status="pending", source_file="test.csv",
                                  proposed_by=self.author.username)
            s.add(row)
            s.flush()
            return int(row.id)

    @cached_property
    def versioned(self) -> int:
        """A resource with a saved version 1 (demo resources have none)."""
        return self.fresh_resource()

    @cached_property
    def scheme(self) -> SchemeSpec:
        return active_scheme(*self.as_("viewer"))

    @cached_property
    def anchor(self) -> Path:
        out = self.file(".json")
        write_anchor(*self.as_("auditor"), out, self.key)
        return out

    def access_log(self) -> Path:
        """A two-line exchange-platform log (CSV) for the access-log import."""
        path = self.file(".csv")
        path.write_text("t,u,a\n2026-11-01 08:00:00,ext,query\n2026-11-01 08:00:01,ext,api\n",
                        encoding="utf-8")
        return path

    def access_source(self) -> str:
        """A new access-log source's name (each example saves its own)."""
        return f"来源{next(self._n)}"

    @cached_property
    def workbook(self) -> Path:
        out = self.file(".xlsx")
        export_catalog(*self.as_("viewer"), out, ResourceFilter(text=self.code))
        return out

    # -- sharing -----------------------------------------------------------------------------
    @cached_property
    def shareable(self) -> str:
        """The code of a published 杭州 resource that may be shared (有条件共享, general4)."""
        with self.db.session() as s:
            return str(s.scalar(select(DataResource.code).where(
                DataResource.region_code.like("3301%"), DataResource.status == "published",
                DataResource.sharing_type == "conditional").order_by(DataResource.id).limit(1)))

    def grant(self, status: str) -> int:
        """A fresh grant of :attr:`shareable` to 宁波市's federation in ``status``, written by the
        owner (who writes rows as given), requested by the second data administrator."""
        today = grant_day()
        with self.db.session() as s:
            rid = s.scalar(select(DataResource.id).where(DataResource.code == self.shareable))
            org = s.scalar(select(Organisation.id).where(Organisation.code == "CDPF-330200"))
            row = SharingGrant(resource_id=rid, grantee_org_id=org, sharing_type="conditional",
                               method="platform", purpose_code="statistics", status=status,
                               conditions_accepted=True, requested_by=self.author.username,
                               requested_at=dt.datetime.now(dt.timezone.utc), valid_from=today,
                               valid_until=today + dt.timedelta(days=30))
            s.add(row)
            s.flush()
            return int(row.id)

    # -- monitoring ------------------------------------------------------------------------------
    def alert(self, state: str = "open") -> int:
        """A fresh alert of the bulk-export rule in ``state``, written by the owner."""
        from govdesk.db.models import MonitorAlert

        now = dt.datetime.now(dt.timezone.utc)
        with self.db.session() as s:
            row = MonitorAlert(rule_code="bulk_export", subject_key=uuid.uuid4().hex,
                               username="u0001_1", severity="high", state=state, count=1, hits=1,
                               first_seen=now, last_seen=now)
            s.add(row)
            s.flush()
            return int(row.id)

    def grant_terms(self) -> GrantTerms:
        return GrantTerms(valid_until=grant_day() + dt.timedelta(days=30), method="platform",
                          purpose_code="statistics", accept_conditions=True)

    # -- backup ------------------------------------------------------------------------------
    def backup_spec(self) -> Any:
        """A nightly, unencrypted policy of this database with fresh local and off-site
        directories (unencrypted: the examples need no key directory)."""
        from govdesk.backup.policy import PolicySpec

        local, off = self.file("-local"), self.file("-off")
        local.mkdir()
        off.mkdir()
        pg = self.db.is_postgres
        return PolicySpec(name=f"测试备份{uuid.uuid4().hex[:6]}",
                          source="postgresql" if pg else "sqlite",
                          method="pg_dump" if pg else "sqlite", schedule_cron="0 1 * * *",
                          dr_level=3, target=str(local), offsite_targets=(str(off),),
                          encrypted=False)

    def fresh_backup_policy(self) -> int:
        """A new policy, saved by the system administrator."""
        from govdesk.backup.policies import create_policy

        return create_policy(*self.as_("sysadmin"), self.backup_spec()).id

    def draft_update(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        draft, version = load_draft(*self.as_("viewer"), self.rid)
        return (dataclasses.replace(draft, summary=draft.summary + "。"),), {
            "resource_id": self.rid, "base_version": version}


Args = tuple[tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True)
class Example:
    """One call: ``args(world)`` gives the arguments after ``(db, who)``."""

    args: Callable[[World], Args]
    roles: frozenset[str] | None = None  #: who passes, when the body narrows the declaration
    accept: str | None = None  #: an InputRejected containing this means "passed the check"


def a(*args: Any, **kwargs: Any) -> Args:
    return args, kwargs


def ex(args: Callable[[World], Args], roles: set[str] | None = None,
       accept: str | None = None) -> Example:
    return Example(args, frozenset(roles) if roles is not None else None, accept)


_C = "govdesk.catalog."
_S = "govdesk.security."
_H = "govdesk.sharing."
_M = "govdesk.monitoring."


def latest_event(w: World) -> EventKey:
    """The key of the newest access event (read as the owner)."""
    from govdesk.db.models import AccessEvent

    with w.db.session() as s:
        row = s.execute(select(AccessEvent.id, AccessEvent.ts)
                        .order_by(AccessEvent.ts.desc(), AccessEvent.id.desc()).limit(1)).one()
    ts = row[1] if row[1].tzinfo else row[1].replace(tzinfo=dt.timezone.utc)
    return EventKey(int(row[0]), ts)
_B = "govdesk.backup."
NO_BACKUP = 10 ** 6
#: a whole hour (the rollups' grain)
HOUR = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
_MO = "govdesk.monitoring."
ACCESS_MAPPING = '{"columns": {"time": "t", "user": "u", "action": "a"}}'
#: an allowed role asking about a grant that does not exist (the province-wide logins belong to
#: no organisation, so they can neither request nor hold a grant of their own)
NO_GRANT = 10 ** 6
EVERYTHING = ResourceFilter()

#: service name (module.function) -> example calls
EXAMPLES: dict[str, list[Example]] = {
    # search and details
    _C + "search.browse.count_resources": [ex(lambda w: a(EVERYTHING))],
    _C + "search.browse.count_resources_capped": [ex(lambda w: a(ResourceFilter(text="残疾人")))],
    _C + "search.browse.first_page": [ex(lambda w: a(ResourceFilter(text="康复"), 10))],
    _C + "search.browse.list_resources": [ex(lambda w: a(EVERYTHING, 0, 10))],
    _C + "search.browse.first_keyed_page": [ex(lambda w: a(ResourceFilter(text="康复"), 10))],
    _C + "search.browse.page_resources": [
        ex(lambda w: a(EVERYTHING, Seek(limit=10))),
        ex(lambda w: a(EVERYTHING, Seek(after=Key("0", "0"), limit=10)))],
    _C + "search.browse.get_resource": [ex(lambda w: a(w.rid))],
    _C + "search.browse.category_tree": [ex(lambda w: a())],
    _C + "search.browse.region_children": [ex(lambda w: a(None))],
    # editing and workflow
    _C + "editing.resources.load_draft": [ex(lambda w: a(w.rid))],
    _C + "editing.resources.history": [ex(lambda w: a(w.versioned))],
    _C + "editing.resources.diff_versions": [ex(lambda w: a(w.versioned, 1, 1))],
    _C + "editing.resources.editor_choices": [ex(lambda w: a())],
    _C + "editing.resources.save_resource": [
        ex(lambda w: a(ResourceDraft(
            name=f"测试资源{uuid.uuid4().hex[:6]}", category_code="203", provider_org_id=1,
            region_code="330000000000", format="spreadsheet", sharing_type="unconditional",
            open_type="unconditional", update_cycle="yearly",
            items=(ItemDraft("岗位名称", "C", 100, grade_code="general1"),)))),
        ex(lambda w: w.draft_update()),
    ],
    _C + "editing.resources.revert": [ex(lambda w: a(w.fresh_resource(), 1))],
    _C + "editing.workflow.submit": [ex(lambda w: a(w.fresh_resource()))],
    _C + "editing.workflow.approve": [ex(lambda w: a(w.fresh_resource(submitted=True)))],
    _C + "editing.workflow.return_to_draft": [ex(lambda w: a(w.fresh_resource(submitted=True)))],
    _C + "editing.authority.authority_conflicts": [ex(lambda w: a())],
    # Excel
    _C + "excel.exporter.export_catalog": [ex(lambda w: a(w.file(".xlsx"), blank=True))],
    _C + "excel.importer.import_catalog": [ex(lambda w: a(w.workbook, dry_run=True))],
    # classification
    _C + "classification.categories.add_category": [
        ex(lambda w: a(w.fresh_category_code(), "测试类目", "203"))],
    _C + "classification.categories.rename_category": [
        ex(lambda w: a(w.fresh_category(), "改名的类目"))],
    _C + "classification.categories.remove_category": [ex(lambda w: a(w.fresh_category()))],
    _C + "classification.coverage.coverage": [ex(lambda w: a())],
    _C + "classification.regrade.plan_regrade": [ex(lambda w: a([w.rid], "important"))],
    _C + "classification.regrade.apply_regrade": [ex(lambda w: a([w.fresh_resource()], "important"))],
    _C + "classification.schemes.list_schemes": [ex(lambda w: a())],
    _C + "classification.schemes.active_scheme": [ex(lambda w: a())],
    _C + "classification.schemes.plan_scheme": [ex(lambda w: a(w.scheme))],
    _C + "classification.schemes.apply_scheme": [ex(lambda w: a(w.scheme))],
    _C + "classification.suggestions.suggest": [
        ex(lambda w: a(w.csv())), ex(lambda w: a(w.csv(), resource_code=w.code))],
    # a fresh resource: re-queuing a column's pending suggestion needs DELETE, which PostgreSQL
    # gives nobody (docs/architecture.md, "The working rules in the database")
    _C + "classification.suggestions.queue_suggestions": [
        ex(lambda w: a(w.csv(), w.codes[w.fresh_resource()]))],
    _C + "classification.suggestions.list_suggestions": [ex(lambda w: a(resource_id=w.rid))],
    _C + "classification.suggestions.decide": [
        ex(lambda w: a(w.pending_suggestion(), accept=False))],
    # samples
    _C + "profiling.samples.sample_rows": [
        ex(lambda w: a(w.rid)), ex(lambda w: a(w.rid, unmask=True, reason="核对残疾人证"))],
    _C + "profiling.samples.export_samples": [
        ex(lambda w: a(w.rid, w.file(".xlsx"), password=EXPORT_PASSWORD)),
        ex(lambda w: a(w.rid, w.file(".xlsx"), unmask=True, reason="核对残疾人证",
                       password=EXPORT_PASSWORD))],
    _C + "profiling.samples.resource_id_for": [ex(lambda w: a(w.code))],
    # the organisations directory
    _C + "orgs.directory.list_organisations": [ex(lambda w: a()),
                                               ex(lambda w: a(active_only=True, text="杭州"))],
    _C + "orgs.directory.add_organisation": [ex(lambda w: a(w.org_draft()))],
    _C + "orgs.directory.update_organisation": [
        ex(lambda w: a(w.fresh_org(), dataclasses.replace(w.org_draft(), name="改名的部门")))],
    _C + "orgs.directory.set_organisation_active": [ex(lambda w: a(w.fresh_org(), False))],
    _C + "orgs.seed.seed_federations": [ex(lambda w: a("33"))],
    _C + "orgs.workbook.write_org_template": [ex(lambda w: a(w.file(".xlsx")))],
    _C + "orgs.workbook.import_organisations": [ex(lambda w: a(w.org_workbook, dry_run=True))],
    # users and logins
    _S + "users.create_user": [
        ex(lambda w: a(w.new_login_name(), Role.VIEWER, "Fresh-Passw0rd!"))],
    _S + "users.list_users": [ex(lambda w: a())],
    _S + "users.lock_user": [ex(lambda w: a(w.fresh_user()))],
    _S + "users.reset_password": [ex(lambda w: a(w.fresh_user(), "Other-Passw0rd!"))],
    _S + "users.change_own_password": [ex(lambda w: a(PASSWORD, PASSWORD))],
    _S + "users.deactivate_user": [ex(lambda w: a(w.fresh_user()))],
    _S + "users.update_user": [ex(lambda w: a(w.fresh_user(), display_name="改名"))],
    _S + "users.account_anomalies": [ex(lambda w: a())],
    _S + "auth.unlock_user": [ex(lambda w: a(w.fresh_user()))],
    _S + "auth.record_session_locked": [ex(lambda w: a())],
    _S + "auth.confirm_password": [ex(lambda w: a(PASSWORD))],
    _S + "regions.region_names": [ex(lambda w: a(["330100000000", "999999999999"]))],
    # settings
    _S + "settings.list_settings": [ex(lambda w: a())],
    _S + "settings.update_setting": [
        ex(lambda w: a("security.idle_lock_minutes", "20"), roles={"secadmin"}),
        ex(lambda w: a("system.site_name", "杭州市残疾人联合会"), roles={"sysadmin"})],
    # the audit trail
    _S + "audit_read.count_events": [ex(lambda w: a(AuditFilter()))],
    _S + "audit_read.list_events": [ex(lambda w: a(AuditFilter(), 0, 50))],
    _S + "audit_read.page_events": [
        ex(lambda w: a(AuditFilter(), Seek(limit=50))),
        ex(lambda w: a(AuditFilter(), Seek(after=Key(10**9, 10**9), limit=50)))],
    _S + "audit_read.verify_chain": [ex(lambda w: a())],
    _S + "audit_read.export_events": [ex(lambda w: a(AuditFilter(), w.file(".csv")))],
    # nothing in a fresh demo is old enough: an allowed role gets "nothing to archive"
    _S + "audit_read.archive_events": [
        ex(lambda w: a(dt.datetime.now(dt.timezone.utc), w.file(".csv")), accept="older")],
    # the access log's partitions and rollups (issue 15): a fresh demo holds no month old
    # enough to archive, and SQLite has no partitions: either way the check passed
    _S + "access_log.record": [ex(lambda w: a(Event("query", operation="example")))],
    _S + "access_archive.ensure_partitions": [ex(lambda w: a(12))],
    _S + "access_archive.archivable_partitions": [ex(lambda w: a(),
                                                     accept="access-event partition")],
    _S + "access_archive.archive_partitions": [ex(lambda w: a(w.tmp),
                                                  accept="access-event partition")],
    _M + "rollups.access_over_time": [
        ex(lambda w: a(HOUR - dt.timedelta(days=2), HOUR)),
        ex(lambda w: a(HOUR - dt.timedelta(days=2), HOUR, by="result", bucket="day"))],
    _M + "rollups.top_users": [ex(lambda w: a(grant_day() - dt.timedelta(days=30),
                                              grant_day()))],
    _M + "rollups.top_resources": [ex(lambda w: a(grant_day() - dt.timedelta(days=30),
                                                  grant_day()))],
    _M + "dashboard.dashboard": [ex(lambda w: a()),
                                 ex(lambda w: a(period("today")))],
    _S + "audit_anchor.write_anchor": [ex(lambda w: a(w.file(".json"), w.key))],
    _S + "audit_anchor.verify_with_anchor": [ex(lambda w: a(w.anchor, w.key))],
    # sharing
    _H + "queries.list_grants": [ex(lambda w: a(GrantFilter())),
                                 ex(lambda w: a(GrantFilter(state="active", to_decide=True)))],
    _H + "queries.grant_detail": [ex(lambda w: a(w.grant("requested")))],
    _H + "workflow.request_grant": [
        ex(lambda w: a(w.shareable, w.grant_terms()), accept="belongs to no organisation")],
    _H + "workflow.offer_grant": [
        ex(lambda w: a(w.shareable, w.grant_terms(), grantee="CDPF-330200"))],
    _H + "workflow.renew_grant": [
        ex(lambda w: a(NO_GRANT, grant_day() + dt.timedelta(days=60)), accept="does not exist")],
    _H + "decisions.approve": [ex(lambda w: a(w.grant("requested")))],
    _H + "decisions.reject": [ex(lambda w: a(w.grant("requested"), "用途不明"))],
    _H + "decisions.revoke": [ex(lambda w: a(w.grant("approved"), "协议终止"))],
    _H + "decisions.release": [ex(lambda w: a(NO_GRANT), accept="does not exist")],
    _H + "decisions.expire_due": [ex(lambda w: a())],
    _H + "lookup.find_resources": [ex(lambda w: a("残疾"))],
    _H + "lookup.requestable": [ex(lambda w: a(w.shareable))],
    _H + "lookup.providing_side": [ex(lambda w: a([w.grant("requested")]))],
    _H + "alerts.list_alerts": [ex(lambda w: a()),
                                ex(lambda w: a(kinds={"expiring"}, within_days=30))],
    # the effective-access matrix
    _H + "matrix.access_matrix": [ex(lambda w: a(MatrixFilter(region="3301"), MatrixPage(limit=5)))],
    _H + "matrix.who_can_read": [ex(lambda w: a(w.code))],
    _H + "matrix.what_org_can_read": [
        ex(lambda w: a("CDPF-330100", MatrixFilter(), MatrixPage(limit=5)))],
    _H + "matrix.explain_cell": [ex(lambda w: a(2, w.code))],
    # monitoring: rules and alerts
    _M + "run.run_rules": [ex(lambda w: a(rules=["bulk_export"]))],
    _M + "rules.list_rules": [ex(lambda w: a())],
    _M + "rules.edit_rule": [ex(lambda w: a("bulk_export", parameters={"rows": 6000}))],
    _M + "rules.calendar_days": [ex(lambda w: a(2026))],
    _M + "rules.set_calendar_day": [ex(lambda w: a(dt.date(2026, 12, 7), "holiday", "调休"))],
    _M + "rules.remove_calendar_day": [ex(lambda w: a(dt.date(2026, 12, 8)))],
    _M + "alerts.list_alerts": [ex(lambda w: a())],
    _M + "alerts.count_alerts": [ex(lambda w: a())],
    _M + "alerts.alert_detail": [ex(lambda w: a(w.alert()))],
    _M + "alerts.acknowledge": [ex(lambda w: a(w.alert(), note="核实中"))],
    _M + "alerts.assign": [ex(lambda w: a(w.alert(), ""))],
    _M + "alerts.annotate": [ex(lambda w: a(w.alert(), "备注"))],
    _M + "alerts.close_alert": [ex(lambda w: a(w.alert("acknowledged"), "benign"))],
    _M + "rates.hit_rates": [ex(lambda w: a(30))],
    _H + "matrix_export.export_matrix": [
        ex(lambda w: a(MatrixFilter(region="330102"), w.file(".json")))],
    # the access-log workbench
    _M + "workbench.page_access": [
        ex(lambda w: a(AccessFilter(), Seek(limit=20))),
        ex(lambda w: a(AccessFilter(success=False, unreviewed=True), Seek(limit=20)))],
    _M + "workbench.count_access": [ex(lambda w: a(AccessFilter(action="export")))],
    _M + "workbench.access_detail": [ex(lambda w: a(latest_event(w)))],
    _M + "workbench.access_choices": [ex(lambda w: a())],
    _M + "reviews.review_events": [ex(lambda w: a([latest_event(w)], "已核对无异常"))],
    _M + "reviews.review_period": [ex(lambda w: a(
        96, latest_event(w).ts - dt.timedelta(days=1), latest_event(w).ts, "该单位当日已核对"))],
    _M + "export.export_access": [ex(lambda w: a(AccessFilter(organisation_id=96),
                                                 w.file(".xlsx")))],
    # backup and disaster recovery (on PostgreSQL a system administrator's own login cannot
    # read every table: a real backup reads as a backup login, see the README)
    _B + "policies.list_policies": [ex(lambda w: a())],
    _B + "policies.preview_policy": [ex(lambda w: a(w.backup_spec()))],
    _B + "policies.create_policy": [ex(lambda w: a(w.backup_spec()))],
    _B + "policies.update_policy": [ex(lambda w: a(w.fresh_backup_policy(), 1, w.backup_spec()))],
    _B + "policies.check_targets": [ex(lambda w: a(w.fresh_backup_policy()))],
    _B + "runner.run_policy": [ex(lambda w: a(w.fresh_backup_policy()), accept="cannot read")],
    _B + "runner.run_due": [ex(lambda w: a(now=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)))],
    _B + "verify.verify_backup": [ex(lambda w: a(NO_BACKUP), accept="There is no backup")],
    _B + "restore.restore_backup": [
        ex(lambda w: a(NO_BACKUP, f"sqlite:///{w.file('.sqlite3')}"), accept="There is no backup")],
    _B + "prune.prune": [ex(lambda w: a(dry_run=True))],
    _B + "prune.set_legal_hold": [ex(lambda w: a(NO_BACKUP, True), accept="There is no backup")],
    _B + "prune.list_backups": [ex(lambda w: a())],
    _B + "prune.list_jobs": [ex(lambda w: a())],
    _B + "health.health": [ex(lambda w: a())],
    _B + "health.compliance": [ex(lambda w: a(resources=True)), ex(lambda w: a(resources=False))],
    # access-log import (issue 15)
    _MO + "log_import.list_sources": [ex(lambda w: a())],
    _MO + "log_import.save_source": [
        ex(lambda w: a(w.access_source(), "exchange_csv", ACCESS_MAPPING))],
    _MO + "log_import.import_access_log": [
        ex(lambda w: a(w.access_log(), w.access_source(), kind="exchange_csv",
                       mapping=ACCESS_MAPPING, check=True)),
        ex(lambda w: a(w.access_log(), w.access_source(), kind="exchange_csv",
                       mapping=ACCESS_MAPPING))],
}
