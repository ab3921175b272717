"""Python's cyclic garbage collector runs only on the GUI thread.

Automatic collection starts in whatever thread happens to allocate, and the workers of
:class:`~govdesk.ui.ops.OperationRunner` allocate plenty. When such a collection frees a cycle
holding Qt wrappers (pyqtgraph's plot items keep cycles), Qt objects get destroyed on a worker
thread, and the process crashes; a test run caught exactly that (a segfault inside SQLAlchemy on
a worker while a chart tab had been closed). The same remedy as ``pyqtgraph.GarbageCollector``,
without importing pyqtgraph at start-up: automatic collection off, a GUI-thread timer collects
with the same generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_guard: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    """Collects garbage from a timer on the thread it was created on (the GUI thread)."""

    def __init__(self, interval_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose allocation counts passed their thresholds."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


def install(app: QCoreApplication) -> None:
    """Switch to GUI-thread collection for the application (once)."""
    global _guard
    if _guard is None:
        _guard = GuiThreadCollector(parent=app)
