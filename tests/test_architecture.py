"""The layout holds: pyproject's import contracts (layers, ORM models and SQLAlchemy kept out of
the UI, Qt only in the UI) are kept, a wrong-way import breaks them, and migrations never import
application code (replaying one must not change when the code does)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "govdesk" / "db" / "migrations" / "versions"


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the ``govdesk`` package found under ``root``."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, "
            "no_logo=True))")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)


def test_import_contracts_are_kept() -> None:
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_wrong_way_import_breaks_the_layers(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "govdesk", tmp_path / "govdesk",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    base = tmp_path / "govdesk" / "db" / "base.py"
    base.write_text(base.read_text(encoding="utf-8") + "\nimport govdesk.catalog.search.browse\n",
                    encoding="utf-8")
    view = tmp_path / "govdesk" / "ui" / "area.py"
    view.write_text(view.read_text(encoding="utf-8") + "\nimport govdesk.db.models\n",
                    encoding="utf-8")
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "govdesk.db.base -> govdesk.catalog.search.browse" in result.stdout
    assert "govdesk.ui.area -> govdesk.db.models" in result.stdout


def application_imports(path: Path) -> list[str]:
    """The ``govdesk`` modules ``path`` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "govdesk"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "govdesk":
            found.append(node.module)
    return found


def test_migrations_import_no_application_code() -> None:
    files = sorted(MIGRATIONS.glob("*.py"))
    assert len(files) >= 18
    offenders = {p.name: application_imports(p) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_migration_check_sees_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "0099_x.py"
    sample.write_text("import sqlalchemy as sa\nfrom govdesk.catalog.search.index import document\n"
                      "def f():\n    import govdesk.config\n")
    assert application_imports(sample) == ["govdesk.catalog.search.index", "govdesk.config"]
