"""Module and function sizes (issue 12): no module of ``govdesk`` over :data:`MAX_MODULE_LINES`
lines and no function over :data:`MAX_FUNCTION_LINES`, measured on the syntax tree.

The rule (docs/architecture.md, "Module and function sizes"):

- a module's size is its physical lines minus those of its declarative tables: top-level
  assignments (plain or annotated) whose value is a list, tuple, dict or set display, whatever
  its elements (a vocabulary, a column layout, a map of sort keys to columns). Docstrings and
  comments count: they are part of what a reader has to take in;
- a function's size is its lines from ``def`` to its last line, decorators left out, nested
  functions and methods measured on their own as well (a nested function counts towards the
  function that holds it too). No exemption for tables inside a function;
- migrations (``govdesk/db/migrations/``) are left out: each is a frozen record of one change
  and never edited once released.

:data:`ALLOWED` lists the modules still being split in other branches; an entry that is within
the limits again fails the test, so the list only ever shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "govdesk"
EXCLUDED = (PACKAGE / "db" / "migrations",)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

#: module (relative to the repository root) -> why it may still be over a limit. Each entry is
#: a split in progress in another branch; the lead removes it when that branch is merged.
ALLOWED: dict[str, str] = {
}


def modules() -> list[Path]:
    """Every Python module of the package, migrations left out."""
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if not any(p.is_relative_to(e) for e in EXCLUDED))


def _is_table(node: ast.stmt) -> bool:
    """A top-level assignment of a list, tuple, dict or set display: a declarative table."""
    value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
    return isinstance(value, (ast.List, ast.Tuple, ast.Dict, ast.Set))


def module_lines(source: str, tree: ast.Module) -> int:
    """The lines of a module that count towards its size: all but its declarative tables'."""
    tables = sum(node.end_lineno - node.lineno + 1  # type: ignore[operator]
                 for node in tree.body if _is_table(node))
    return len(source.splitlines()) - tables


def long_functions(tree: ast.Module) -> list[tuple[str, int, int]]:
    """(qualified name, first line, lines) of every function longer than the limit."""
    found: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}."
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = child.end_lineno - child.lineno + 1  # type: ignore[operator]
                if lines > MAX_FUNCTION_LINES:
                    found.append((name[:-1], child.lineno, lines))
            visit(child, name)

    visit(tree, "")
    return found


def problems(path: Path) -> list[str]:
    """What is too big in ``path``, one line each (empty: within the limits)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    found = []
    if (n := module_lines(source, tree)) > MAX_MODULE_LINES:
        found.append(f"module has {n} lines (declarative tables aside), over {MAX_MODULE_LINES}")
    found += [f"{name} (line {line}) has {n} lines, over {MAX_FUNCTION_LINES}"
              for name, line, n in long_functions(tree)]
    return found


def test_measures_as_documented() -> None:
    """The rule itself: tables at the top level do not count, everything else does."""
    source = ('"""Doc."""\n'
              "TABLE = {\n    'a': 1,\n    'b': 2,\n}\n"
              "NAMES: tuple[str, ...] = (\n    'x',\n)\n"
              "COMPUTED = sorted([\n    3, 1,\n])\n"
              "def f() -> None:\n" + "    x = 1\n" * 60)
    tree = ast.parse(source)
    assert module_lines(source, tree) == len(source.splitlines()) - 4 - 3  # COMPUTED counts
    assert long_functions(tree) == [("f", 12, 61)]
    nested = ast.parse("class C:\n    def m(self) -> None:\n" + "        pass\n" * 59)
    assert long_functions(nested) == []  # 60 lines is within the limit
    nested = ast.parse("class C:\n    def m(self) -> None:\n" + "        pass\n" * 60)
    assert long_functions(nested) == [("C.m", 2, 61)]


def test_the_allowlist_names_real_modules() -> None:
    for name in ALLOWED:
        assert (ROOT / name).is_file(), f"{name} is in ALLOWED but does not exist: remove it"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_and_function_sizes(path: Path) -> None:
    """Each module within the limits; each allowlisted one still over them (else the entry
    must go)."""
    name = path.relative_to(ROOT).as_posix()
    found = problems(path)
    if name in ALLOWED:
        assert found, (f"{name} is within the limits now: remove it from ALLOWED in "
                       f"tests/test_sizes.py ({ALLOWED[name]})")
    else:
        assert not found, f"{name}: " + "; ".join(found) + (
            " (split it by concern; see docs/architecture.md, 'Module and function sizes')")
