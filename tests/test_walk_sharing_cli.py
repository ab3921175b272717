"""What a new user hit walking the sharing commands (both databases, real logins on
PostgreSQL): a cell's rules name a region by name (not ``*`` or a code prefix), the matrix
workbook names each resource's region, an empty matrix says why, a role that may use neither
of a command's operations is told every role that may, ``--days`` below 1 is a usage error, and
an account's organisation is given by its code as ``orgs list`` shows it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from access_world import build
from govdesk.cli import main
from govdesk.db.engine import Database
from test_sharing_cli import _as, run_json

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_matrix_words_its_rules_regions_and_empty_pages(
        demo_db: Database, accounts_for: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    w = build(demo_db)
    accounts = accounts_for(demo_db)
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "330100", w.orgs["CDPF-330100"])
    for org, region in (("CDPF-330100", "杭州市"), ("CDPF-000000", "中华人民共和国")):
        status, out = run_json(capsys, "sharing", "matrix", "--explain", "--org", org,
                               "--resource", w.code, *sec)
        assert status == 0
        own = [r for r in out["rules"] if r["code"] == "own_region"]
        assert own and own[0]["detail"] == region and own[0]["detail_label"] == region
        assert main(["sharing", "matrix", "--explain", "--org", org, "--resource", w.code,
                     *sec]) == 0
        text = capsys.readouterr().out
        assert f"规则：本区划的资源，本单位可直接读取 {region}" in text and " *" not in text

    assert main(["sharing", "matrix", "--resource", w.code[:4], "--out",
                 str(tmp_path / "m.xlsx"), *sec]) == 0
    capsys.readouterr()
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx", read_only=True)["访问矩阵"]
    rows = list(sheet.iter_rows(max_row=5, values_only=True))
    assert rows[0][2] == "所在区划"
    for row in rows[1:]:
        assert CJK.search(str(row[2])) and not re.fullmatch(r"\d{12}", str(row[2])), row

    assert main(["sharing", "matrix", "--region", "3399", *sec]) == 0
    text = capsys.readouterr().out
    assert "没有符合条件的资源" in text and "--org 单位代码" in text
    assert main(["sharing", "matrix", "--region", "3399", "--lang", "en", *sec]) == 0
    assert "--org CODE" in capsys.readouterr().out


def test_refusals_name_every_role_and_bad_days(
        demo_db: Database, accounts_for: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    w = build(demo_db)
    accounts = accounts_for(demo_db)
    viewer = _as(demo_db, accounts, monkeypatch, "viewer", "330100", w.orgs["CDPF-330100"])
    assert main(["sharing", "matrix", *viewer]) == 3
    err = capsys.readouterr().err
    assert "申请数据共享或审批数据共享" in err and "安全管理员" in err and "数据管理员" in err
    assert "Traceback" not in err
    assert main(["sharing", "matrix", "--lang", "en", *viewer]) == 3
    err = capsys.readouterr().err
    assert "Security administrator" in err and "Data administrator" in err

    admin = _as(demo_db, accounts, monkeypatch, "data_admin", "330100", w.orgs["CDPF-330100"])
    for days in ("0", "-3"):
        assert main(["sharing", "request", w.code, "--purpose", "statistics", "--days", days,
                     *admin]) == 2
        err = capsys.readouterr().err
        assert f"--days 应为至少 1 的天数（含第一天），不能是 {days}。" in err
    status, out = run_json(capsys, "sharing", "request", w.code, "--purpose", "statistics",
                           "--days", "0", "--lang", "en", *admin)
    assert status == 2 and out["code"] == "sharing_bad_days" and "at least 1" in out["error"]


def test_an_accounts_organisation_by_its_code(
        demo_db: Database, accounts_for: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    w = build(demo_db)
    accounts = accounts_for(demo_db)
    clerk = accounts.add("data_admin", "330200", None)
    sysadmin = _as(demo_db, accounts, monkeypatch, "sysadmin", None, None)  # type: ignore[arg-type]
    status, out = run_json(capsys, "users", "set", clerk.username, "--organisation",
                           "cdpf-330200", *sysadmin)
    assert status == 0 and out["organisation"] == w.orgs["CDPF-330200"]
    status, out = run_json(capsys, "users", "set", clerk.username, "--organisation",
                           str(w.orgs["CDPF-330100"]), *sysadmin)
    assert status == 0 and out["organisation"] == w.orgs["CDPF-330100"]
    assert main(["users", "set", clerk.username, "--organisation", "CDPF-339999",
                 *sysadmin]) == 2
    assert "没有代码为“CDPF-339999”的单位" in capsys.readouterr().err

    orphan = _as(demo_db, accounts, monkeypatch, "data_admin", "330200", None)  # type: ignore[arg-type]
    assert main(["sharing", "request", w.code, "--purpose", "statistics", "--days", "5",
                 *orphan]) == 1
    assert "--organisation 单位代码" in capsys.readouterr().err


def test_unknown_values_are_answered_with_their_labels(
        demo_db: Database, accounts_for: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    w = build(demo_db)
    accounts = accounts_for(demo_db)
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "330100", w.orgs["CDPF-330100"])
    assert main(["sharing", "offer", w.code, "--purpose", "statistics", "--days", "5",
                 "--accept-conditions", "--scope", "3301:nokind", *sec]) == 1
    err = capsys.readouterr().err
    assert "单位类型不能是“nokind”" in err and "federation 残疾人联合会" in err
    with pytest.raises(SystemExit) as usage:
        main(["sharing", "alerts", "--kind", "nope", *sec])
    assert usage.value.code == 2
    err = capsys.readouterr().err
    assert "expiring 即将到期" in err and "Traceback" not in err
    assert main(["sharing", "alerts", "--kind", "即将到期", *sec]) in (0, 6)  # a label works
    capsys.readouterr()


def test_a_second_identical_request_waits_for_the_first(
        demo_db: Database, accounts_for: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    w = build(demo_db)
    accounts = accounts_for(demo_db)
    nb = _as(demo_db, accounts, monkeypatch, "data_admin", "330200", w.orgs["CDPF-330200"])
    ask = ["sharing", "request", w.whole, "--purpose", "statistics", "--days", "10",
           "--accept-conditions", *nb]
    status, first = run_json(capsys, *ask)
    assert status == 0, first
    status, again = run_json(capsys, *ask)
    assert status == 1 and again["code"] == "grant_duplicate_pending"
    assert str(first["grant"]["id"]) in again["error"] and "仍在等待审批" in again["error"]
