"""The one path for database work from the GUI: run it on the thread pool, report back.

``OperationRunner.run(fn, on_done)`` runs ``fn`` on a worker thread. ``fn`` must not touch Qt
at all, not even read a Python attribute of a QObject (that races with the GUI thread inside
Shiboken and can crash): capture plain values in locals first, then build the lambda.
``on_done(result)`` then runs on the GUI thread. While anything runs the cursor is busy; an
operation with a ``label`` shows a progress dialog after 0.6 s, with a cancel button that sets
the :class:`OpContext` (a :class:`~govdesk.progress.Progress`) cancel flag, so the worker's next
progress report raises ``Cancelled`` (no error message for that). Errors become a message the user
understands (a GovDeskError's message in the interface language) instead of a traceback.

What an operation committed (the :class:`~govdesk.changes.Changes` its services noted, recorded
on the worker thread) is published on the application's change bus (``ui/change_bus.py``) when
it finishes, whether it succeeded or failed later; views refresh from there, never by hand.
``wait_for(fn)`` runs ``fn`` the same way and waits for it in a local event loop (start-up
only: before the main window exists).

No GovDesk code talks to a database on the GUI thread, login, unlock and the idle lock
included: the GUI tests fail if it does (tests/gui_thread_guard.py).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from govdesk.changes import Changes, recording
from govdesk.errors import GovDeskError
from govdesk.progress import Cancelled, Progress
from govdesk.ui.change_bus import bus
from govdesk.ui.i18n import error_text

log = logging.getLogger(__name__)
T = TypeVar("T")


class OpContext(Progress):
    """The :class:`~govdesk.progress.Progress` handed to operations run ``with_context``: its
    reports (from the worker thread) move the runner's progress dialog; the dialog's Cancel
    button cancels it, so the service's next report raises ``Cancelled``."""

    def __init__(self, show: Callable[[float, str], None] = lambda _f, _m: None) -> None:
        super().__init__()
        self._show = show

    def show(self, fraction: float, message: str) -> None:
        self._show(fraction, message)


@dataclass
class _Pending:
    on_done: Callable[[Any], object]
    on_error: Callable[[BaseException], None] | None
    ctx: OpContext
    label: str | None
    dialog: QProgressDialog | None = None
    timer: QTimer | None = None
    #: the latest report, shown when the dialog appears
    fraction: float = 0.0
    message: str = ""


class _Job(QRunnable):
    def __init__(self, runner: OperationRunner, op_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.runner, self.op_id, self.fn = runner, op_id, fn

    def run(self) -> None:
        with recording() as committed:
            try:
                result = self.fn()
            except BaseException as exc:  # reported to the GUI thread, never swallowed
                self.runner._finished.emit(self.op_id, None, exc, committed.changes)
            else:
                self.runner._finished.emit(self.op_id, result, None, committed.changes)


class OperationRunner(QObject):
    """Runs operations for one window. Create it on the GUI thread."""

    #: emitted whenever the last running operation finished
    idle = Signal()
    _finished = Signal(int, object, object, object)
    _progress = Signal(int, float, str)

    def __init__(self, parent_widget: QWidget | None = None, *, show_errors: bool = True) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.show_errors = show_errors
        self.errors: list[str] = []
        self.pool = QThreadPool.globalInstance()
        #: where what operations commit is published (the application's one bus)
        self.bus = bus()
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._closed = False
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[..., Any], on_done: Callable[[Any], object], *,
            on_error: Callable[[BaseException], None] | None = None,
            label: str | None = None, with_context: bool = False) -> OpContext:
        """Start ``fn`` (called with an OpContext when ``with_context``) on a worker thread.
        After :meth:`close` nothing starts (and neither callback is called)."""
        op_id = next(self._ids)
        ctx = OpContext(lambda f, m: self._progress.emit(op_id, f, m))
        if self._closed:
            ctx.cancel()
            return ctx
        pending = _Pending(on_done, on_error, ctx, label)
        if not self._pending:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._pending[op_id] = pending
        if label:
            pending.timer = QTimer(self)
            pending.timer.setSingleShot(True)
            pending.timer.timeout.connect(lambda: self._show_dialog(op_id))
            pending.timer.start(600)
        self.pool.start(_Job(self, op_id, (lambda: fn(ctx)) if with_context else fn))
        return ctx

    def close(self, timeout_ms: int = 5000) -> None:
        """The window closes: start nothing more (a timer firing late, a page painted while
        closing) and wait for what runs, whose results then go nowhere."""
        self._closed = True
        for p in self._pending.values():
            p.ctx.cancel()
        self.pool.waitForDone(timeout_ms)
        pending, self._pending = self._pending, {}
        for p in pending.values():
            if p.timer is not None:
                p.timer.stop()
            if p.dialog is not None:
                p.dialog.reset()
                p.dialog.deleteLater()
        if pending:
            QApplication.restoreOverrideCursor()

    def wait_for(self, fn: Callable[[], T], *, label: str | None = None) -> T:
        """Run ``fn`` on a worker thread and wait for it while the GUI thread keeps processing
        events (cursor busy; with ``label`` the progress dialog after 0.6 s); return its result
        or raise its exception. For the steps before the main window exists (opening the
        database, asking who is logged in), which the application cannot go on without."""
        if self._closed:
            raise RuntimeError("the operation runner was closed")
        loop = QEventLoop()
        outcome: dict[str, Any] = {}

        def done(result: Any) -> None:
            outcome["result"] = result
            loop.quit()

        def failed(error: BaseException) -> None:
            outcome["error"] = error
            loop.quit()

        self.run(fn, done, on_error=failed, label=label)
        if not outcome:  # the result comes back through the event loop, never before
            loop.exec()
        if "error" in outcome:
            raise outcome["error"]
        return cast(T, outcome["result"])

    def _show_dialog(self, op_id: int) -> None:
        p = self._pending.get(op_id)
        if p is None or p.dialog is not None:
            return
        dlg = QProgressDialog(p.label or "", self.tr("Cancel"), 0, 1000, self.parent_widget)
        dlg.setWindowTitle(self.tr("Working…"))
        dlg.setAccessibleName(p.label or self.tr("Progress"))
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.canceled.connect(p.ctx.cancel)
        dlg.show()
        p.dialog = dlg
        self._show_progress(p)

    @Slot(int, float, str)
    def _on_progress(self, op_id: int, fraction: float, message: str) -> None:
        p = self._pending.get(op_id)
        if p is None:
            return
        p.fraction = fraction
        p.message = message or p.message
        self._show_progress(p)

    @staticmethod
    def _show_progress(p: _Pending) -> None:
        if p.dialog is not None:
            p.dialog.setValue(int(max(0.0, min(1.0, p.fraction)) * 1000))
            if p.message:
                p.dialog.setLabelText(f"{p.label}\n{p.message}" if p.label else p.message)

    @Slot(int, object, object, object)
    def _on_finished(self, op_id: int, result: Any, error: BaseException | None,
                     changes: Changes) -> None:
        p = self._pending.pop(op_id, None)
        if p is None:  # (after close: its results go nowhere)
            return
        if p.timer is not None:
            p.timer.stop()
        if p.dialog is not None:
            p.dialog.reset()
            p.dialog.deleteLater()
        if not self._pending:
            QApplication.restoreOverrideCursor()
        try:
            if error is None:
                p.on_done(result)
            elif p.on_error is not None:
                p.on_error(error)
            else:
                self.report_error(error)
        finally:
            # what was committed, even by an operation that failed later (one of several
            # decisions): the views refresh before the runner says it is idle
            self.bus.publish(changes)
            if not self._pending:
                self.idle.emit()

    def report_error(self, error: BaseException) -> None:
        """Show ``error`` to the user as a message (and keep it in :attr:`errors`). A
        cancellation is what the user asked for: no message."""
        if isinstance(error, Cancelled):
            return
        if isinstance(error, GovDeskError):
            text = error_text(error)
        else:
            log.error("operation failed", exc_info=error)
            text = self.tr("Something went wrong: %s") % error_text(error)
        self.errors.append(text)
        parent = self.parent_widget
        if self.show_errors and not self._closed and (parent is None or shiboken6.isValid(parent)):
            QMessageBox.warning(parent, self.tr("GovDesk"), text)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Process events until nothing runs (for the self-test and tests); False on timeout.
        Idle means idle after the events the last results posted were processed too (a page
        that arrives is painted, and painting may ask for the next page)."""
        from PySide6.QtCore import QDeadlineTimer

        deadline = QDeadlineTimer(timeout_ms)
        app = QApplication.instance()
        assert app is not None
        while True:
            if self._pending:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                self.pool.waitForDone(10)
            else:
                app.processEvents()
                if not self._pending:
                    return True
            if deadline.hasExpired():
                return not self._pending


def set_busy(dialog: QWidget, busy: bool, status: QLabel, text: str = "") -> None:
    """Disable (or enable again) ``dialog``'s inputs and buttons while its work runs on the
    runner, with ``text`` in ``status`` saying what runs. A widget whose ``keepDisabled``
    property is true stays disabled."""
    for w in dialog.findChildren(QWidget):
        if isinstance(w, (QLineEdit, QCheckBox, QComboBox, QAbstractButton)):
            w.setEnabled(not busy and w.property("keepDisabled") is not True)
    status.setText(text)
