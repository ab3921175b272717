"""The service kernel itself: no public service goes undeclared, a declaration is checked when
it is made, the permission comes before anything else, and regional scope reaches every ORM
statement of a call (sub-queries, joins, lazy loads, ORM UPDATE) unless the declaration or the
statement says why not."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

import govdesk
from govdesk.db.engine import Database
from govdesk.db.models import DataItem, DataResource, ResourceVersion
from govdesk.errors import PermissionDenied
from govdesk.security.identity import Identity
from govdesk.security.kernel import (
    REGISTRY,
    ResourceNotFound,
    Scope,
    service,
    spec_of,
    unscoped,
)
from govdesk.security.roles import Op, Role
from service_examples import load_services

ROOT = Path(govdesk.__file__).resolve().parent
#: the packages whose public functions taking (db, who) must be declared services: every one
#: but the layers that call services (ui, cli) and the ones below them
SERVICE_PACKAGES = [p.name for p in ROOT.iterdir() if p.is_dir()
                    and p.name not in ("ui", "cli", "db", "demo", "__pycache__")]
HANGZHOU = Identity("hz", Role.DATA_ADMIN, "330100000000", host="test")
PROVINCE = Identity("zj", Role.DATA_ADMIN, host="test")


def _modules() -> list[Any]:
    load_services()
    found = []
    for package in SERVICE_PACKAGES:
        pkg = importlib.import_module(f"govdesk.{package}")
        found += [importlib.import_module(m.name)
                  for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
    return found


def test_catalog_and_security_are_searched() -> None:
    assert {"catalog", "security"} <= set(SERVICE_PACKAGES)


def _is_service(function: Any) -> bool:
    """Takes a database and an identity (by name or annotation), and no session: it opens its
    own unit of work, so it is a service. A helper given the caller's session is not."""
    params = inspect.signature(function).parameters.values()

    def takes(name: str, annotation: str) -> bool:
        return any(p.name == name or str(p.annotation) == annotation for p in params)

    return takes("db", "Database") and takes("who", "Identity") and not (
        takes("s", "Session") or takes("session", "Session"))


def test_every_public_function_taking_db_and_who_is_a_declared_service() -> None:
    undeclared = []
    for module in _modules():
        for name, obj in vars(module).items():
            if (inspect.isfunction(obj) and obj.__module__ == module.__name__
                    and not name.startswith("_") and _is_service(obj) and spec_of(obj) is None):
                undeclared.append(f"{module.__name__}.{name}")
    assert undeclared == [], "declare them with @service (govdesk/security/kernel.py)"


def test_no_undeclared_service_hides_from_introspection() -> None:
    """The same, from the source: every public module-level ``def f(db, who, ...)`` carries
    ``@service`` (a function bound under another name would escape the check above)."""
    bare = []
    for package in SERVICE_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                    continue
                params = [a.arg for a in node.args.args]
                decorated = any(isinstance(d, ast.Call) and getattr(d.func, "id", "") == "service"
                                for d in node.decorator_list)
                if params[:2] == ["db", "who"] and not decorated:
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert bare == []


def test_the_registry_names_every_service_once_with_its_operation() -> None:
    load_services()
    app = {n: s for n, s in REGISTRY.items() if n.startswith("govdesk.")}
    assert len(app) >= 55
    for name, spec in app.items():
        assert spec.ops or spec.anyone, name
        assert spec.scope is not Scope.NONE or spec.why, name
        assert spec_of(spec.function) is None  # the registry holds the undecorated body


@pytest.mark.parametrize(("declare", "problem"), [
    (lambda: service(Op.CATALOG_READ)(lambda session, who: None), "takes (db, who"),
    (lambda: service()(lambda db, who: None), "name the operation"),
    (lambda: service(Op.CATALOG_READ, anyone=True, why="x")(lambda db, who: None), "not both"),
    (lambda: service(anyone=True)(lambda db, who: None), "must say why"),
    (lambda: service(Op.CATALOG_READ, scope=Scope.NONE)(lambda db, who: None), "must say why"),
    (lambda: service(Op.CATALOG_READ)(lambda db, who, resource_id: None),
     "declare resource='resource_id'"),
    (lambda: service(Op.CATALOG_READ, resource="rid")(lambda db, who: None), "not a parameter"),
    (lambda: service(Op.SAMPLES_READ, when={"unmask": Op.PERSONAL_DATA_UNMASKED})(
        lambda db, who: None), "when='unmask'"),
])
def test_a_wrong_declaration_fails_at_import(declare: Any, problem: str) -> None:
    with pytest.raises(TypeError, match=problem.replace("(", r"\(")):
        declare()


class Untouchable:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError("touched the database")


@service(Op.PERSONAL_DATA_UNMASKED, when={"unmask": Op.AUDIT_READ})
def _gated(db: Any, who: Identity, unmask: bool = False) -> str:
    return "ran"


def test_the_permission_comes_before_anything() -> None:
    with pytest.raises(PermissionDenied) as refused:
        _gated(Untouchable(), Identity("v", Role.VIEWER))
    assert refused.value.params["operation"].op == "personal.unmasked"
    assert _gated(Untouchable(), HANGZHOU) == "ran"  # the body never used the database
    with pytest.raises(PermissionDenied) as refused:  # the extra op of ``when``
        _gated(Untouchable(), HANGZHOU, unmask=True)
    assert refused.value.params["operation"].op == "audit.read"
    with pytest.raises(PermissionDenied):  # the owner only where declared
        _gated(Untouchable(), Identity("o", None, is_owner=True))


# test services (named after this module, so the application's registry checks skip them)
@service(Op.CATALOG_READ)
def _versions_read(db: Database, who: Identity) -> dict[str, Any]:
    with db.session() as s:
        rid = s.scalar(unscoped(select(func.min(DataResource.id)), "the lowest id of all"))
        return {
            "resources": s.scalar(select(func.count(DataResource.id))),
            "items": s.scalar(select(func.count(DataItem.id))),
            "joined": s.scalar(select(func.count(DataItem.id)).join(
                DataResource, DataResource.id == DataItem.resource_id)),
            "in_subquery": s.scalar(select(func.count()).select_from(
                select(DataItem.resource_id).distinct().subquery())),
            "versions": s.scalar(select(func.count(ResourceVersion.id))),
            "unscoped": s.scalar(unscoped(select(func.count(DataResource.id)), "a test")),
            "first": s.get(DataResource, rid) is not None if rid else None,
        }


@service(Op.CATALOG_EDIT, writes=True)
def _touch_all(db: Database, who: Identity) -> int:
    with db.session() as s:
        return int(s.execute(update(DataResource).values(summary=DataResource.summary)
                             .execution_options(synchronize_session=False)).rowcount)


@service(Op.CATALOG_EDIT, writes=True, scope=Scope.NONE, why="a test of the opt-out")
def _count_all(db: Database, who: Identity) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count(DataResource.id))) or 0)


@service(Op.CATALOG_READ, resource="resource_id")
def _one(db: Database, who: Identity, resource_id: int) -> int:
    return resource_id


def _truth(db: Database) -> dict[str, int]:
    with db.session() as s:  # no service: nothing narrows
        hz = DataResource.region_code.like("3301%")
        hz_ids = select(DataResource.id).where(hz)
        return {
            "all": int(s.scalar(select(func.count(DataResource.id))) or 0),
            "resources": int(s.scalar(select(func.count(DataResource.id)).where(hz)) or 0),
            "items": int(s.scalar(select(func.count(DataItem.id))
                                  .where(DataItem.resource_id.in_(hz_ids))) or 0),
            "with_items": int(s.scalar(select(func.count(func.distinct(DataItem.resource_id)))
                                       .where(DataItem.resource_id.in_(hz_ids))) or 0),
            "first_hz": int(s.scalar(select(func.min(DataResource.id)).where(hz)) or 0),
            "other": int(s.scalar(select(func.min(DataResource.id)).where(~hz)) or 0),
        }


def test_scope_reaches_every_orm_statement_of_a_call(sqlite_demo_db: Database) -> None:
    """On SQLite, where nothing else narrows (the identities are made up: no login)."""
    db = sqlite_demo_db
    truth = _truth(db)
    got = _versions_read(db, HANGZHOU)
    assert got["resources"] == truth["resources"] < truth["all"]
    assert got["items"] == got["joined"] == truth["items"]
    assert got["in_subquery"] == truth["with_items"]
    assert got["unscoped"] == truth["all"]
    assert got["first"] is False  # the lowest id is 宁波's: s.get() does not find it
    whole = _versions_read(db, PROVINCE)
    assert whole["resources"] == whole["unscoped"] == truth["all"] and whole["first"]
    # a write is narrowed to what the caller may change; Scope.NONE is not
    assert _touch_all(db, HANGZHOU) == truth["resources"]
    assert _count_all(db, HANGZHOU) == truth["all"]
    # outside a service call nothing narrows
    assert _truth(db)["resources"] == truth["resources"]


def test_a_named_resource_is_checked_before_the_body(sqlite_demo_db: Database) -> None:
    truth = _truth(sqlite_demo_db)
    assert _one(sqlite_demo_db, HANGZHOU, truth["first_hz"]) == truth["first_hz"]
    for missing in (truth["other"], 10**9):
        with pytest.raises(ResourceNotFound, match=f"Resource {missing} does not exist"):
            _one(sqlite_demo_db, HANGZHOU, missing)


def test_unscoped_must_say_why() -> None:
    with pytest.raises(ValueError):
        unscoped(select(DataResource.id), " ")
