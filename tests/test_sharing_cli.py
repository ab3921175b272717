"""``govdesk sharing …`` on both databases: a whole workflow from the command line, JSON shapes
and the usual exit codes (1 rejected input, 2 usage, 3 permission denied)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from typing import Any

import pytest
from sqlalchemy import text

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.db.models.sharing import grant_day


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _as(db: Database, accounts: Any, monkeypatch: pytest.MonkeyPatch, role: str,
        region: str, org: int) -> list[str]:
    who = accounts.add(role, region, org)
    if db.is_postgres:
        return ["--db", accounts.url_for(who.username)]
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    return ["--db", db.url, "--user", who.username]


def test_request_approve_list_show_revoke(demo_db: Database, accounts_for: Any,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    with demo_db.engine.connect() as c:
        code = c.execute(text(
            "SELECT r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id WHERE "
            "r.region_code LIKE '3301%' AND r.status = 'published' AND r.sharing_type = "
            "'unconditional' AND g.code = 'general1' ORDER BY r.id LIMIT 1")).scalar_one()
        none = c.execute(text("SELECT code FROM data_resources WHERE sharing_type = 'none' "
                              "AND status = 'published' LIMIT 1")).scalar_one()
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    accounts = accounts_for(demo_db)
    nb = _as(demo_db, accounts, monkeypatch, "data_admin", "330200", orgs["CDPF-330200"])
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "330100", orgs["CDPF-330100"])
    until = (grant_day() + dt.timedelta(days=60)).isoformat()

    status, out = run_json(capsys, "sharing", "request", code, "--until", until, "--purpose",
                           "statistics", "--items", "1,2", *nb)
    assert status == 0 and out["ok"] and out["grant"]["status"] == "requested"
    gid = out["grant"]["id"]
    assert len(out["grant"]["items"]) == 2 and not out["grant"]["all_items"]

    status, out = run_json(capsys, "sharing", "list", "--to-decide", *sec)
    assert status == 0 and gid in [g["id"] for g in out["grants"]]
    status, out = run_json(capsys, "sharing", "approve", str(gid), *nb)
    assert status == 3 and out["ok"] is False  # a data administrator never decides
    status, out = run_json(capsys, "sharing", "approve", str(gid), "--note", "同意", *sec)
    assert status == 0 and out["grant"]["state"] == "active"
    status, out = run_json(capsys, "sharing", "list", "--state", "active", "--mine", *nb)
    assert gid in [g["id"] for g in out["grants"]]
    assert {g["state"] for g in out["grants"]} == {"active"}
    status, out = run_json(capsys, "sharing", "show", str(gid), *nb)
    assert [e["to_status"] for e in out["events"]] == ["requested", "approved"]
    status, out = run_json(capsys, "sharing", "revoke", str(gid), "--reason", "", *sec)
    assert status == 1 and out["code"] == "grant_reason_required"
    status, out = run_json(capsys, "sharing", "revoke", str(gid), "--reason", "协议终止", *sec)
    assert status == 0 and out["grant"]["state"] == "revoked"
    status, out = run_json(capsys, "sharing", "expire-due", *sec)
    assert status == 0 and out["lapsed"] == []

    status, out = run_json(capsys, "sharing", "request", none, "--days", "30", "--purpose",
                           "statistics", *nb)
    assert status == 1 and out["code"] == "grant_resource_not_shared"
    status, out = run_json(capsys, "sharing", "request", code, "--purpose", "statistics", *nb)
    assert status == 2 and out["code"] == "sharing_until_or_days"
    status, out = run_json(capsys, "sharing", "offer", code, "--days", "30", "--purpose",
                           "statistics", "--scope", "33:x:y", *sec)
    assert status == 2 and out["code"] == "sharing_bad_scope"
    status, out = run_json(capsys, "sharing", "offer", code, "--days", "30", "--purpose",
                           "statistics", "--scope", "3302:federation:3", *sec)
    assert status == 0 and out["grant"]["scope"] == {
        "region_prefix": "3302", "org_kind": "federation", "org_level": 3}
    assert out["grant"]["grantee_label"] == "宁波市所有县级残疾人联合会"
    assert out["grant"]["state_label"] == "待审批（提供方发起）"


CJK = re.compile(r"[\u4e00-\u9fff]")
LOCAL_TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d"


def run_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_text_output_in_chinese_by_default_and_english_with_lang_en(
        demo_db: Database, accounts_for: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    with demo_db.engine.begin() as c:
        rid, code = c.execute(text(
            "SELECT r.id, r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id WHERE "
            "r.region_code LIKE '3301%' AND r.status = 'published' AND r.sharing_type = "
            "'conditional' AND g.code = 'general4' ORDER BY r.id LIMIT 1")).one()
        core_item = c.execute(text("SELECT name FROM data_items WHERE resource_id = :r "
                                   "ORDER BY seq DESC LIMIT 1"), {"r": rid}).scalar_one()
        core = c.execute(text("SELECT g.id, g.name FROM grades g JOIN grade_schemes s ON "
                              "s.id = g.scheme_id AND s.is_active WHERE g.code = 'core'")).one()
        c.execute(text("UPDATE data_items SET grade_id = :g WHERE resource_id = :r AND name = :n"),
                  {"g": core.id, "r": rid, "n": core_item})
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    accounts = accounts_for(demo_db)
    nb = _as(demo_db, accounts, monkeypatch, "data_admin", "330200", orgs["CDPF-330200"])
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "330100", orgs["CDPF-330100"])
    sec2 = _as(demo_db, accounts, monkeypatch, "secadmin", "330100", orgs["CDPF-330100"])
    until = (grant_day() + dt.timedelta(days=30)).isoformat()

    out = run_text(capsys, "sharing", "request", code, "--until", until, "--purpose",
                   "eligibility_check", "--purpose-text", "补贴资格比对", "--accept-conditions",
                   *nb)
    first, *left_out = out.splitlines()
    assert re.match(r"已申请：#(\d+) +", first), out
    gid = re.match(r"已申请：#(\d+)", first).group(1)  # type: ignore[union-attr]
    assert "待审批（申请）" in first and f"{grant_day()} 至 {until}" in first
    assert re.search(r"\d+ 个信息项$", first) and "items" not in first
    assert left_out == [f"  未包含：{core_item}（分级“{core.name}”，其分级不允许此共享类型）"]

    out = run_text(capsys, "sharing", "approve", gid, *sec)
    assert out.startswith("已完成第一人审批，还需另一位安全管理员批准：") and "待第二人审批" in out
    out = run_text(capsys, "sharing", "approve", gid, "--lang", "en", *sec2)
    assert out.startswith(f"Approved: #{gid} ") and " Active " in out and " … " in out
    assert f"  left out: {core_item} (grade {core.name}: its grade does not allow" in out

    listed = run_text(capsys, "sharing", "list", "--mine", *nb)
    line = next(x for x in listed.splitlines() if x.startswith(f"#{gid} "))
    assert "生效中" in line and "宁波" not in line.split("→")[0]
    assert run_text(capsys, "sharing", "list", "--state", "revoked", *nb) == "没有共享授权。\n"
    assert run_text(capsys, "sharing", "list", "--state", "revoked", "--lang", "en",
                    *nb) == "No grants.\n"

    shown = run_text(capsys, "sharing", "show", gid, *nb).splitlines()
    assert "生效中" in shown[0] and shown[1].startswith("  资源：")
    assert "共享方式：共享平台方式；用途：资格审核比对" in shown[1]
    assert "  用途说明：补贴资格比对" in shown and "  历史：" in shown
    history = shown[shown.index("  历史：") + 1:]
    assert len(history) == 3
    assert re.fullmatch(rf"  {LOCAL_TIME}  \S+（数据管理员）：状态 新建 → 待审批（申请）", history[0])
    assert re.fullmatch(rf"  {LOCAL_TIME}  \S+（安全管理员）：状态 待审批（申请） → 待第二人审批",
                        history[1])
    assert history[2].endswith("（安全管理员）：状态 待第二人审批 → 已批准")
    shown_en = run_text(capsys, "sharing", "show", gid, "--lang", "en", *nb)
    assert re.search(rf"  {LOCAL_TIME}  \S+ \(Data administrator\): new → Requested\n", shown_en)
    assert "(Security administrator): Awaiting the second approval → Approved" in shown_en
    assert "method: Sharing platform; purpose: Eligibility check" in shown_en
    for word in ("历史", "生效中", "数据管理员", "未包含", "用途", "个信息项"):
        assert word not in shown_en

    status, js = run_json(capsys, "sharing", "show", gid, *nb)
    assert js["grant"]["state"] == "active" and js["grant"]["state_label"] == "生效中"
    assert js["grant"]["exclusions"] == [{"item": core_item, "grade": core.name,
                                          "reason": "grade_forbids_sharing",
                                          "reason_label": "其分级不允许此共享类型"}]
    assert [(e["to_status"], e["to_label"], e["actor_role"], e["actor_role_label"])
            for e in js["events"]][0] == ("requested", "待审批（申请）", "data_admin", "数据管理员")

    out = run_text(capsys, "sharing", "revoke", gid, "--reason", "协议终止", *sec)
    assert out.startswith(f"已撤销：#{gid} ") and "已撤销" in out.splitlines()[0][6:]
    assert run_text(capsys, "sharing", "expire-due", *sec) == "已将 0 个逾期未审的申请标记为失效。\n"


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


ACTIONS = ("request", "offer", "renew", "approve", "reject", "revoke", "release", "list",
           "show", "expire-due")


def test_the_help_in_chinese_by_default_and_english_on_request(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from govdesk.cli.argparse_zh import width

    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    top = _help(capsys)
    assert "数据共享授权" in top
    zh = _help(capsys, "sharing")
    assert zh.startswith("用法： govdesk sharing") and all(f"    {a} " in zh for a in ACTIONS)
    assert "批准待审批的授权" in zh and "show this help" not in zh
    for action in ACTIONS:
        text = _help(capsys, "sharing", action)
        assert text.startswith(f"用法： govdesk sharing {action}"), text
        assert all(width(line) <= 80 for line in text.splitlines() if CJK.search(line)), text
    request = "".join(_help(capsys, "sharing", "request").split())
    assert "位置参数：" in request and "数据资源的代码" in request
    assert "statistics统计分析" in request and "有效期的最后一天" in request
    assert "共享授权的编号" in _help(capsys, "sharing", "show")
    for action in ("", *ACTIONS):
        en = _help(capsys, "--lang", "en", "sharing", *([action] if action else []))
        assert en.startswith("usage: govdesk sharing") and not CJK.search(en), en
    en = " ".join(_help(capsys, "--lang", "en", "sharing", "offer").split())
    assert "every organisation in a scope" in en and "statistics (Statistics and analysis)" in en


def _sharing_actions(lang: str) -> dict[str, list[argparse.Action]]:
    from govdesk.cli import build_parser

    def sub(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
        found = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return found.choices[name]  # type: ignore[no-any-return]

    top = sub(build_parser(lang), "sharing")
    return {name: sub(top, name)._actions for name in ACTIONS}


def test_every_option_and_positional_has_its_help_in_both_languages() -> None:
    for lang, check in (("zh", lambda h: CJK.search(h)), ("en", lambda h: not CJK.search(h))):
        for name, actions in _sharing_actions(lang).items():
            for action in actions:
                if isinstance(action, argparse._HelpAction):
                    continue  # argparse's own words, translated as the help is printed
                assert isinstance(action.help, str) and action.help, (lang, name, action.dest)
                assert check(action.help), (lang, name, action.dest, action.help)
