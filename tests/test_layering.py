"""The core stays Qt-free: PySide6 may be imported only under govdesk/ui/."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "govdesk"


def qt_imports(path: Path) -> list[int]:
    """Line numbers where ``path`` imports PySide6 (or shiboken6)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
            lines.append(node.lineno)
    return lines


def test_no_qt_outside_ui() -> None:
    offenders = {
        str(p.relative_to(PACKAGE.parent)): qt_imports(p)
        for p in PACKAGE.rglob("*.py")
        if "ui" not in p.relative_to(PACKAGE).parts[:1]
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}, f"PySide6 imported outside govdesk/ui/: {offenders}"


def test_checker_sees_qt_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("import os\nfrom PySide6.QtCore import QObject\nimport PySide6\n")
    assert qt_imports(sample) == [2, 3]
