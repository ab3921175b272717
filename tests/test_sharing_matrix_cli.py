"""``govdesk sharing matrix`` on both databases: a page, one organisation's column, one cell
explained, the exports, Chinese and English text, JSON and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from access_world import build
from govdesk.cli import main
from govdesk.db.engine import Database
from test_sharing_cli import _as, run_json


def test_matrix_from_the_command_line(demo_db: Database, accounts_for: Any, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    w = build(demo_db)
    accounts = accounts_for(demo_db)
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "330100", w.orgs["CDPF-330100"])
    status, out = run_json(capsys, "sharing", "matrix", "--resource", w.code, "--org-region",
                           "3302", *sec)
    assert status == 0 and out["schema"] == "govdesk.access-matrix/1"
    cells = {c["org"]: c for c in out["resources"][0]["cells"]}
    assert cells["EDUCATION-330200"]["reason"] == "some_items"

    assert main(["sharing", "matrix", "--resource", w.code, "--org-region", "3303", *sec]) == 0
    text = capsys.readouterr().out
    assert "温州市残疾人联合会（CDPF-330300）：不可读取，授权已到期" in text

    status, out = run_json(capsys, "sharing", "matrix", "--explain", "--org", "CDPF-330400",
                           "--resource", w.code, *sec)
    assert status == 0 and out["cell"]["reason"] == "revoked"
    assert out["grants"][0]["state"] == "revoked" and out["grants"][0]["reason"] == "协议终止"
    assert main(["sharing", "matrix", "--explain", "--org", "CDPF-330203", "--resource",
                 w.code, "--lang", "en", *sec]) == 0
    text = capsys.readouterr().out
    assert "by scope" in text and "Partly allowed" in text and "grade forbids" in text

    nb = _as(demo_db, accounts, monkeypatch, "data_admin", "330200", w.orgs["CDPF-330200"])
    assert main(["sharing", "matrix", "--org", "CDPF-330200", "--region", "3301", *nb]) == 0
    text = capsys.readouterr().out
    assert f"{w.whole} " in text and "可读取，有生效的共享授权" in text

    status, out = run_json(capsys, "sharing", "matrix", "--resource", w.code[:4], "--out",
                           str(tmp_path / "m.json"), *sec)
    assert status == 0 and out["resources"] >= 1
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["resources"]
    assert main(["sharing", "matrix", "--resource", w.code[:4], "--out",
                 str(tmp_path / "m.xlsx"), *sec]) == 0
    assert "已将" in capsys.readouterr().out and (tmp_path / "m.xlsx").stat().st_size > 0

    assert main(["sharing", "matrix", "--explain", "--org", "CDPF-330200", *sec]) == 2
    capsys.readouterr()
    viewer = _as(demo_db, accounts, monkeypatch, "viewer", "330100", w.orgs["CDPF-330100"])
    assert main(["sharing", "matrix", *viewer]) == 3
    capsys.readouterr()
    assert main(["sharing", "matrix", "--org", "NOPE-1", *sec]) == 1
    capsys.readouterr()
    assert main(["sharing", "matrix", "--explain", "--org", "CDPF-330300", "--resource",
                 w.code, *nb]) == 1  # another organisation's cell of another region: not found
