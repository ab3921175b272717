"""``govdesk selftest``: open every view offscreen on the current database, optionally save a
PNG of each, and report which opened without error."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from govdesk.errors import GovDeskError


@dataclass
class ViewResult:
    name: str
    ok: bool
    error: str = ""
    screenshot: str = ""


@dataclass
class SelftestResult:
    views: list[ViewResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.views) and all(v.ok for v in self.views)


def _settle(app: object, runner: object, rounds: int = 4) -> bool:
    """Wait until the view stops starting work: views start follow-up loads (details after a
    selection, debounced by short timers) when their first data arrives."""
    from PySide6.QtCore import QEventLoop, QTimer

    idle = True
    for _ in range(rounds):
        loop = QEventLoop()
        QTimer.singleShot(250, loop.quit)
        loop.exec()
        idle = runner.wait_idle() and idle  # type: ignore[attr-defined]
    return idle


def run_selftest(url: str, screenshots: str | None = None, lang: str | None = None) -> SelftestResult:
    """Open each area of the main window in turn and wait for its data; never shows a dialog."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from govdesk.startup import open_database
    from govdesk.ui.app import create_application
    from govdesk.ui.main_window import MainWindow

    app = create_application(lang)
    result = SelftestResult()
    try:
        opened = open_database(url)
    except GovDeskError as exc:
        result.views.append(ViewResult("database", False, str(exc)))
        return result
    out = Path(screenshots) if screenshots else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    window = MainWindow(opened.db, show_errors=False)
    window.resize(1440, 900)
    window.show()
    try:
        for area_id, area in window.areas.items():
            before = len(window.runner.errors)
            try:
                window.show_area(area_id)
                idle = _settle(app, window.runner)
                errors = window.runner.errors[before:]
                ok = idle and not errors
                error = "; ".join(errors) if errors else ("" if idle else "timed out loading")
            except Exception as exc:  # a view that raises is exactly what the self-test reports
                ok, error = False, f"{type(exc).__name__}: {exc}"
            shot = ""
            if out is not None:
                path = out / f"{area_id}.png"
                window.grab().save(str(path))
                shot = str(path)
            result.views.append(ViewResult(area.area_title(), ok, error, shot))
    finally:
        window.close()
        window.deleteLater()
        opened.db.dispose()
    return result
