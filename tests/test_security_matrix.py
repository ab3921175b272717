"""Every registered service, called by every role, on both databases.

The services come from the kernel's registry (``govdesk.security.kernel.REGISTRY``) and their
calls from ``tests/service_examples.py``; a service without an example fails the test, so none
can be added uncovered. A role the declaration allows must get through, on PostgreSQL through
its own login (a real server role in its group), so the database's grants and row-level
security must let it too; a role it refuses must get PermissionDenied before the service
touches the database (it is handed a database that fails on any use).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govdesk.catalog.search.browse import ResourceFilter, count_resources, list_resources
from govdesk.catalog.profiling.samples import sample_rows
from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security.audit_read import AuditFilter, list_events
from govdesk.security.identity import Identity
from govdesk.security.kernel import REGISTRY, ServiceSpec
from govdesk.security.roles import ALLOWED, Op, Role
from service_examples import EXAMPLES, ROLES, Example, World, load_services

RESOURCE_WITH_SAMPLES = 1  # 101/000001, a base-population resource with personal data


class NoDatabase:
    """Handed to a refused caller: any use of it means the service touched the database before
    checking the permission."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the service used the database ({name}) before checking the "
                             "permission")


def services() -> dict[str, ServiceSpec]:
    """The application's registered services (tests may declare services of their own)."""
    load_services()
    return {name: spec for name, spec in REGISTRY.items() if name.startswith("govdesk.")}


def test_every_registered_service_has_an_example() -> None:
    registered = services()
    assert sorted(set(registered) - set(EXAMPLES)) == [], "write an example in service_examples.py"
    assert sorted(set(EXAMPLES) - set(registered)) == [], "an example for no service"
    assert all(EXAMPLES[name] for name in registered)


@pytest.fixture
def world(demo_db: Database, accounts_for, tmp_path: Path) -> Iterator[World]:  # type: ignore[no-untyped-def]
    yield World(demo_db, accounts_for(demo_db), tmp_path)


@pytest.fixture
def acting(world: World) -> dict[str, tuple[Database, Identity]]:
    """role -> (database handle as that role, identity)."""
    return world.acting


def outcome(call: Any, example: Example) -> tuple[str, str]:
    """("allowed" or "denied" or what went wrong, the message)."""
    try:
        call()
    except PermissionDenied as exc:
        return "denied", str(exc)
    except InputRejected as exc:  # passed the permission check, then refused the input
        if example.accept and example.accept in str(exc):
            return "allowed", str(exc)
        return f"error: {exc}", ""
    except AssertionError as exc:
        return str(exc), ""
    return "allowed", ""


def test_role_operation_matrix(world: World) -> None:
    wrong: list[str] = []
    flags: set[tuple[str, str]] = set()
    owner = Identity("owner", None, is_owner=True)
    for name, spec in sorted(services().items()):
        for n, example in enumerate(EXAMPLES[name]):
            label = f"{name.removeprefix('govdesk.')}#{n}"
            args, kwargs = example.args(world)  # for the refused: they never get to use them
            arguments = spec.signature.bind(None, None, *args, **kwargs).arguments
            flags |= {(name, f) for f in spec.when if arguments.get(f)}
            declared = {r.value for r in spec.roles(arguments)}
            allowed = example.roles if example.roles is not None else declared
            for role in ROLES:
                db, who = world.acting[role]
                if role in declared:  # a body that narrows it refuses after looking
                    args, kwargs = example.args(world)  # fresh: a call may use its objects up
                    got, why = outcome(lambda: _call(name, db, who, args, kwargs), example)
                else:
                    got, why = outcome(lambda: _call(name, NoDatabase(), who, args, kwargs),
                                       example)
                expected = "allowed" if role in allowed else "denied"
                if got != expected:
                    wrong.append(f"{label} by {role}: {got}, expected {expected} {why}")
            if not (spec.owner or spec.anyone):
                got, _ = outcome(lambda: _call(name, NoDatabase(), owner, args, kwargs), example)
                if got != "denied":
                    wrong.append(f"{label} by the database owner: {got}, expected denied")
    missing = {(name, f) for name, spec in services().items() for f in spec.when} - flags
    assert wrong == [], "\n".join(wrong)
    assert missing == set(), sorted(missing)


def _call(name: str, db: Any, who: Identity, args: tuple[Any, ...],
          kwargs: dict[str, Any]) -> object:
    """Call the service ``name`` as the application does (through its declaration)."""
    module, _, function = name.rpartition(".")
    return getattr(__import__(module, fromlist=[function]), function)(db, who, *args, **kwargs)


def test_the_three_administrators_are_separate() -> None:
    trio = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
    assert {r for r in Role if r.is_admin_trio} == trio
    # no operation is shared between the system administrator and the auditor
    for op, roles in ALLOWED.items():
        assert not ({Role.SYSADMIN, Role.AUDITOR} <= roles), op
    # only the auditor and security administrator read the audit trail; nobody else
    assert ALLOWED[Op.AUDIT_READ] == {Role.AUDITOR, Role.SECADMIN}


def test_samples_are_masked_unless_unmasked_by_a_cleared_role(acting) -> None:  # type: ignore[no-untyped-def]
    db, who = acting["data_admin"]
    masked = sample_rows(db, who, RESOURCE_WITH_SAMPLES)
    plain = sample_rows(db, who, RESOURCE_WITH_SAMPLES, unmask=True, reason="核对残疾人证")
    col = masked.columns.index("公民身份号码")
    assert "公民身份号码" in masked.masked and "姓名" in masked.masked
    assert "性别" not in masked.masked  # general-2 items are not masked by the default scheme
    for m, p in zip(masked.rows, plain.rows):
        assert m[col] == p[col][:6] + "********" + p[col][14:]
    events = list_events(acting["secadmin"][0], acting["secadmin"][1],
                         AuditFilter(event_type="unmask"), 0, 10)
    assert [e.username for e in events] == [who.username]


def test_regional_user_sees_only_their_region(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(demo_db)
    hz = accounts.add("viewer", region="330100")
    db = Database(accounts.url_for(hz.username)) if demo_db.is_postgres else demo_db
    try:
        rows = list_resources(db, hz, ResourceFilter(), 0, 500)
        assert rows and count_resources(db, hz, ResourceFilter()) == len(rows)
        assert all(r.id in _hangzhou_ids(demo_db) for r in rows)
        province_rows = count_resources(demo_db, Identity("p", Role.VIEWER), ResourceFilter())
        assert len(rows) < province_rows
    finally:
        if db is not demo_db:
            db.dispose()


def _hangzhou_ids(db: Database) -> set[int]:
    """Hangzhou's resources (the test user has no organisation, so nothing is shared)."""
    from sqlalchemy import select

    from govdesk.db.models import DataResource

    with db.session() as s:
        return set(s.scalars(select(DataResource.id).where(DataResource.region_code.like("3301%"))))
