"""Catches database work on the GUI thread: every statement SQLAlchemy sends
(``before_cursor_execute`` on every engine) and every new DB-API connection (``psycopg2.connect``,
``sqlite3.connect``, which SQLAlchemy and raw callers use alike) made on the Qt main thread while
GovDesk's UI code (a frame under ``govdesk/ui/``) is on the call stack.

Test code calling a service directly from the test body is not the UI and is not counted; a UI
slot, event handler or dialog method doing it is, whoever triggered it. Work on the
``OperationRunner``'s pool threads is what the UI must do instead.
"""

from __future__ import annotations

import sqlite3
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg2
from sqlalchemy import Engine, event

_UI = "/govdesk/ui/"


@dataclass
class Violation:
    what: str
    where: str  #: the innermost UI frame
    stack: str

    def __str__(self) -> str:
        return f"{self.what} from {self.where}\n{self.stack}"


@dataclass
class GuiThreadGuard:
    """Records violations while installed (:meth:`install` / :meth:`remove`)."""

    violations: list[Violation] = field(default_factory=list)
    #: statements and connections seen on other threads (the runner's workers): the test did
    #: database work at all
    off_gui: int = 0
    _patched: list[tuple[Any, str, Any]] = field(default_factory=list)

    def _check(self, what: str) -> None:
        if threading.current_thread() is not threading.main_thread():
            self.off_gui += 1
            return
        frames = traceback.extract_stack()[:-2]
        ui = [f for f in frames if _UI in f.filename.replace("\\", "/")]
        if ui:
            where = f"{ui[-1].filename.split(_UI[1:])[-1]}:{ui[-1].lineno} ({ui[-1].name})"
            self.violations.append(Violation(what, where, "".join(traceback.format_list(
                frames[-25:]))))

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self._check("SQL " + " ".join(statement.split())[:120])

    def _wrap(self, owner: Any, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def connect(*args: Any, **kwargs: Any) -> Any:
            self._check(f"{owner.__name__}.{name}()")
            return original(*args, **kwargs)

        self._patched.append((owner, name, original))
        setattr(owner, name, connect)

    def install(self) -> GuiThreadGuard:
        event.listen(Engine, "before_cursor_execute", self._on_execute)
        self._wrap(psycopg2, "connect")
        self._wrap(sqlite3, "connect")
        self._wrap(sqlite3.dbapi2, "connect")
        return self

    def remove(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._on_execute)
        for owner, name, original in reversed(self._patched):
            setattr(owner, name, original)
        self._patched.clear()

    def report(self) -> str:
        seen: dict[str, Violation] = {}
        for v in self.violations:
            seen.setdefault(v.where, v)
        return "\n\n".join(str(v) for v in seen.values())
