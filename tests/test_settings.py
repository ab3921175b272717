"""The typed settings registry: declared once, matched by what the migrations seed on both
databases, checked on save with a clear message, and read by the services and the interface."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security.settings import list_settings, read_setting, update_setting
from govdesk.settings import (
    AUDIT_RETENTION_DAYS,
    IDLE_LOCK_MINUTES,
    LANGUAGE,
    PROFILE_REMEMBER,
    REGISTRY,
    SITE_NAME,
    SPLITTERS,
    Scope,
    database_settings,
)

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "govdesk" / "db" / "migrations" / "versions"


def test_a_freshly_migrated_database_holds_exactly_the_declared_settings(db: Database) -> None:
    with db.engine.connect() as c:
        rows = {r.key: (r.value, r.scope) for r in c.execute(text(
            "SELECT key, value, scope FROM settings"))}
    declared = {s.key: (s.format(s.default), s.section) for s in database_settings()}  # type: ignore[arg-type]
    assert rows == declared
    for s in database_settings():  # each seeded value is valid for its declared type and range
        assert s.parse(rows[s.key][0]) == s.default


def test_the_migrations_fall_back_to_the_declared_defaults() -> None:
    """The SQL functions of the migrations read settings with a frozen default of their own
    (``govdesk_setting_int('security.lockout_attempts', 5)``); each must be the registry's."""
    found = 0
    for path in sorted(MIGRATIONS.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for key, default in re.findall(r"govdesk_setting_int\('([\w.]+)',\s*(\d+)\)", source) + \
                re.findall(r"WHERE key = '([\w.]+)'\),\s*(\d+)\)", source):
            found += 1
            assert key in REGISTRY and REGISTRY[key].scope is Scope.DATABASE, (path.name, key)
            assert int(default) == REGISTRY[key].default, (path.name, key)
    assert found >= 10


def test_a_setting_key_is_written_only_in_the_registry() -> None:
    """No service, panel or window spells a key (or calls QSettings) itself: they all go
    through the declarations."""
    keys = set(REGISTRY) | {s.key[:-1] for s in REGISTRY.values() if s.key.endswith("/*")}
    offenders = []
    for path in sorted((ROOT / "govdesk").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "migrations" in rel or rel == "govdesk/settings.py":
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value in keys:
                offenders.append(f"{rel}:{node.lineno}: {node.value!r}")
        if "QSettings(" in source and rel != "govdesk/ui/local_settings.py":
            offenders.append(f"{rel}: QSettings used directly")
    assert offenders == []


@pytest.mark.parametrize(("setting", "raw", "expected"), [
    (IDLE_LOCK_MINUTES, " 030 ", 30), (IDLE_LOCK_MINUTES, 480, 480),
    (PROFILE_REMEMBER, "true", True), (PROFILE_REMEMBER, "0", False),
    (LANGUAGE, "en", "en"), (SITE_NAME, " 杭州市残联 ", "杭州市残联"),
])
def test_values_are_parsed_to_their_type(setting, raw, expected) -> None:  # type: ignore[no-untyped-def]
    assert setting.parse(raw) == expected


@pytest.mark.parametrize(("setting", "raw", "code", "zh"), [
    (IDLE_LOCK_MINUTES, "0", "setting_not_int", "必须是 1 到 480 之间的整数，不能是“0”"),
    (IDLE_LOCK_MINUTES, "15.5", "setting_not_int", "不能是“15.5”"),
    (AUDIT_RETENTION_DAYS, "90", "setting_not_int", "180 到 36500"),
    (PROFILE_REMEMBER, "maybe", "setting_not_bool", "只能是 true 或 false"),
    (LANGUAGE, "fr", "setting_not_choice", "只能取：zh_CN, en"),
    (SITE_NAME, " ", "setting_empty", "不能为空"),
    (SITE_NAME, "x" * 201, "setting_too_long", "最多 200 个字符"),
])
def test_a_refused_value_says_which_setting_and_what_it_takes(setting, raw, code, zh) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputRejected) as refused:
        setting.parse(raw)
    assert refused.value.code == code and zh in refused.value.text("zh")
    assert setting.label.zh in refused.value.text("zh") and setting.key in str(refused.value)
    assert setting.label.en in str(refused.value)


def test_a_stored_value_that_is_no_longer_valid_reads_as_the_default() -> None:
    assert IDLE_LOCK_MINUTES.read("lots") == 15 and IDLE_LOCK_MINUTES.read(None) == 15
    assert IDLE_LOCK_MINUTES.read("9999") == 15 and IDLE_LOCK_MINUTES.read("20") == 20
    assert SPLITTERS.local_key("catalogSplitter") == "splitters/catalogSplitter"


def test_saving_checks_the_declaration_and_stores_canonically(db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(db)
    sec_db, sec = accounts.login("secadmin")
    sys_db, sysadmin = accounts.login("sysadmin")
    info = update_setting(sec_db, sec, IDLE_LOCK_MINUTES.key, " 020 ")
    assert info.value == "20"
    with db.session() as s:
        assert read_setting(s, IDLE_LOCK_MINUTES) == 20
    with pytest.raises(InputRejected, match="from 180 to 36500") as refused:
        update_setting(sec_db, sec, AUDIT_RETENTION_DAYS.key, "30")
    assert "审计记录至少保留多少天" in refused.value.text("zh")
    with pytest.raises(InputRejected) as unknown:
        update_setting(sec_db, sec, "security.nothing", "1")
    assert unknown.value.code == "no_such_setting"
    with pytest.raises(InputRejected):  # a local setting is not in the database
        update_setting(sec_db, sec, LANGUAGE.key, "en")
    with pytest.raises(PermissionDenied):  # the system administrator's, not the security one's
        update_setting(sec_db, sec, SITE_NAME.key, "杭州市残联")
    assert update_setting(sys_db, sysadmin, SITE_NAME.key, " 杭州市残联 ").value == "杭州市残联"
    assert {s.key for s in list_settings(sys_db, sysadmin)} == {
        s.key for s in database_settings()}
    with db.session() as s:  # the refused values changed nothing
        assert read_setting(s, AUDIT_RETENTION_DAYS) == 180


def test_local_settings_round_trip_through_the_declarations(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from govdesk.ui import local_settings

    QSettings().clear()
    assert local_settings.read(PROFILE_REMEMBER) is False and local_settings.read(LANGUAGE) == "zh_CN"
    local_settings.write(PROFILE_REMEMBER, True)
    local_settings.write(SPLITTERS, b"\x00\x01", "catalogSplitter")
    QSettings().sync()
    assert local_settings.read(PROFILE_REMEMBER) is True
    assert local_settings.read(SPLITTERS, "catalogSplitter") == b"\x00\x01"
    with pytest.raises(InputRejected):
        local_settings.write(LANGUAGE, "fr")
    QSettings().setValue(LANGUAGE.key, "klingon")  # edited by hand: the default again
    assert local_settings.read(LANGUAGE) == "zh_CN"
    QSettings().clear()
