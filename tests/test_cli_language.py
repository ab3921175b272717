"""The command line speaks the user's language: help, argparse's own words, results, refusals
(with the operation's name and who may), region and grade names; label tables cover every code
(operations, audit event and object types); exported value lists have Chinese headers."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from govdesk.cli import main
from govdesk.cli.argparse_zh import width, wrap
from govdesk.cli.common import lang_of_argv
from govdesk.db.engine import Database
from govdesk.security.audit import EventType
from govdesk.security.audit_labels import EVENT_TYPE, OBJECT_TYPE, event_label, local_time, object_label
from govdesk.security.roles import OP_LABELS, Op, Role, op_label, role_label, roles_allowed

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_help_is_chinese_by_default_and_english_on_request(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    zh = _help(capsys)
    assert zh.startswith("用法： govdesk") and "选项：" in zh and "显示此帮助信息并退出" in zh
    assert "数据资源目录" in zh and "不带命令时打开桌面应用程序" in zh
    assert "usage:" not in zh and "show this help" not in zh
    sub = _help(capsys, "catalog", "samples")
    assert "位置参数：" in sub and "资源代码" in sub and "按分级要求脱敏" in sub
    en = _help(capsys, "--lang", "en", "catalog", "samples")
    assert en.startswith("usage: govdesk catalog samples") and "options:" in en
    assert "resource code" in en and not CJK.search(en.replace("浙江省", ""))
    monkeypatch.setenv("GOVDESK_LANG", "en")
    assert _help(capsys, "users", "add").startswith("usage: ")
    assert _help(capsys, "--lang=zh_CN", "users", "add").startswith("用法： ")


def test_chinese_help_lines_fit_the_terminal(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for argv in ((), ("catalog", "samples"), ("audit", "verify"), ("grades", "apply")):
        text = _help(capsys, "--lang", "zh_CN", *argv)
        # a long option list or URL alone may overflow; prose wraps by display width
        assert all(width(line) <= 80 for line in text.splitlines() if CJK.search(line)), text
        assert not any(line.strip().startswith(("；", "，", "。")) for line in text.splitlines())
        usage = text.split("\n\n")[0].splitlines()
        if len(usage) > 1:  # continuation lines aligned under the first option
            assert width(usage[0][:usage[0].index("[")]) == len(usage[1]) - len(usage[1].lstrip())


def test_argparse_errors_in_the_users_language(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    with pytest.raises(SystemExit) as stop:
        main(["users", "add"])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert "govdesk users add：错误：缺少以下必需参数：name, --role" in err and "用法：" in err
    with pytest.raises(SystemExit):
        main(["catalog", "export", "x.xlsx", "--status", "nope"])
    assert "参数 --status：“nope”不是可选的值（可选：draft 草稿、" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "catalog", "export", "x.xlsx", "--status", "nope"])
    assert "error: argument --status: 'nope' is not one of the values (draft (Draft), " \
        in capsys.readouterr().err
    # and argparse is English again for anyone else in the process
    import argparse

    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def test_the_language_is_known_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    assert lang_of_argv([]) == "zh"
    assert lang_of_argv(["db", "status", "--lang", "en"]) == "en"
    assert lang_of_argv(["--lang=en", "--lang", "zh_CN"]) == "zh"  # the last one counts
    assert lang_of_argv(["catalog", "import", "--", "--lang", "en"]) == "zh"
    monkeypatch.setenv("GOVDESK_LANG", "en_US.UTF-8")
    assert lang_of_argv(["db", "status"]) == "en"
    assert lang_of_argv(["--lang", "zh_CN"]) == "zh"


def test_wrapping_counts_chinese_characters_as_two_columns() -> None:
    text = "不脱敏（仅限有权限的角色，须给出 --reason；记入审计日志）；不加此项时按分级要求脱敏"
    lines = wrap(text, 30)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(width(line) <= 30 or line[-1] in "；，。）" for line in lines)
    assert not any(line.startswith(("；", "，", "）")) for line in lines)
    assert wrap("plain English words wrap at spaces", 12) == ["plain", "English", "words wrap",
                                                             "at spaces"]


def test_every_operation_role_event_and_object_type_has_a_label() -> None:
    assert set(OP_LABELS) == set(Op)
    for op in Op:
        assert CJK.search(op_label(op, "zh")) and not CJK.search(op_label(op, "en")), op
        assert op_label(op.value, "en") == OP_LABELS[op].en and OP_LABELS[op].op == op.value
        assert roles_allowed(op).zh and roles_allowed(op).en
    assert op_label("no.such", "zh") == "no.such"
    assert roles_allowed(Op.AUDIT_EXPORT).zh == "安全管理员、审计管理员"
    assert {role_label(r) for r in Role} == {"系统管理员", "安全管理员", "审计管理员", "数据管理员", "查看者"}
    events = {v for k, v in vars(EventType).items() if k.isupper()}
    assert events <= set(EVENT_TYPE.codes)
    assert event_label("audit_archive") == "归档审计日志" and event_label("login", "en") == "Login"
    assert event_label(EventType.SHARING_GRANT) == "共享授权"
    assert event_label("from_the_future") == "from_the_future" and event_label(None) == ""
    # every object type the code names, and every table the database triggers audit
    named = set()
    for path in (ROOT / "govdesk").rglob("*.py"):
        named |= set(re.findall(r'object_type="([a-z_]+)"', path.read_text(encoding="utf-8")))
    audited = {"data_resources", "data_items", "resource_samples", "categories", "grade_schemes",
               "grades", "sharing_grants", "backup_policies", "organisations", "users",
               "settings", "grade_suggestions", "resource_profiles",
               "sharing_grant_items"}  # migrations 0003, 0009, 0025
    assert named | audited <= set(OBJECT_TYPE.codes)
    assert object_label("data_resources") == "数据资源" and object_label("user") == "用户"


def test_local_time_has_seconds_and_the_zone_offset() -> None:
    import datetime as dt

    shown = local_time(dt.datetime(2026, 12, 3, 9, 30, 5, 123456, tzinfo=dt.timezone.utc))
    assert re.fullmatch(r"2026-12-0[23] \d\d:\d\d:05 [+-]\d\d:\d\d", shown)
    assert "123456" not in shown
    naive = local_time(dt.datetime(2026, 12, 3, 9, 30, 5))  # as stored: UTC
    assert naive == shown


def test_results_in_chinese_by_default_and_english_with_lang_en(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert re.fullmatch(r"已在数据库 \S+ 中创建 GovDesk 结构（版本 \w+）。\n", capsys.readouterr().out)
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert re.fullmatch(r"数据库 \S+ 已是最新版本 \w+，无需升级。\n", capsys.readouterr().out)
    assert main(["--db", url, "db", "status"]) == 0
    assert "已是最新" in capsys.readouterr().out
    assert main(["--db", url, "--lang", "en", "db", "status"]) == 0
    assert ": current (at " in capsys.readouterr().out
    monkeypatch.setenv("GOVDESK_LANG", "en")
    assert main(["--db", url, "db", "status", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["state"] == "current" and out["state_label"] == "current"


def test_grades_show_names_and_rules_as_words(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    args = _as(demo_db, accounts_for(demo_db), "secadmin", monkeypatch)
    assert main(["grades", "list", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    grade_lines = [line.strip() for line in lines if "级别序号" in line]
    assert grade_lines and all(CJK.match(line) for line in grade_lines)  # the name comes first
    assert any(line.startswith("一般数据4级（代码 general4）") and "身份证号码" in line
               for line in grade_lines)
    assert not any("citizen_id" in line or "mask=" in line for line in lines)


def _as(db: Database, accounts, role: str, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        region: str | None = None) -> list[str]:
    who = accounts.add(role, region=region)
    if db.is_postgres:
        return ["--db", accounts.url_for(who.username)]
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    return ["--db", db.url, "--user", who.username]


def test_users_show_role_and_region_names(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    accounts = accounts_for(demo_db)
    regional = accounts.add("data_admin", region="330100000000")
    args = _as(demo_db, accounts, "sysadmin", monkeypatch)
    assert main(["users", "list", *args]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith(regional.username))
    assert "数据管理员" in line and "杭州市（区划代码 330100000000）" in line
    assert "data_admin" not in line.replace(regional.username, "")
    assert main(["users", "list", "--json", *args]) == 0
    row = next(u for u in json.loads(capsys.readouterr().out)["users"]
               if u["username"] == regional.username)
    assert row["role"] == "data_admin" and row["region"] == "330100000000"
    assert row["role_label"] == "数据管理员" and row["region_name"] == "杭州市"


def test_a_refusal_names_the_operation_and_how_to_act_as_someone_who_may(
        demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    args = _as(demo_db, accounts_for(demo_db), "viewer", monkeypatch)
    out = tmp_path / "a.csv"
    assert main(["audit", "export", "--out", str(out), "--json", *args]) == 3
    report = json.loads(capsys.readouterr().out)
    assert report["code"] == "not_allowed" and report["operation_code"] == "audit.export"
    assert report["params"]["operation"] == "导出审计日志"
    assert report["params"]["allowed"] == "安全管理员、审计管理员"
    assert ("--db postgresql" if demo_db.is_postgres else "--user") in report["hint"]
    assert main(["audit", "export", "--out", str(out), "--lang", "en", *args]) == 3
    err = capsys.readouterr().err
    assert "(Viewer) may not export the audit trail; roles that may: Security administrator, " \
           "Audit administrator." in err and err.count("\n") == 2 and "Hint: " in err


def test_the_value_list_sheet_has_chinese_headers(sqlite_demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    args = _as(sqlite_demo_db, accounts_for(sqlite_demo_db), "viewer", monkeypatch)
    template = tmp_path / "t.xlsx"
    assert main(["catalog", "export", str(template), "--template", "--json", *args]) == 0
    headers = [c.value for c in load_workbook(template)["值域"][1]]
    assert headers[:6] == ["资源格式", "数据类型", "共享类型", "共享方式", "开放属性", "更新周期"]
    assert {"分级", "分类代码", "是/否", "角色"} <= set(headers)
    assert all(CJK.search(str(h)) for h in headers)


def _english_literals(node: ast.AST) -> list[str]:
    """The string literals with an English word in ``node``, except a ``say`` call's (codes)."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say":
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if re.search(r"[A-Za-z]{3,}", node.value) else []
    return [text for child in ast.iter_child_nodes(node) for text in _english_literals(child)]


def test_no_command_prints_a_literal_sentence() -> None:
    """Every text a command hands ``emit`` for people comes from the catalogue (``say``), with
    no English word written into the command itself."""
    found = []
    for path in sorted((ROOT / "govdesk" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "emit":
                assert len(node.args) == 3, f"{path.name}:{node.lineno}"
                found += [f"{path.name}:{node.lineno}: {text!r}"
                          for text in _english_literals(node.args[2])]
    assert not found, found
