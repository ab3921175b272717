"""``startup``: process start to main window shown and idle, on the small demo.

Baseline: a bare PySide6 process that shows an empty QMainWindow and processes its first events.
Both run as fresh processes (offscreen), five times each; medians are reported.
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


def _time(code: str, *args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.kill()
    proc.wait()
    if line.strip() != "idle":
        raise RuntimeError("startup probe did not reach the idle main window")
    return elapsed


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GOVDESK_DATA_DIR": tmp,
               "XDG_CONFIG_HOME": tmp}
        url = f"sqlite:///{tmp}/govdesk.sqlite3"
        env["GOVDESK_DB_URL"] = url
        # first launch creates and seeds the demo: measured apart, not part of the target
        first = _time(PROBE, url, env=env)
        app = [_time(PROBE, url, env=env) for _ in range(5)]
        base = [_time(BASELINE, env=env) for _ in range(5)]
    median, base_median = statistics.median(app), statistics.median(base)
    return {
        "benchmark": "startup",
        "seconds_median": round(median, 3),
        "seconds_all": [round(x, 3) for x in app],
        "first_launch_with_demo_creation_seconds": round(first, 3),
        "baseline_bare_qt_window_seconds": round(base_median, 3),
        "ratio_to_baseline": round(median / base_median, 2),
        "target_seconds": 1.5,
        "meets_target": median <= 1.5,
    }
