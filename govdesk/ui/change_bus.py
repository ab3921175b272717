"""The application's one change bus: every change the GUI should react to goes through it.

Two sources publish :class:`~govdesk.changes.Changes` here: the operation runner, with what an
operation committed (``ui/ops.py``), and on PostgreSQL the change listener, with what other
clients (or psql) committed (``db/notify.py``, ``remote=True``). Areas subscribe through
:class:`~govdesk.ui.area.AreaView` and refresh what is affected; nothing else announces
changes by hand.

:meth:`ChangeBus.publish` may be called from any thread: the changes cross to the GUI thread
through a queued signal, and :attr:`ChangeBus.changed` is always emitted on the GUI thread
(at once when published there).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from govdesk.changes import Changes


class ChangeBus(QObject):
    """Carries committed changes to every view (one per application: :func:`bus`)."""

    #: what changed (a :class:`~govdesk.changes.Changes`), on the GUI thread
    changed = Signal(object)
    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def publish(self, changes: Changes) -> None:
        """Announce ``changes`` (from any thread; on the GUI thread the views hear it before
        this returns); empty changes are dropped."""
        if not changes:
            return
        if QThread.currentThread() == self.thread():
            self.changed.emit(changes)
        else:
            self._arrived.emit(changes)

    @Slot(object)
    def _deliver(self, changes: Changes) -> None:
        self.changed.emit(changes)


_bus: ChangeBus | None = None


def bus() -> ChangeBus:
    """The application's change bus, made on first use (on the GUI thread, with the
    application as parent when there is one)."""
    global _bus
    if _bus is None:
        _bus = ChangeBus(QCoreApplication.instance())
    return _bus
