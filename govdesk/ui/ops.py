"""The one path for database work from the GUI: run it on the thread pool, report back.

``OperationRunner.run(fn, on_done)`` runs ``fn`` on a worker thread. ``fn`` must not touch Qt
at all, not even read a Python attribute of a QObject (that races with the GUI thread inside
Shiboken and can crash): capture plain values in locals first, then build the lambda.
``on_done(result)`` then runs on the GUI thread. While anything runs the cursor is busy; an
operation with a ``label`` shows a progress dialog after 0.6 s, with a cancel button that sets
the :class:`OpContext` cancel flag the worker checks. Errors become a message the user
understands (GovDeskError text) instead of a traceback. ``wait_for(fn)`` runs ``fn`` the same
way and waits for it in a local event loop (start-up only: before the main window exists).

No GovDesk code talks to a database on the GUI thread, login, unlock and the idle lock
included: the GUI tests fail if it does (tests/gui_thread_guard.py).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
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

from govdesk.errors import GovDeskError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class OpContext:
    """Handed to operations that report progress or can be cancelled."""

    cancel: threading.Event = field(default_factory=threading.Event)
    _progress: Callable[[float, str], None] = lambda _f, _m: None

    def report(self, fraction: float, message: str = "") -> None:
        """Report progress (0..1) from the worker thread."""
        self._progress(fraction, message)

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()


@dataclass
class _Pending:
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None] | None
    ctx: OpContext
    label: str | None
    dialog: QProgressDialog | None = None
    timer: QTimer | None = None


class _Job(QRunnable):
    def __init__(self, runner: OperationRunner, op_id: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.runner, self.op_id, self.fn = runner, op_id, fn

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # reported to the GUI thread, never swallowed
            self.runner._finished.emit(self.op_id, None, exc)
        else:
            self.runner._finished.emit(self.op_id, result, None)


class OperationRunner(QObject):
    """Runs operations for one window. Create it on the GUI thread."""

    #: emitted after an operation that changed data; the argument names what changed
    changed = Signal(str)
    #: emitted whenever the last running operation finished
    idle = Signal()
    _finished = Signal(int, object, object)
    _progress = Signal(int, float, str)

    def __init__(self, parent_widget: QWidget | None = None, *, show_errors: bool = True) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.show_errors = show_errors
        self.errors: list[str] = []
        self.pool = QThreadPool.globalInstance()
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._closed = False
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[..., Any], on_done: Callable[[Any], None], *,
            on_error: Callable[[BaseException], None] | None = None,
            label: str | None = None, with_context: bool = False) -> OpContext:
        """Start ``fn`` (called with an OpContext when ``with_context``) on a worker thread.
        After :meth:`close` nothing starts (and neither callback is called)."""
        op_id = next(self._ids)
        ctx = OpContext(_progress=lambda f, m: self._progress.emit(op_id, f, m))
        if self._closed:
            ctx.cancel.set()
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
            p.ctx.cancel.set()
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
        dlg.canceled.connect(p.ctx.cancel.set)
        dlg.show()
        p.dialog = dlg

    @Slot(int, float, str)
    def _on_progress(self, op_id: int, fraction: float, message: str) -> None:
        p = self._pending.get(op_id)
        if p is not None and p.dialog is not None:
            p.dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
            if message:
                p.dialog.setLabelText(message)

    @Slot(int, object, object)
    def _on_finished(self, op_id: int, result: Any, error: BaseException | None) -> None:
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
            if not self._pending:
                self.idle.emit()

    def report_error(self, error: BaseException) -> None:
        """Show ``error`` to the user as a message (and keep it in :attr:`errors`)."""
        if isinstance(error, GovDeskError):
            text = str(error)
        else:
            log.error("operation failed", exc_info=error)
            text = self.tr("Something went wrong: %s") % (str(error) or type(error).__name__)
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
