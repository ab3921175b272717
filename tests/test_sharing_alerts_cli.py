"""``govdesk sharing alerts`` and ``expire-due`` on both databases (real logins on PostgreSQL):
exit code 6 when alerts exist, 0 when none, 1/2/3 as everywhere; JSON with labels; Chinese
text by default, English with ``--lang en``; expire-due lists the reminders due."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.db.models.sharing import grant_day
from govdesk.errors import EXIT_ALERTS
from test_sharing_cli import _as, run_json


def test_alerts_exit_codes_json_and_text(demo_db: Database, accounts_for: Any,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    with demo_db.engine.connect() as c:
        code = c.execute(text(
            "SELECT r.code FROM data_resources r JOIN grades g ON g.id = r.grade_id WHERE "
            "r.region_code LIKE '3301%' AND r.status = 'published' AND r.sharing_type = "
            "'unconditional' AND g.code = 'general1' ORDER BY r.id LIMIT 1")).scalar_one()
        orgs = dict(c.execute(text("SELECT code, id FROM organisations")).all())
    accounts = accounts_for(demo_db)
    nb = _as(demo_db, accounts, monkeypatch, "data_admin", "330200", orgs["CDPF-330200"])
    sec = _as(demo_db, accounts, monkeypatch, "secadmin", "330100", orgs["CDPF-330100"])
    viewer = _as(demo_db, accounts, monkeypatch, "viewer", "330200", orgs["CDPF-330200"])
    status, out = run_json(capsys, "sharing", "request", code, "--days", "5", "--purpose",
                           "statistics", *nb)
    gid = out["grant"]["id"]
    assert run_json(capsys, "sharing", "approve", str(gid), *sec)[0] == 0

    status, out = run_json(capsys, "sharing", "alerts", *nb)
    mine = [a for a in out["alerts"] if a["grant_id"] == gid]
    assert status == EXIT_ALERTS == 6 and out["count"] == len(out["alerts"])
    assert [(a["kind"], a["action"], a["actor"], a["days"]) for a in mine] == [
        ("expiring", "renew", "grantee_admin", 4)]
    assert mine[0]["kind_label"] == "即将到期" and mine[0]["actor_label"] == "被授权单位的数据管理员"
    assert mine[0]["due"] == (grant_day() + dt.timedelta(days=4)).isoformat()
    status, out = run_json(capsys, "sharing", "alerts", "--kind", "unused", *nb)
    assert (status, out["alerts"]) == (0, [])
    status, out = run_json(capsys, "sharing", "alerts", "--days", "-1", *nb)
    assert status == 1 and out["code"] == "alert_bad_days"
    assert run_json(capsys, "sharing", "alerts", *viewer)[0] == 3
    with pytest.raises(SystemExit) as usage:
        main(["sharing", "alerts", "--kind", "soon", *nb])
    assert usage.value.code == 2
    capsys.readouterr()

    assert main(["sharing", "alerts", "--kind", "expiring", *nb]) == EXIT_ALERTS
    zh = capsys.readouterr().out
    assert f"#{gid} 即将到期：{code}" in zh and "须由被授权单位的数据管理员申请续期。" in zh
    assert "条共享提醒" in zh
    assert main(["sharing", "alerts", "--kind", "expiring", "--lang", "en", *nb]) == EXIT_ALERTS
    en = capsys.readouterr().out
    assert f"#{gid} Ending soon: {code}" in en and "the grantee's data administrators should " \
        "ask for a renewal." in en

    status, out = run_json(capsys, "sharing", "expire-due", *sec)
    assert status == 0 and gid in [a["grant_id"] for a in out["reminders"]]
    assert main(["sharing", "expire-due", *sec]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "到期提醒：" in lines and any(line.startswith(f"#{gid} 即将到期") for line in lines)
