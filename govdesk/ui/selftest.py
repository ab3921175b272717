"""``govdesk selftest``: open every view offscreen on the current database, optionally save a
PNG of each, and report which opened without error."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govdesk.errors import GovDeskError
from govdesk.ui.i18n import error_text


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
    from govdesk.ui.ops import OperationRunner

    app = create_application(lang)
    result = SelftestResult()
    runner = OperationRunner(show_errors=False)  # no database work on the GUI thread
    try:
        opened = runner.wait_for(lambda: open_database(url))
    except GovDeskError as exc:
        result.views.append(ViewResult("database", False, error_text(exc)))
        return result
    out = Path(screenshots) if screenshots else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    try:
        windows = _windows_for(opened.db, runner)
    except GovDeskError as exc:
        result.views.append(ViewResult("login", False, error_text(exc)))
        return result
    seen: set[str] = set()
    try:
        for window in windows:
            _open_areas(app, window, out, result, seen)
    finally:
        for window in windows:
            window.close()
            window.deleteLater()
        opened.db.dispose()
    return result


def _windows_for(db: Any, runner: Any) -> list[Any]:
    """Main windows that together show every area. As a GovDesk user on PostgreSQL: that user's
    areas. As the database owner (PostgreSQL) or on a local SQLite file: one window per role
    needed, as a province-wide user of that role, so that every view is opened."""
    from govdesk.security.identity import Identity, client_host, identity_from_connection
    from govdesk.security.roles import ALLOWED, Role
    from govdesk.ui.main_window import AREAS, MainWindow

    me = runner.wait_for(lambda: identity_from_connection(db)) if db.is_postgres else None
    if me is not None and not me.is_owner:
        identities = [me]
    else:
        roles: list[Role] = []
        for spec in AREAS:
            allowed = [r for r in Role if spec.required_op is None
                       or r in ALLOWED[spec.required_op]]
            if allowed and not any(r in roles for r in allowed):
                roles.append(allowed[0])
        identities = [Identity(f"selftest_{r.value}", r, host=client_host()) for r in roles]
    windows = []
    for who in identities:
        window = MainWindow(db, who, show_errors=False)
        window.resize(1440, 900)
        window.show()
        windows.append(window)
    return windows


def _check(app: Any, window: Any, show: Any) -> tuple[bool, str]:
    """Run ``show`` (opens a view), wait for its loading; (ok, error message)."""
    before = len(window.runner.errors)
    try:
        show()
        idle = _settle(app, window.runner)
    except Exception as exc:  # a view that raises is exactly what the self-test reports
        return False, f"{type(exc).__name__}: {exc}"
    errors = window.runner.errors[before:]
    return idle and not errors, "; ".join(errors) if errors else ("" if idle else
                                                                   "timed out loading")


def _shot(window: Any, out: Path | None, name: str) -> str:
    if out is None:
        return ""
    path = out / f"{name}.png"
    window.grab().save(str(path))
    return str(path)


def _open_areas(app: Any, window: Any, out: Path | None, result: SelftestResult,
                seen: set[str]) -> None:
    """Show each area of ``window`` not already checked, and each page inside it, wait for it,
    record the outcome (and a screenshot when ``out`` is given)."""
    for area_id, area in window.areas.items():
        if area_id in seen:
            continue
        seen.add(area_id)
        ok, error = _check(app, window, lambda aid=area_id: window.show_area(aid))
        result.views.append(ViewResult(area.area_title(), ok, error,
                                       _shot(window, out, area_id)))
        for sub_id, title, show in area.sub_views():
            ok, error = _check(app, window, show)
            result.views.append(ViewResult(f"{area.area_title()} / {title}", ok, error,
                                           _shot(window, out, f"{area_id}-{sub_id}")))
