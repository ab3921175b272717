"""Progress and cancellation of a long operation: one protocol for every service.

A long service (import, export, profiling, demo load, and what comes next: backup, verify,
restore, log import) takes ``progress: Progress | None = None`` and calls
:meth:`Progress.report` with the fraction done (0..1) and an optional message as it goes.
The caller decides what that looks like: the GUI's operation runner shows it in its progress
dialog (``ui/ops.py``, whose ``OpContext`` is a Progress), the CLI as a tqdm bar on stderr
(``cli/common.progress_bar``), tests record it; the base class itself is silent.

Cancelling is a flag (:meth:`Progress.cancel`, safe from any thread): the service's next
:meth:`~Progress.report` (or :meth:`~Progress.check`) raises :class:`Cancelled`, which unwinds
through the service's unit of work, so its transaction rolls back and nothing is written.
A service that writes reports only where raising is safe (inside its transaction, before
anything outside it, such as a file, is final).

Nested steps take a sub-range: ``progress.sub(0.3, 0.8)`` is a Progress whose 0..1 maps to
0.3..0.8 of its parent and which shares the parent's cancel flag, so a helper such as
``insert_many`` reports its own 0..1 without knowing where it sits in the whole.

Qt-free (a base module): nothing here imports the UI or the database.
"""

from __future__ import annotations

import threading

from govdesk.errors import GovDeskError
from govdesk.messages import define

define({"cancelled": ("已取消；未写入任何内容。", "Cancelled; nothing was written.")}, __name__)


class Cancelled(GovDeskError):
    """The user cancelled the operation; its transaction rolled back, nothing was written."""

    def __init__(self) -> None:
        super().__init__("cancelled")


class Progress:
    """Where a long operation reports how far it got, and where it learns it was cancelled.

    The base class shows nothing; subclasses override :meth:`show`. ``report`` clamps the
    fraction to 0..1 but does not make it monotonic: services report fractions that only grow
    (tested), so a display can trust them.
    """

    def __init__(self) -> None:
        self._cancel = threading.Event()

    # -- what services call -----------------------------------------------------------------
    def report(self, fraction: float, message: str = "") -> None:
        """``fraction`` (0..1) of the work is done; ``message`` says what is being done (may be
        empty: keep the previous one). Raises :class:`Cancelled` when the operation was
        cancelled."""
        self.check()
        self.show(min(1.0, max(0.0, fraction)), message)

    def step(self, done: int, total: int, message: str = "") -> None:
        """``done`` of ``total`` units are done (a total of 0 counts as finished)."""
        self.report(done / total if total > 0 else 1.0, message)

    def check(self) -> None:
        """Raise :class:`Cancelled` when the operation was cancelled (for loops that do not
        report on every turn)."""
        if self._cancel.is_set():
            raise Cancelled()

    def sub(self, start: float, end: float, label: str = "") -> Progress:
        """A Progress for a nested step that covers ``start``..``end`` of this one; its
        reports without a message show ``label``. Cancelling either cancels both."""
        return _Range(self, start, end, label)

    # -- what callers use -------------------------------------------------------------------
    def cancel(self) -> None:
        """Ask the operation to stop at its next report (thread-safe)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def show(self, fraction: float, message: str) -> None:
        """Display a report (``fraction`` already clamped to 0..1). Silent here."""


class _Range(Progress):
    """``start``..``end`` of a parent Progress, sharing its cancel flag."""

    def __init__(self, parent: Progress, start: float, end: float, label: str) -> None:
        super().__init__()
        self._cancel = parent._cancel
        self._parent, self._start, self._end, self._label = parent, start, end, label

    def show(self, fraction: float, message: str) -> None:
        self._parent.report(self._start + fraction * (self._end - self._start),
                            message or self._label)
