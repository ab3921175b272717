"""``startup``: process start to main window shown and idle, on the small demo.

Baseline: a bare PySide6 process that shows an empty QMainWindow and processes its first events.
Both run as fresh processes (offscreen), five times each, alternating (so a machine that gets
busier part-way slows both alike); medians and their ratio are reported. The processes keep
their compiled bytecode in a scratch ``PYTHONPYCACHEPREFIX`` (written by the first launch, which
is measured apart) even where ``PYTHONDONTWRITEBYTECODE`` is set, as an installed GovDesk has
its ``.pyc`` files: otherwise every start would compile GovDesk's sources again. Target: 0.6 s on a quiet
machine, about six times the bare window.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

#: the median to reach on a quiet machine (issue 13), where the bare window takes about 0.1 s
TARGET_SECONDS = 0.6

PROBE = r"""
import sys
from govdesk.security.identity import Identity
from govdesk.security.roles import Role
from govdesk.ui.app import start_main_window
# the login dialog waits for a person; the benchmark starts as the demo data administrator
app, window = start_main_window(sys.argv[1], who=Identity("demo_data_admin", Role.DATA_ADMIN))
window.runner.wait_idle()
app.processEvents()
print("idle", flush=True)
"""

BASELINE = r"""
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show()
app.processEvents()
print("idle", flush=True)
"""


def _time(code: str, *args: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from process start to the probe's "idle" line. CPU time
    (user + system of the child) says more than wall time on a machine busy with other work."""
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.kill()
    proc.wait()
    after = os.times()
    if line.strip() != "idle":
        raise RuntimeError("startup probe did not reach the idle main window")
    cpu = (after.children_user - before.children_user) + (after.children_system
                                                          - before.children_system)
    return elapsed, cpu


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GOVDESK_DATA_DIR": tmp,
               "XDG_CONFIG_HOME": tmp, "PYTHONPYCACHEPREFIX": os.path.join(tmp, "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        url = f"sqlite:///{tmp}/govdesk.sqlite3"
        env["GOVDESK_DB_URL"] = url
        # first launch creates and seeds the demo: measured apart, not part of the target
        first, _cpu = _time(PROBE, url, env=env)
        app: list[tuple[float, float]] = []
        base: list[tuple[float, float]] = []
        for _ in range(5):
            app.append(_time(PROBE, url, env=env))
            base.append(_time(BASELINE, env=env))
    median, base_median = (statistics.median(w for w, _c in runs) for runs in (app, base))
    cpu, base_cpu = (statistics.median(c for _w, c in runs) for runs in (app, base))
    return {
        "benchmark": "startup",
        "seconds_median": round(median, 3),
        "seconds_all": [round(w, 3) for w, _c in app],
        "cpu_seconds_median": round(cpu, 3),
        "baseline_cpu_seconds": round(base_cpu, 3),
        "cpu_ratio_to_baseline": round(cpu / base_cpu, 2),
        "first_launch_with_demo_creation_seconds": round(first, 3),
        "baseline_bare_qt_window_seconds": round(base_median, 3),
        "ratio_to_baseline": round(median / base_median, 2),
        "target_seconds": TARGET_SECONDS,
        "meets_target": median <= TARGET_SECONDS,
    }
