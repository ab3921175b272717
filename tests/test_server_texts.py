"""The server's own refusals read in Chinese: every ``RAISE EXCEPTION`` text of the migrations
has its translation, and a refusal PostgreSQL really raises reaches the user translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govdesk.db.server_texts import SERVER_TEXTS, server_text

VERSIONS = Path(__file__).resolve().parents[1] / "govdesk" / "db" / "migrations" / "versions"
_RAISE = re.compile(r"RAISE EXCEPTION\s+((?:'(?:[^']|'')*'\s*)+)", re.S)
_FORMAT = re.compile(r"format\(\s*((?:'(?:[^']|'')*'\s*)+),", re.S)


def _literal(chunk: str) -> str:
    return "".join(re.findall(r"'((?:[^']|'')*)'", chunk)).replace("''", "'")


def _is_message(text: str) -> bool:
    """A format() text that is a message for a person, not a piece of SQL."""
    return (not re.search(r"%I|%L|%\d\$", text) and not text.startswith(" ")
            and not re.match(r"[A-Z]{3,} |EXISTS|[a-z]\.|%s %s", text))


def _migration_texts() -> set[str]:
    texts: set[str] = set()
    for path in sorted(VERSIONS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        texts.update(_literal(m.group(1)) for m in _RAISE.finditer(source))
        # the messages built with format() that a RAISE '%' passes on (0014's 就高从严)
        texts.update(t for m in _FORMAT.finditer(source) if _is_message(t := _literal(m.group(1))))
    texts.discard("%")  # passes on a message built elsewhere (one of the format() texts)
    return texts


def test_every_raise_text_of_the_migrations_has_its_chinese() -> None:
    missing = sorted(_migration_texts() - set(SERVER_TEXTS))
    assert not missing, f"server texts without a Chinese translation: {missing}"


def _sample(fmt: str) -> str:
    """A line as the server would format it from ``fmt``."""
    n = iter(range(1, 100))
    return re.sub(r"%s|%|@[A-Z_]+@", lambda _m: f"ARG{next(n)}", fmt)


@pytest.mark.parametrize("fmt", sorted(SERVER_TEXTS))
def test_each_text_translates_with_its_arguments(fmt: str) -> None:
    line = _sample(fmt)
    text = server_text(line)
    assert text.en == line
    assert text.zh != line and re.search(r"[\u4e00-\u9fff]", text.zh), text.zh
    for arg in re.findall(r"ARG\d+", line):
        assert arg in text.zh, f"{arg} lost in {text.zh!r}"


def test_arguments_that_are_words_are_translated_too() -> None:
    text = server_text("A data_admin may not approve resource 101/000001 "
                       "(registration_review to publication_review).")
    assert text.zh == "数据管理员不能审核通过资源 101/000001（“注册审核”→“发布审核”）。"
    nested = server_text("The grade of data item 身份证号 of resource 101/000001 cannot go down "
                         "from 核心 to 一般: a data administrator only raises grades; a security "
                         "administrator re-grades.")
    assert nested.zh.startswith("资源 101/000001 的数据项 身份证号的分级不能从 核心 降为 一般")


def test_an_unknown_line_is_kept_as_the_server_wrote_it() -> None:
    text = server_text("FEHLER: Zugriff verweigert")
    assert text.zh == text.en == "FEHLER: Zugriff verweigert"


def test_the_ticket_text_with_its_minutes_put_in() -> None:
    line = ("permission denied: no valid unmask ticket (from govdesk_unmask_request, committed "
            "in an earlier transaction, for this resource and purpose, at most 10 minutes old)")
    assert "不超过 10 分钟" in server_text(line).zh


def test_a_refusal_renders_in_the_users_language() -> None:
    from govdesk.db.engine import refusal

    class Diag:
        message_primary = 'new row violates row-level security policy for table "data_items"'
        message_detail = None
        table_name = "data_items"
        constraint_name = None

    class Refused(Exception):
        pgcode = "42501"
        diag = Diag()

    error = refusal(Refused(Diag.message_primary))
    assert error is not None
    assert error.text("zh") == ("数据库拒绝了您的账号执行此操作："
                                   "这一行超出了您的账号可写的范围（数据表“数据项”的行级安全策略）")
    assert "row-level security policy" in error.text("en")


def test_postgresql_refusals_reach_a_real_login_in_chinese(pg_demo_db, accounts_for) -> None:  # type: ignore[no-untyped-def]
    """As a real viewer and a real data administrator: what PostgreSQL itself refuses (a grant,
    a working rule of 0014) reads in Chinese, with the server's English kept for the log."""
    from sqlalchemy import text as sql

    from govdesk.errors import GovDeskError, InputRejected, PermissionDenied

    accounts = accounts_for(pg_demo_db)
    viewer_db, _viewer = accounts.login("viewer")
    with pytest.raises(PermissionDenied) as refused, viewer_db.session() as s:
        s.execute(sql("UPDATE users SET is_active = false"))
    assert "没有访问数据表“用户”的权限" in refused.value.text("zh")
    assert "permission denied for table users" in refused.value.text("en")

    admin_db, _admin = accounts.login("data_admin", region="33")
    with pytest.raises(GovDeskError) as breach, admin_db.session() as s:
        code = s.execute(sql("SELECT code FROM data_resources WHERE status = 'draft' "
                             "LIMIT 1")).scalar_one()
        s.execute(sql("UPDATE data_resources SET status = 'published' WHERE code = :c"),
                  {"c": code})
    assert isinstance(breach.value, (InputRejected, PermissionDenied))
    zh = breach.value.text("zh")
    assert f"资源 {code} 不能从“草稿”变为“发布”" in zh, zh
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", zh.split("：", 1)[1]), zh


@pytest.mark.parametrize(("line", "words"), [
    ('connection to server at "127.0.0.1", port 1 failed: Connection refused',
     ["127.0.0.1", "端口 1", "连接被拒绝"]),
    ('connection to server at "db", port 5432 failed: FATAL:  database "nonexistdb" does not '
     'exist', ["数据库“nonexistdb”不存在"]),
    ('connection to server at "db", port 5432 failed: FATAL:  role "nouser" does not exist',
     ["登录名“nouser”"]),
    ('could not translate host name "nohost.invalid" to address: Name or service not known',
     ["nohost.invalid", "名称或服务未知"]),
    ("unable to open database file", ["无法打开数据库文件"]),
])
def test_connection_failures_read_in_chinese(line: str, words: list[str]) -> None:
    zh = server_text(line).zh
    assert all(w in zh for w in words), zh
    assert "failed" not in zh and "FATAL" not in zh


def test_a_refused_connection_reaches_the_cli_in_chinese(capsys) -> None:  # type: ignore[no-untyped-def]
    from govdesk.cli import main

    assert main(["--db", "postgresql+psycopg2://x@127.0.0.1:1/none", "db", "status"]) != 0
    err = capsys.readouterr().err
    assert "连接被拒绝" in err and "Connection refused" not in err, err
