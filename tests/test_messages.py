"""One message path: every error a service raises carries a registered code whose Chinese and
English texts exist and take the same parameters; the code is checked statically (every raise in
the source) and the GUI and the CLI render errors in the user's language."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import govdesk
from govdesk import messages
from govdesk.errors import GovDeskError, InputRejected, PermissionDenied

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "govdesk"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: codes whose message a subclass composes from parts (a list of problems): no own sentence
COMPOSED = {"problems", "draft_invalid", "orgs_line", "matrix_cell", "matrix_one",
            "matrix_explain_head", "access_cli_line", "monitor_history_line",
            "monitor_history_step", "monitor_day_line"}  # texts made of values and punctuation


def load_everything() -> dict[str, type[GovDeskError]]:
    """Import every application module (so every catalogue is registered); the GovDeskError
    classes by name."""
    for info in pkgutil.walk_packages(govdesk.__path__, "govdesk."):
        if ".migrations" not in info.name and not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found: dict[str, type[GovDeskError]] = {"GovDeskError": GovDeskError}
    todo = [GovDeskError]
    while todo:
        for sub in todo.pop().__subclasses__():
            assert sub.__name__ not in found, f"two error classes named {sub.__name__}"
            found[sub.__name__] = sub
            todo.append(sub)
    return found


ERROR_CLASSES = load_everything()


@dataclass(frozen=True)
class Finding:
    where: str
    what: str


def _imported_packages(tree: ast.Module) -> set[str]:
    """The ``govdesk`` sub-packages (``db``, ``security``…) a module imports."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return {n.split(".")[1] for n in names if n.startswith("govdesk.") and n.count(".") >= 1}


def _package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else ""


def check_source(source: str, module: str) -> list[Finding]:
    """Every construction of a GovDeskError (or a Problem) in ``source`` (the module
    ``module``): a registered code, defined by this module's package or one it imports, called
    with exactly the parameters both texts use."""
    tree = ast.parse(source)
    findings: list[Finding] = []
    reachable = _imported_packages(tree) | {_package_of(module), ""}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else None)
        where = f"{module}:{node.lineno}"
        if name == "__init__" and isinstance(func, ast.Attribute) \
                and isinstance(func.value, ast.Call) and getattr(func.value.func, "id", "") == "super":
            if module == "govdesk.errors":
                continue  # GovDeskError's own call of Exception.__init__
            cls = None  # super().__init__("code", ...) inside an error class: checked like a raise
        elif name in ERROR_CLASSES:
            cls = ERROR_CLASSES[name]
            if cls.__init__ is not GovDeskError.__init__:
                continue  # its own constructor (a list of problems): checked at its super() call
        elif name == "Problem":
            findings += _check_problem(node, where)
            continue
        else:
            continue
        if not node.args:
            if cls is not None:
                findings.append(Finding(where, f"{name}() without a message code"))
            continue
        first = node.args[0]
        if isinstance(first, ast.Attribute) and first.attr == "code" and any(
                k.arg is None for k in node.keywords):
            continue  # re-raised as another class: the code and parameters of a checked error
        codes = _literal_codes(first)
        if codes is None:
            if cls is not None or _inside_error_class(tree, node):
                findings.append(Finding(where, f"{name}(...) needs a literal message code, not "
                                               f"{ast.unparse(first)}"))
            continue
        for code in codes:
            findings += _check_code(code, node, where, reachable)
    return findings


def _literal_codes(node: ast.expr) -> list[str] | None:
    """The code a literal names, or both codes of ``"a" if x else "b"``; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_codes(node.body), _literal_codes(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _check_code(code: str, node: ast.Call, where: str, reachable: set[str]) -> list[Finding]:
    if code not in messages.CATALOGUE:
        return [Finding(where, f"message code {code!r} is not registered")]
    findings = []
    origin = _package_of(messages.ORIGIN[code])
    if origin not in reachable:
        findings.append(Finding(where, f"{code!r} is defined in {messages.ORIGIN[code]}, "
                                       "which this module does not import"))
    if any(k.arg is None for k in node.keywords) or code in COMPOSED:
        return findings
    given = {k.arg for k in node.keywords if k.arg is not None}
    needed = messages.placeholders(messages.CATALOGUE[code].zh) \
        | messages.placeholders(messages.CATALOGUE[code].en)
    if given != needed:
        findings.append(Finding(where, f"{code!r} takes {sorted(needed)}, given "
                                       f"{sorted(given)}"))
    return findings


def _inside_error_class(tree: ast.Module, call: ast.Call) -> bool:
    for cls in ast.walk(tree):
        if isinstance(cls, ast.ClassDef) and cls.name in ERROR_CLASSES:
            if any(n is call for n in ast.walk(cls)):
                return True
    return False


def _check_problem(node: ast.Call, where: str) -> list[Finding]:
    if not node.args or not isinstance(node.args[0], ast.Constant):
        return []  # built from a variable code (the importer's look-ups): rendered by code
    code = node.args[0].value
    if code not in messages.CATALOGUE:
        return [Finding(where, f"problem code {code!r} is not registered")]
    return []


def source_files() -> list[tuple[Path, str]]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts:
            continue
        module = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        files.append((path, module))
    return files


def test_every_raised_error_uses_a_registered_code_with_its_parameters() -> None:
    findings = []
    constructions = 0
    for path, module in source_files():
        source = path.read_text(encoding="utf-8")
        findings += check_source(source, module)
        constructions += sum(1 for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)
                             and getattr(n.func, "id", None) in ERROR_CLASSES)
    assert constructions >= 120  # the check really sees the application's raises
    assert [f"{f.where}: {f.what}" for f in findings] == []


@pytest.mark.parametrize(("source", "expected"), [
    ('raise InputRejected(f"Category {code} does not exist.")', "literal message code"),
    ('raise InputRejected("no_such_code_anywhere")', "not registered"),
    ('raise InputRejected("no_such_user")', "takes ['username'], given []"),
    ('raise InputRejected("no_such_user", username=1, extra=2)', "given ['extra', 'username']"),
    ('raise PermissionDenied("own_review", username="a", resource="b")', "does not import"),
    ('p = Problem("not_a_problem_code", "name")', "problem code"),
])
def test_the_check_finds_a_bad_raise(source: str, expected: str) -> None:
    findings = check_source(source, "govdesk.security.example")
    assert len(findings) == 1 and expected in findings[0].what, findings


def test_every_code_has_a_chinese_and_an_english_text_with_the_same_parameters() -> None:
    assert len(messages.CATALOGUE) >= 150
    for code, text in messages.CATALOGUE.items():
        assert text.zh.strip() and text.en.strip(), code
        if code in COMPOSED:
            continue
        assert CJK.search(text.zh), f"{code}: the Chinese text is not Chinese: {text.zh!r}"
        assert messages.placeholders(text.zh) == messages.placeholders(text.en), code


def test_a_code_is_defined_once() -> None:
    with pytest.raises(ValueError, match="defined twice"):
        messages.define({"category_missing": ("分类不存在", "No such category")}, "elsewhere")


def test_an_error_renders_in_either_language_and_logs_in_english() -> None:
    exc = InputRejected("category_missing", code="0101")
    assert exc.text("zh") == "分类 0101 不存在。" == exc.text("zh_CN") == exc.text()
    assert exc.text("en") == str(exc) == "Category 0101 does not exist." == exc.text("en_US")
    assert exc.to_json("zh") == {"code": "category_missing", "params": {"code": "0101"},
                                 "message": "分类 0101 不存在。", "exit_code": 1}


def test_translatable_parameters_follow_the_language() -> None:
    from govdesk.catalog.messages import LocatedProblems, Problem
    from govdesk.security.auth import LoginFailed

    nested = PermissionDenied("not_a_user", login="bob", database="govdesk")
    outer = InputRejected("db_refused", reason=nested)
    assert outer.text("zh") == "数据库拒绝了此操作：bob 不是数据库 govdesk 的用户。"
    assert outer.text("en") == "The database refused this: bob is not a user of the database " \
                               "govdesk."
    problems = LocatedProblems([("row 2", Problem("required", "name"))])
    assert problems.text("zh") == "row 2: 必填项“名称”为空"
    assert str(problems) == "row 2: name is required"
    assert problems.json_params("en")["problems"][0]["message"] == "name is required"
    again = LoginFailed(nested.code, **nested.params)
    assert again.text("zh") == nested.text("zh") and again.exit_code == 3


def test_an_unknown_code_never_reaches_the_user_as_a_traceback() -> None:
    assert InputRejected("nowhere_registered", x=1).text("zh") == "nowhere_registered (x=1)"
    assert InputRejected("category_missing").text("zh") == "category_missing"


def test_a_database_refusal_carries_the_servers_message() -> None:
    from govdesk.db.engine import refusal

    class Diag:
        message_primary = "Resource 0101/000001 cannot go from draft to published"

    class Refused(Exception):
        pgcode = "23514"
        diag = Diag()

    found = refusal(Refused("mis-decoded text"))
    assert isinstance(found, InputRejected) and found.code == "db_refused"
    # the server's text kept for the log, and unknown to the translations (no ": a draft is
    # submitted…" tail), so shown as the server wrote it
    assert str(found.params["reason"]) == Diag.message_primary
    assert found.text("zh") == f"数据库拒绝了此操作：{Diag.message_primary}"
    Refused.pgcode = "42501"
    denied = refusal(Refused("x"))
    assert isinstance(denied, PermissionDenied) and denied.code == "db_refused_permission"


def test_the_cli_reports_errors_in_the_chosen_language(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from govdesk.cli import main

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    capsys.readouterr()
    export = ["audit", "export", "--since", "yesterday", "--out", str(tmp_path / "a.csv")]
    assert main(["--db", url, "--json", *export]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["code"] == "bad_time" and out["exit_code"] == 1
    assert out["params"] == {"value": "yesterday"}
    assert out["message"] == out["error"] == "“yesterday”不是日期（YYYY-MM-DD）或日期时间。"
    assert main(["--db", url, "--lang", "en", *export]) == 1
    assert capsys.readouterr().err == ("govdesk: 'yesterday' is not a date (YYYY-MM-DD) or date "
                                       "and time.\n")
    assert main(["--db", url, *export]) == 1
    assert "govdesk: “yesterday”不是日期" in capsys.readouterr().err


def test_the_gui_shows_errors_in_the_interface_language(qapp) -> None:  # type: ignore[no-untyped-def]
    from govdesk.ui.app import create_application
    from govdesk.ui.ops import OperationRunner

    runner = OperationRunner(show_errors=False)
    refused = PermissionDenied("own_review", username="li", resource="0101/000001")
    try:
        create_application("en")
        runner.report_error(refused)
        create_application("zh_CN")
        runner.report_error(refused)
    finally:
        create_application("zh_CN")
    assert runner.errors == ["li wrote or submitted 0101/000001 and cannot also review it.",
                             "li 编写或提交了 0101/000001，不能再审核它。"]
