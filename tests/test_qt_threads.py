"""Python code on Qt worker threads must not corrupt the interpreter.

PySide6 6.12.0 does (reference counts of None/True/False go wrong when QRunnable.run executes
Python while the GUI thread creates objects, and the process aborts); pyproject.toml excludes it.
This test runs the pattern the operation runner uses in a child process so a regression shows
as a failed test, not as a crashed test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

STRESS = r"""
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Qt, Signal
from PySide6.QtWidgets import QApplication

app = QApplication([])

class Carrier(QObject):
    finished = Signal(int)

carrier = Carrier()
results = []
carrier.finished.connect(results.append, Qt.ConnectionType.QueuedConnection)

class Job(QRunnable):
    def run(self):
        total = 0
        for i in range(20000):
            total += i
        carrier.finished.emit(1)

pool = QThreadPool.globalInstance()
for k in range(300):
    for _ in range(4):
        pool.start(Job())
    QObject()
    app.processEvents()
pool.waitForDone()
app.processEvents()
print("ok", len(results))
"""


def test_worker_threads_do_not_corrupt_python() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", STRESS], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok 1200")


def test_garbage_is_collected_only_on_the_gui_thread(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Cycles holding Qt wrappers must never be freed by a collection that a worker thread's
    allocation triggers: automatic collection is off and a GUI-thread timer collects."""
    import gc
    import threading

    from govdesk.ui import gc_guard
    from govdesk.ui.app import create_application

    create_application("zh_CN")
    guard = gc_guard._guard
    assert not gc.isenabled() and guard is not None
    collected_on: list[str] = []

    class Cycle:
        def __del__(self) -> None:
            collected_on.append(threading.current_thread().name)

    c = Cycle()
    c.me = c  # type: ignore[attr-defined]
    del c
    kept: list[list[object]] = []
    worker = threading.Thread(target=lambda: kept.extend([] for _ in range(50_000)),
                              name="worker")
    worker.start()
    worker.join()
    assert collected_on == []  # the worker's allocations collected nothing
    qtbot.waitUntil(lambda: bool(collected_on), timeout=5_000)
    assert collected_on == [threading.main_thread().name]
