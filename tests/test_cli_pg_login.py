"""The CLI on PostgreSQL logs in as the GUI does, through the login gate, and says in words
why a login is refused: locked, deactivated, or not a user of this database (never the
server's raw message). Real logins; the test server trusts its clients, so a wrong password
cannot be shown here: the gate's counting is tested in test_login_gate.py."""

from __future__ import annotations

import pytest

from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.security import gate
from govdesk.security.users import deactivate_user

pytestmark = pytest.mark.postgres


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main([*argv, "--lang", "en"])
    captured = capsys.readouterr()
    text = captured.err + captured.out
    assert "Traceback" not in text and "FATAL" not in text and "psycopg2" not in text, text
    return code, text


def test_a_locked_account_is_refused_by_the_gate(pg_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    accounts = accounts_for(pg_db)
    user = accounts.add("data_admin", region="330100")
    url = accounts.url_for(user.username)
    code, text = run(capsys, "users", "anomalies", "--db", url)  # logs in: allowed, denied op
    assert code == 3 and "locked" not in text
    for _ in range(5):
        gate.report_failure(url, user.username, "cli-test")
    code, text = run(capsys, "catalog", "export", "/tmp/never.xlsx", "--db", url)
    assert code == 3 and f"The account {user.username} is locked until" in text


def test_a_deactivated_account_is_told_so(pg_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                          capsys: pytest.CaptureFixture[str]) -> None:
    accounts = accounts_for(pg_db)
    user = accounts.add("viewer")
    url = accounts.url_for(user.username)
    deactivate_user(accounts.admin_db(), accounts._admin, user.username)
    code, text = run(capsys, "users", "list", "--db", url)
    assert code == 3 and (f"There is no login {user.username}" in text
                          or "locked or deactivated" in text)


def test_a_login_of_another_database(pg_db: Database, pg_demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                     capsys: pytest.CaptureFixture[str]) -> None:
    accounts = accounts_for(pg_db)
    user = accounts.add("data_admin")
    other = pg_demo_db.engine.url.set(username=user.username, password=accounts.PASSWORD) \
        .render_as_string(hide_password=False)
    code, text = run(capsys, "users", "list", "--db", other)
    assert code == 3
    assert f"{user.username} is not a user of the database {pg_demo_db.engine.url.database}" \
        in text
