"""The service kernel: every public service is declared once with what it needs.

::

    @service(Op.CATALOG_READ, resource="resource_id")
    def history(db: Database, who: Identity, resource_id: int) -> list[VersionInfo]: ...

A declaration, in this order, on every call:

1. **checks the permission** (``who.require``) before anything else: a refused caller gets
   :class:`~govdesk.errors.PermissionDenied` and the service touches no data (the refusal is
   then recorded in the audit trail, see 5). ``*ops`` are
   alternatives (any one suffices); ``when={"unmask": Op.X}`` also needs ``Op.X`` when that
   argument is truthy; ``owner=True`` also lets the database owner in (bootstrap, verify);
   ``anyone=True`` (with ``why``) declares a service every identity may call.
2. **checks the resource it names** (``resource=`` the parameter holding a resource id or
   code): it must exist and lie in the caller's scope, visible for a read, editable for a
   write (``writes=True``), else :class:`ResourceNotFound`, the same error for "missing" and
   "not yours", so nobody learns what exists elsewhere.
3. **applies regional scope by default** to every ORM statement the call runs, in whatever
   session it opens: ``data_resources`` and the tables keyed by a resource (data items, samples,
   versions, profiles, grade suggestions) are narrowed to the caller's area with
   ``with_loader_criteria`` (WHERE, join conditions, sub-queries, lazy loads); in a statement
   whose rows are resources only ``data_resources`` is, as the rows of the keyed tables reach
   it only through them (count with ``func.count(DataResource.id)``, not ``select_from``,
   for the same effect in an aggregate); such a statement's data items (joins, lazy loads) are
   still kept, of a shared resource, to the granted ones. A read gets :attr:`Scope.READ`
   (region and below plus what grants in force share, named or by scope, and of a shared
   resource only the granted items: PostgreSQL's ``resources_read`` and ``data_items_read``
   policies, migration 0025), a write :attr:`Scope.EDIT` (region and below: the write
   policies). Leaving it out is :attr:`Scope.NONE` and must say why (``why=``); one
   statement may leave it out with :func:`unscoped`, also saying why. For a PostgreSQL login
   under row-level security the read rule is the server's own policy, so the kernel adds only
   the edit rule there (given twice, the rule cost the planner its estimates).
4. **registers the service** in :data:`REGISTRY`, from which the tests call every service as
   every role (``tests/test_security_matrix.py``), every resource-keyed read as a regional
   user with another city's resource on both databases (``tests/test_service_scope.py``), and
   fail on a public ``(db, who, ...)`` function in ``catalog/`` or ``security/`` that is not
   declared (``tests/test_service_kernel.py``).
5. **records failed actions** in the audit trail with ``success=False``: a refused permission
   (``permission_denied``) and any failure of a ``writes=True`` service (``action_failed``: a
   rejected save, a conflicting accept, an unexpected error), by codes only, in a transaction
   of its own after the call's transaction was rolled back (the outermost call only).
6. **records access** with ``access=`` (:class:`govdesk.security.access_log.Access`): an
   access event after the outermost call returned (the result withheld if it cannot be
   written) or was refused (permission, resource not found).

Scope reaches only statements the ORM runs (``Session.execute``/``scalars``/``get``,
relationship loads, ORM UPDATE/DELETE); ``text()`` SQL and ``session.connection()`` bypass it
and must scope themselves (the search paths do, or read only the search index, which is not a
catalogue table). ``resource_search`` and ``sharing_grants`` are not narrowed (the sharing
services apply the grants' own visibility rule: ``govdesk.sharing.queries.visible``).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import enum
import functools
import inspect
import logging
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, event, exists, or_, select, text, true
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from govdesk.db.engine import Database
from govdesk.db.models import (
    DataItem,
    DataResource,
    GradeSuggestion,
    ResourceProfile,
    ResourceSample,
    ResourceVersion,
)
from govdesk.db.models.sharing import grant_day, shared_item_ids, shared_resource_ids
from govdesk.errors import InputRejected
from govdesk.security.access_spec import Access
from govdesk.security.failures import record_failure
from govdesk.security.identity import Identity
from govdesk.security.identity import narrows as narrows
from govdesk.security.identity import region_prefix as region_prefix
from govdesk.security.identity import scope_prefix as scope_prefix
from govdesk.security.roles import ALLOWED, Op, Role

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

#: parameter names that hold a resource's id or code: a service taking one must say so with
#: ``resource=`` (so it is checked, and the scope test covers it)
RESOURCE_PARAMETERS = ("resource_id", "resource_code")

#: tables keyed by a resource, narrowed through their resource (data items, first, also by the
#: items a grant gives: :func:`_item_rule`)
RESOURCE_CHILDREN = (DataItem, ResourceSample, ResourceVersion, ResourceProfile, GradeSuggestion)


class Scope(enum.Enum):
    """Which resources a service's statements see."""

    READ = "read"  #: the caller's region and below, plus what grants in force share
    EDIT = "edit"  #: the caller's region and below (a share is read-only)
    NONE = "none"  #: everything; the declaration must say why


class ResourceNotFound(InputRejected):
    """The resource does not exist, or lies outside the caller's scope: deliberately one error
    for both (the message is the one ``get_resource`` always gave)."""

    def __init__(self, resource: int | str, editing: bool = False) -> None:
        self.resource = resource
        self.editing = editing
        super().__init__("resource_not_found_editing" if editing else "resource_not_found",
                         resource=resource)


# -- the scope rule, once ------------------------------------------------------------------
def _rule(resources: Any, who: Identity, scope: Scope, today: dt.date | None = None) -> Any:
    """The SQL condition on ``resources`` (``DataResource`` or an alias of its table) for
    ``scope`` on ``today`` (a share's validity); ``true()`` when it holds for every row."""
    prefix = scope_prefix(who)
    if scope is Scope.NONE or not prefix:
        return true()
    mine = resources.region_code.like(prefix + "%")
    if scope is Scope.EDIT:
        return mine
    shared = shared_resource_ids(who.organisation_id, today or grant_day())
    return or_(mine, resources.id.in_(shared))


def _item_rule(items: Any, owner: Any, who: Identity, scope: Scope, today: dt.date) -> Any:
    """The SQL condition on ``data_items`` for ``scope``: items of resources in the caller's
    region, plus for a read the items a grant in force gives the caller's organisation (the
    granted items only, not the rest of a shared resource: PostgreSQL's ``data_items_read``)."""
    mine = exists().where(owner.c.id == items.resource_id,
                          _rule(owner.c, who, Scope.EDIT, today)).correlate_except(owner)
    if scope is Scope.EDIT:
        return mine
    return or_(mine, items.id.in_(shared_item_ids(who.organisation_id, today)))


def _granted_only(items: Any, who: Identity, today: dt.date) -> Any:
    """The SQL condition that keeps, of a resource shared with ``who`` (outside their region),
    only the items a grant gives: added to statements whose rows are resources (already
    narrowed), so their item loads and joins see granted items only. Uncorrelated sub-queries,
    evaluated once per statement."""
    shared = DataResource.__table__.alias("shared_resource")
    outside = select(shared.c.id).where(
        shared.c.id.in_(shared_resource_ids(who.organisation_id, today)),
        ~shared.c.region_code.like(scope_prefix(who) + "%"))
    return or_(items.resource_id.not_in(outside),
               items.id.in_(shared_item_ids(who.organisation_id, today)))


@functools.lru_cache(maxsize=256)
def _cached_rule(who: Identity, scope: Scope, today: dt.date) -> Any:
    """:func:`_rule` on ``data_resources``, built once per caller, scope and day."""
    return _rule(DataResource, who, scope, today)


def read_scope(who: Identity) -> Any:
    """SQL condition on ``data_resources``: the resources ``who`` may see (their region and
    below, plus what grants in force share with their organisation, named or by scope). The
    rule of PostgreSQL's ``resources_read`` policy (migrations 0003 and 0025)."""
    return _rule(DataResource, who, Scope.READ)


def edit_scope(who: Identity) -> Any:
    """SQL condition on ``data_resources``: the resources ``who`` may change or write history
    for (their region and below; a share is read-only). The rule of PostgreSQL's write
    policies (migrations 0003 and 0014)."""
    return _rule(DataResource, who, Scope.EDIT)


def _criteria(who: Identity, scope: Scope, children: bool = True) -> tuple[Any, ...]:
    """The loader criteria that narrow a statement to ``scope`` (none when nothing narrows):
    on ``data_resources``, and with ``children`` on the tables keyed by a resource."""
    if scope is Scope.NONE or not narrows(who):
        return ()
    built = _built_criteria(who, scope, grant_day())
    if children:
        return built[:-1]
    return built[:1] + built[-1:] if scope is Scope.READ and who.organisation_id else built[:1]


@functools.lru_cache(maxsize=256)
def _built_criteria(who: Identity, scope: Scope, today: dt.date) -> tuple[Any, ...]:
    """:func:`_criteria`, built once per caller, scope and day (building them costs about 2 ms,
    more than most statements they are added to; the options are immutable): the resource
    rule, the item rule, the other children's rules, and last :func:`_granted_only`."""
    owner = DataResource.__table__.alias("scope_resource")
    options = [with_loader_criteria(DataResource, _rule(DataResource, who, scope, today),
                                    include_aliases=True)]
    options.append(with_loader_criteria(DataItem, _item_rule(DataItem, owner, who, scope, today),
                                        include_aliases=True))
    for child in RESOURCE_CHILDREN[1:]:
        options.append(with_loader_criteria(child, exists().where(
            owner.c.id == child.resource_id, _rule(owner.c, who, scope, today))
            .correlate_except(owner), include_aliases=True))
    options.append(with_loader_criteria(DataItem, _granted_only(DataItem, who, today),
                                        include_aliases=True))
    return tuple(options)


@dataclass(frozen=True)
class _Call:
    who: Identity
    scope: Scope


_CURRENT: contextvars.ContextVar[_Call | None] = contextvars.ContextVar(
    "govdesk_service_call", default=None)

#: the execution option :func:`unscoped` sets
UNSCOPED = "govdesk_unscoped"


def unscoped(statement: Any, why: str) -> Any:
    """``statement`` run without the service's regional scope; ``why`` says why (kept with the
    statement, so it reads at the call)."""
    if not why.strip():
        raise ValueError("say why the statement sees every region")
    return statement.execution_options(**{UNSCOPED: why})


_UNDER_RLS: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def under_rls(session: Session) -> bool:
    """True when the session's database is PostgreSQL and its login is subject to row-level
    security on the catalogue (every GovDesk login; not the owner who migrated, nor a
    superuser). Asked once per engine: a login's standing does not change while connected."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return False
    known = _UNDER_RLS.get(connection.engine)
    if known is None:
        known = bool(connection.execute(text("SELECT row_security_active('data_resources')"))
                     .scalar_one())
        _UNDER_RLS[connection.engine] = known
    return known


@event.listens_for(Session, "do_orm_execute")
def _narrow(state: ORMExecuteState) -> None:
    """Add the current service's scope to each ORM SELECT, UPDATE and DELETE. Under row-level
    security the read rule is the database's own policy: the kernel adds only the edit rule
    there (the read policy also shows shares), so the planner is not given the rule twice."""
    call = _CURRENT.get()
    if call is None or not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria travel with the statement that loaded the object
    if state.execution_options.get(UNSCOPED):
        return
    if call.scope is Scope.NONE or not narrows(call.who):
        return
    if call.scope is Scope.READ and under_rls(state.session):
        return
    # a statement whose rows are resources is narrowed on them (its rows, joins and
    # sub-queries); the rows of tables keyed by a resource reach it only through them, so the
    # EXISTS per child row (every item counted for a list page) is left out
    resources = any(m.class_ is DataResource for m in state.all_mappers)
    state.statement = state.statement.options(
        *_criteria(call.who, call.scope, children=not resources))


# -- declarations and the registry -----------------------------------------------------------
@dataclass(frozen=True)
class ServiceSpec:
    """One declared service."""

    name: str  #: module.function
    function: Callable[..., Any]
    ops: tuple[Op, ...]  #: any one suffices; empty with ``anyone``
    anyone: bool = False
    owner: bool = False
    when: Mapping[str, Op] = field(default_factory=dict)
    writes: bool = False
    scope: Scope = Scope.READ
    why: str | None = None
    resource: str | None = None
    signature: inspect.Signature = field(default=inspect.Signature(), compare=False)
    access: Access | None = None

    @property
    def key_rule(self) -> Scope:
        """The rule the named resource must pass: editable for a write, visible for a read."""
        return Scope.EDIT if self.writes else Scope.READ

    def roles(self, arguments: Mapping[str, Any] | None = None) -> frozenset[Role]:
        """The roles that pass the permission check with ``arguments`` (for ``when``)."""
        roles = frozenset(Role) if self.anyone else frozenset().union(
            *(ALLOWED[op] for op in self.ops))
        for name, op in self.when.items():
            if arguments and arguments.get(name):
                roles &= ALLOWED[op]
        return roles

    def check(self, who: Identity, arguments: Mapping[str, Any]) -> None:
        """Raise PermissionDenied unless ``who`` may make this call (no database work)."""
        if not (self.anyone or (self.owner and who.is_owner)
                or any(who.can(op) for op in self.ops)):
            who.require(*self.ops)
        for name, op in self.when.items():
            if arguments.get(name):
                who.require(op)


#: every declared service by name (module.function), filled as the modules are imported
REGISTRY: dict[str, ServiceSpec] = {}


def spec_of(function: Callable[..., Any]) -> ServiceSpec | None:
    """The declaration of a service function, or None when it is not one."""
    spec = getattr(function, "__govdesk_service__", None)
    return spec if isinstance(spec, ServiceSpec) else None


def _resource_visible(db: Database, who: Identity, rule: Scope, value: int | str) -> None:
    """Raise ResourceNotFound unless the resource ``value`` (id or code) exists in ``rule``."""
    key = DataResource.id == value if isinstance(value, int) else \
        DataResource.code == str(value).strip()
    with db.session() as s:
        found = s.scalar(unscoped(select(DataResource.id).where(key, _cached_rule(
            who, rule, grant_day())), "the rule is in the statement"))
    if found is None:
        raise ResourceNotFound(value, editing=rule is Scope.EDIT)


def service(*ops: Op, anyone: bool = False, owner: bool = False,
            when: Mapping[str, Op] | None = None, writes: bool = False,
            scope: Scope | None = None, why: str | None = None,
            resource: str | None = None,
            access: Access | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a service (see the module's docstring). ``scope`` defaults to
    :attr:`Scope.READ`, or :attr:`Scope.EDIT` with ``writes``; :attr:`Scope.NONE` and
    ``anyone`` need ``why``."""
    chosen = scope or (Scope.EDIT if writes else Scope.READ)

    def declare(function: Callable[P, R]) -> Callable[P, R]:
        name = f"{function.__module__}.{function.__qualname__}"
        signature = inspect.signature(function)
        params = list(signature.parameters)
        problems = []
        if params[:2] != ["db", "who"]:
            problems.append("a service takes (db, who, ...)")
        if bool(ops) == anyone:
            problems.append("name the operation it needs, or anyone=True (not both)")
        if (anyone or chosen is Scope.NONE) and not (why or "").strip():
            problems.append("anyone=True and scope=Scope.NONE must say why")
        if resource is not None and resource not in params:
            problems.append(f"resource={resource!r} is not a parameter")
        if resource is None and (named := [p for p in params if p in RESOURCE_PARAMETERS]):
            problems.append(f"it takes {named[0]}: declare resource={named[0]!r}")
        problems += [f"when={k!r} is not a parameter" for k in (when or {}) if k not in params]
        if problems:
            raise TypeError(f"service {name}: " + "; ".join(problems))
        spec = ServiceSpec(name, function, tuple(ops), anyone, owner, dict(when or {}), writes,
                           chosen, why, resource, signature, access)

        @functools.wraps(function)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            arguments = signature.bind(*args, **kwargs).arguments
            who: Identity = arguments["who"]
            outermost = _CURRENT.get() is None
            try:
                spec.check(who, arguments)
                key = arguments.get(resource) if resource else None
                if key is not None:
                    _resource_visible(arguments["db"], who, spec.key_rule, key)
                token = _CURRENT.set(_Call(who, chosen))
                try:
                    result = function(*args, **kwargs)
                finally:
                    _CURRENT.reset(token)
            except Exception as exc:
                if outermost:
                    record_failure(spec, arguments, exc)
                raise
            if outermost and access is not None:
                access.succeeded(spec, arguments, result)
            return result

        call.__govdesk_service__ = spec  # type: ignore[attr-defined]
        REGISTRY[name] = spec
        return call

    return declare
