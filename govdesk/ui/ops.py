"""The one path for database work from the GUI: run it on the thread pool, report back.

``OperationRunner.run(fn, on_done)`` runs ``fn`` on a worker thread. ``fn`` must not touch Qt
at all, not even read a Python attribute of a QObject (that races with the GUI thread inside
Shiboken and can crash): capture plain values in locals first, then build the lambda.
``on_done(result)`` then runs on the GUI thread. While anything runs the cursor is busy; an
operation with a ``label`` shows a progress dialog after 0.6 s, with a cancel button that sets
the :class:`OpContext` cancel flag the worker checks. Errors become a message the user
understands (GovDeskError text) instead of a traceback.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from govdesk.errors import GovDeskError

log = logging.getLogger(__name__)


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
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[..., Any], on_done: Callable[[Any], None], *,
            on_error: Callable[[BaseException], None] | None = None,
            label: str | None = None, with_context: bool = False) -> OpContext:
        """Start ``fn`` (called with an OpContext when ``with_context``) on a worker thread."""
        op_id = next(self._ids)
        ctx = OpContext(_progress=lambda f, m: self._progress.emit(op_id, f, m))
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
        if p is None:
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
            from govdesk.ui.i18n import problem_lang

            text = error.text(problem_lang())  # the interface language, where it has one
        else:
            log.error("operation failed", exc_info=error)
            text = self.tr("Something went wrong: %s") % (str(error) or type(error).__name__)
        self.errors.append(text)
        if self.show_errors:
            QMessageBox.warning(self.parent_widget, self.tr("GovDesk"), text)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Process events until nothing runs (for the self-test and tests); False on timeout."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        app = QApplication.instance()
        while self._pending and not deadline.hasExpired():
            assert app is not None
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            self.pool.waitForDone(10)
        app = QApplication.instance()
        if app is not None:
            app.processEvents()
        return not self._pending
