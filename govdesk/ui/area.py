"""Base class of the main window's areas (one per navigation entry)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Op
from govdesk.ui.ops import OperationRunner


class AreaView(QWidget):
    """A navigation area. Subclasses load their data in :meth:`activate` (first show) and
    :meth:`refresh`, always through the window's :class:`OperationRunner`."""

    area_id = "area"

    #: the operation a user must be allowed to open this area (None: everyone)
    required_op: Op | None = None

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.who = who
        self.runner = runner
        self._activated = False

    def area_title(self) -> str:
        raise NotImplementedError

    def activate(self) -> None:
        """Called each time the area is shown; loads data the first time."""
        if not self._activated:
            self._activated = True
            self.refresh()

    def refresh(self) -> None:
        """Reload everything the area shows from the database."""
        raise NotImplementedError

    def sub_views(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(id, title, show) for each page inside the area (tabs), for the self-test."""
        return []
