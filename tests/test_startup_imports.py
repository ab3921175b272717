"""The desktop application's first window comes before the heavy imports (issue 13, startup).

No timing here (``bench startup`` times it): a fresh process starts ``python -m govdesk``'s
entry point on the SQLite demo and reports which modules are loaded when the login dialog is
first painted; then what the worker preloads behind it is checked to be all the main window
needs outside the UI, so nothing but Qt classes is left to import on the GUI thread.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from govdesk.cli import desktop_args
from govdesk.db.engine import Database

ROOT = Path(__file__).resolve().parent.parent

#: must not be loaded when the first window is painted
HEAVY = ("sqlalchemy", "pandas", "pyqtgraph", "openpyxl", "xlsxwriter", "numpy", "keyring",
         "argon2", "alembic", "govdesk.db.engine", "govdesk.db.models", "govdesk.ui.main_window")

FIRST_PAINT = r"""
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])

class FirstPaint(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj.isWidgetType():
            print(json.dumps({"window": type(obj.window()).__name__,
                              "loaded": sorted(m for m in HEAVY if m in sys.modules)}),
                  flush=True)
            os._exit(0)
        return False

spy = FirstPaint()
app.installEventFilter(spy)
from govdesk.cli import main
main([])
"""


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
            "GOVDESK_DATA_DIR": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
            "GOVDESK_DB_URL": url}


def test_the_login_dialog_is_painted_before_the_heavy_imports(sqlite_demo_db: Database,
                                                              tmp_path: Path) -> None:
    code = f"HEAVY = {HEAVY!r}\n" + FIRST_PAINT
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env=_env(tmp_path, sqlite_demo_db.url))
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    assert lines, out.stderr
    seen = json.loads(lines[0])
    assert seen == {"window": "LoginDialog", "loaded": []}, out.stderr


def test_the_preloaded_modules_are_all_the_main_window_needs_outside_qt() -> None:
    """After the worker's imports (opening, the login's questions, ``PRELOAD``), importing the
    main window and its first area on the GUI thread adds only Qt code: no service, no
    SQLAlchemy. And ``PRELOAD`` itself imports no Qt (it runs on a worker)."""
    code = r"""
import importlib, json, sys
import govdesk.startup, govdesk.demo.users, govdesk.security.users, govdesk.db.urls
from govdesk.ui.app import MAIN_WINDOW_MODULES, PRELOAD
qt_before = "PySide6.QtWidgets" in sys.modules
for name in PRELOAD:
    importlib.import_module(name)
before = set(sys.modules)
for name in MAIN_WINDOW_MODULES:
    importlib.import_module(name)
added = sorted(m for m in set(sys.modules) - before
               if m.startswith(("govdesk.", "sqlalchemy")) and not m.startswith("govdesk.ui"))
print(json.dumps({"added": added}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert json.loads(out.stdout) == {"added": []}
    plain = subprocess.run(
        [sys.executable, "-c", "import importlib, sys; from govdesk.ui.app import PRELOAD; "
         "m = set(sys.modules); [importlib.import_module(n) for n in PRELOAD]; "
         "print(sorted(x for x in set(sys.modules) - m if x.startswith(('PySide6', 'govdesk.ui'))))"],
        capture_output=True, text=True, timeout=120, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert plain.stdout.strip() == "[]"


def test_a_start_without_a_command_is_parsed_without_the_command_groups() -> None:
    args = desktop_args(["--db", "sqlite:///x.sqlite3", "--lang", "en"], "en")
    assert args is not None and args.db == "sqlite:///x.sqlite3" and args.lang == "en"
    assert desktop_args([], "zh") is not None
    for words in (["db", "status"], ["--help"], ["--version"], ["--lang", "fr"], ["--nope"]):
        assert desktop_args(words, "zh") is None, words  # the whole parser reads these
