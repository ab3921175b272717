"""``startup``: process start to the first window a person sees, painted; then the first action.

The first window is what ``python -m govdesk`` shows first on the embedded SQLite demo: the
login dialog. The probe runs the real entry point (``govdesk.cli.main([])``) in a fresh
process (offscreen) with an application event filter that notes the first paint event of any
widget of a top-level GovDesk window (login, set-up or main window); the parent process times
from ``Popen`` to that line. Then the probe acts as the demo data administrator: it types the
user name and password and presses 登录 (at once, or after ``PAUSE`` seconds: a person typing),
and times from the press to the main window painted with the catalogue's first page loaded and
the runner idle (``login_*`` figures).

Baseline: a bare PySide6 process that shows an empty QMainWindow, to its first paint, timed
the same way. The runs alternate (so a machine that gets busier part-way slows both alike);
medians, p95 (nearest rank) and the ratio are reported. The processes keep their compiled
bytecode in a scratch ``PYTHONPYCACHEPREFIX`` (written by the first launch, which is measured
apart) even where ``PYTHONDONTWRITEBYTECODE`` is set, as an installed GovDesk has its ``.pyc``
files. Target (issue 13): 0.6 s on a quiet machine.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

#: the median to reach on a quiet machine (issue 13), where the bare window takes about 0.1 s
TARGET_SECONDS = 0.6
RUNS = 7
#: seconds between the login dialog's first paint and pressing 登录 in the "typed" runs
PAUSE = 1.5

#: shared by both probes: print "shown" at the first paint of a top-level window's widget
#: whose class is one of WINDOWS
_FIRST_PAINT = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def __init__(self, windows, then):
        super().__init__()
        self.windows, self.then, self.seen = windows, then, set()

    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj.isWidgetType():
            top = obj.window()
            name = type(top).__name__
            if name in self.windows and name not in self.seen:
                self.seen.add(name)
                QTimer.singleShot(0, lambda: self.then(name, top))
        return False
"""

PROBE = _FIRST_PAINT + r"""
pause = float(sys.argv[1])
app = QApplication(sys.argv[:1])
clicked = []

def then(name, window):
    if name in ("LoginDialog", "SetupDialog"):
        print("shown", flush=True)
        if name == "SetupDialog":
            os._exit(3)  # the demo has accounts: a set-up dialog is a wrong start
        def press():
            window.user.setText("demo_data_admin")
            window.password.setText("Demo-2026!")
            clicked.append(time.perf_counter())
            window.try_login()
        QTimer.singleShot(int(pause * 1000), press)
    elif name == "MainWindow":
        window.runner.wait_idle()
        app.processEvents()
        print(f"ready {time.perf_counter() - clicked[0]:.4f}", flush=True)
        os._exit(0)

spy = FirstPaint({"LoginDialog", "SetupDialog", "MainWindow"}, then)
app.installEventFilter(spy)
from govdesk.cli import main
main([])
"""

BASELINE = _FIRST_PAINT + r"""
from PySide6.QtWidgets import QMainWindow
app = QApplication([])
def then(name, window):
    print("shown", flush=True)
    os._exit(0)
spy = FirstPaint({"QMainWindow"}, then)
app.installEventFilter(spy)
w = QMainWindow(); w.resize(1280, 800); w.show()
app.exec()
"""


def _time(code: str, *args: str, env: dict[str, str]) -> tuple[float, float, float | None]:
    """(wall seconds to the first window painted, CPU seconds of the child until then, login to
    catalogue seconds or None for the baseline)."""
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    if line.strip() != "shown":
        proc.kill()
        raise RuntimeError(f"startup probe did not show its first window ({line!r})")
    login = None
    if args:
        ready = proc.stdout.readline().split()
        if len(ready) != 2 or ready[0] != "ready":
            proc.kill()
            raise RuntimeError("startup probe did not reach the main window after login")
        login = float(ready[1])
    proc.wait(timeout=60)  # the probe ends itself (os._exit) once it has printed
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system
                                                          - before.children_system)
    return elapsed, cpu, login


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _summary(values: list[float]) -> dict[str, Any]:
    return {"median": round(statistics.median(values), 3), "p95": round(_p95(values), 3),
            "all": [round(v, 3) for v in values]}


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GOVDESK_DATA_DIR": tmp,
               "XDG_CONFIG_HOME": tmp, "PYTHONPYCACHEPREFIX": os.path.join(tmp, "pycache"),
               "GOVDESK_DB_URL": f"sqlite:///{tmp}/govdesk.sqlite3"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # first launch creates and seeds the demo (behind the login dialog, or before it in
        # versions that open the database first): measured apart, not part of the target
        first, _cpu, first_login = _time(PROBE, "0", env=env)
        app: list[tuple[float, float, float | None]] = []
        typed: list[tuple[float, float, float | None]] = []
        base: list[tuple[float, float, float | None]] = []
        for _ in range(RUNS):
            app.append(_time(PROBE, "0", env=env))
            base.append(_time(BASELINE, env=env))
            typed.append(_time(PROBE, str(PAUSE), env=env))
    shown = [w for w, _c, _l in app + typed]
    median, base_median = statistics.median(shown), statistics.median(w for w, _c, _l in base)
    cpu = statistics.median(c for _w, c, _l in app)
    return {
        "benchmark": "startup",
        "load_average": os.getloadavg(),
        "first_window_seconds": _summary(shown),
        "seconds_median": round(median, 3),
        "baseline_bare_qt_window_seconds": _summary([w for w, _c, _l in base]),
        "ratio_to_baseline": round(median / base_median, 2),
        "cpu_seconds_to_catalogue_median": round(cpu, 3),
        "login_pressed_at_once_to_catalogue_seconds": _summary(
            [lg for _w, _c, lg in app if lg is not None]),
        f"login_pressed_after_{PAUSE}s_to_catalogue_seconds": _summary(
            [lg for _w, _c, lg in typed if lg is not None]),
        "first_launch_first_window_seconds": round(first, 3),
        "first_launch_login_to_catalogue_seconds": round(first_login or 0.0, 3),
        "target_seconds": TARGET_SECONDS,
        "meets_target": median <= TARGET_SECONDS,
    }
