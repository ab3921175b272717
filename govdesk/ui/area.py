"""Base class of the main window's areas (one per navigation entry)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from govdesk.changes import Changes
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.ops import OperationRunner


class AreaView(QWidget):
    """A navigation area. Subclasses load their data in :meth:`activate` (first show) and
    :meth:`refresh`, always through the window's :class:`OperationRunner`.

    Areas keep themselves current from the change bus (``ui/change_bus.py``): a change of a
    kind in :attr:`watches` makes a visible area :meth:`apply_changes` (by default a
    :meth:`refresh`) and a hidden one stale, refreshed when it is shown again. Changes made
    here apply before the operation's runner is idle; changes heard from other clients are
    gathered for a moment first, so a burst of them costs one refresh."""

    area_id = "area"

    #: the operation a user must be allowed to open this area (None: everyone)
    required_op: Op | None = None

    #: the kinds of change (``govdesk.changes``) that make what this area shows stale
    watches: frozenset[str] = frozenset()

    #: how long changes from other clients are gathered before one refresh (milliseconds)
    REMOTE_DELAY_MS = 250

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.who = who
        self.runner = runner
        self._activated = False
        self._stale = False
        self._remote = Changes()
        self._remote_timer = QTimer(self)
        self._remote_timer.setSingleShot(True)
        self._remote_timer.setInterval(self.REMOTE_DELAY_MS)
        self._remote_timer.timeout.connect(self._apply_remote)
        runner.bus.changed.connect(self._on_changes)

    def affected_by(self, changes: Changes) -> bool:
        """True when ``changes`` make what this area shows stale."""
        return changes.affects(*self.watches)

    def apply_changes(self, changes: Changes) -> None:
        """Bring the visible area up to date after ``changes`` (by default: reload it)."""
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if not self._activated or not self.affected_by(changes):
            return  # never shown yet: it loads when it is
        if not self.isVisible():
            self._stale = True
        elif changes.remote:
            self._remote = self._remote | changes
            self._remote_timer.start()
        else:
            self.apply_changes(changes)

    def _apply_remote(self) -> None:
        changes, self._remote = self._remote, Changes()
        if changes:
            if self.isVisible():
                self.apply_changes(changes)
            else:
                self._stale = True

    def area_title(self) -> str:
        raise NotImplementedError

    def activate(self) -> None:
        """Called each time the area is shown; loads data the first time."""
        if not self._activated:
            self._activated = True
            self.refresh()
        elif self._stale:
            self._stale = False
            self.refresh()

    def refresh(self) -> None:
        """Reload everything the area shows from the database."""
        raise NotImplementedError

    def sub_views(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(id, title, show) for each page inside the area (tabs), for the self-test."""
        return []
