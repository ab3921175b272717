"""The interface every backup method implements, and the registry of methods.

A method (:class:`Method`) knows one way to copy one kind of source: ``pg_dump`` and
``pg_dump_dir`` (PostgreSQL logical, :mod:`.pg`), ``sqlite`` (the online backup API,
:mod:`.sqlite`), ``pgbackrest`` (physical with WAL archiving, :mod:`.pgbackrest.method`).
The runner hands it a :class:`RunContext` (the source, a private work directory that becomes
the backup directory only once complete, the key, a Progress) and gets a :class:`MethodOutput`
(the containers written, the table facts of the snapshot it copied, versions, the audit head);
the manifest, the catalogue row, the job history and the atomic rename are the runner's.

The honest capability: :meth:`Method.achievable_rpo_hours` says what recovery point the method
can promise with a schedule whose longest gap between runs is ``interval_hours`` (a dump: that
gap; continuous WAL archiving: the archive timeout, whatever the schedule of full backups).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

from govdesk.backup.container import Written
from govdesk.progress import Progress

KeyFor = Callable[[str], bytes]


@dataclass(frozen=True)
class TableFact:
    """A table's row count and an order-independent checksum of its rows (same server)."""

    rows: int
    checksum: str


@dataclass(frozen=True)
class RunContext:
    """What a method needs for one backup."""

    source_url: str
    workdir: Path
    key: bytes | None
    progress: Progress
    jobs: int = 2  #: parallel dump jobs (directory format)


@dataclass(frozen=True)
class MethodOutput:
    """What a method wrote and saw."""

    files: list[Written]
    tables: dict[str, TableFact]
    server_version: str
    tool_version: str
    schema_revision: str | None
    audit_head: dict[str, object] | None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RestoreContext:
    """What a method needs to restore the backup in ``backup_dir`` into ``target_url`` (an
    empty database, or a file path for SQLite)."""

    backup_dir: Path
    files: list[str]
    target_url: str
    key_for: KeyFor
    progress: Progress
    with_globals: bool = False  #: also create the roles (a new server)
    clean: bool = False  #: drop what the target holds first (a restore over the live database)
    jobs: int = 2
    #: a point in time (aware) for a method with WAL (pgbackrest); None: the end of what it has
    to_time: datetime | None = None


class Method(Protocol):
    """One way to back up one kind of source (see the module's doc)."""

    name: ClassVar[str]
    source: ClassVar[str]  #: "postgresql" or "sqlite"
    continuous: ClassVar[bool]  #: archives changes between runs (WAL)

    def unavailable(self) -> str | None:
        """None when the method can run on this machine, else a message code saying why not."""

    def achievable_rpo_hours(self, interval_hours: float) -> float:
        """The best recovery point this method promises with runs at most ``interval_hours``
        apart."""

    def run(self, ctx: RunContext) -> MethodOutput:
        """Copy the source into containers in ``ctx.workdir``."""

    def restore(self, ctx: RestoreContext) -> None:
        """Restore into ``ctx.target_url`` (which must be empty)."""

    def facts(self, url: str) -> tuple[dict[str, TableFact], dict[str, object] | None]:
        """The table facts and audit head of the database at ``url`` (to compare a restore)."""


#: an optional method hook: ``verify_storage(backup_dir, manifest_body)`` checks what the
#: method keeps outside the backup directory (pgBackRest's repositories), raising a
#: GovDeskError naming the problem; :func:`govdesk.backup.verify.verify_backup` calls it
VerifyStorage = Callable[[Path, dict[str, Any]], None]


METHODS: dict[str, Method] = {}
#: modules that register methods when imported (pgbackrest may be absent in a branch)
MODULES = ("govdesk.backup.pg", "govdesk.backup.pg_dir", "govdesk.backup.sqlite",
           "govdesk.backup.pgbackrest")


def register(method: Method) -> Method:
    """Add ``method`` to :data:`METHODS` (each method module calls it at import)."""
    METHODS[method.name] = method
    return method


def methods() -> dict[str, Method]:
    """Every registered method, loading the method modules on first use."""
    for module in MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return METHODS
