"""The pgBackRest method without a server: the configuration written from a policy, what a
policy may not hold, the passphrase's sources, the achievable RPO, how the tool's failures
read, and the capability check where the tool is missing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from govdesk.backup import pgbackrest as pgbr
from govdesk.backup.pgbackrest.messages import COMMANDS
from govdesk.backup.pgbackrest.run import failure
from govdesk.backup.pgbackrest.status import parse_verify
from govdesk.errors import InputRejected


def policy(tmp_path: Path, **changes: object) -> pgbr.PgBackRestPolicy:
    base = dict(stanza="main", pg_data=Path("/var/lib/postgresql/15/main"),
                repos=(pgbr.Repo(tmp_path / "local", retention_full=3, retention_diff=6),
                       pgbr.Repo(Path("/mnt/offsite/govdesk"), offsite=True)),
                config_dir=tmp_path / "conf", key=pgbr.KeySource(key_file=tmp_path / "key"),
                os_user=None)
    base.update(changes)
    return pgbr.PgBackRestPolicy(**base)  # type: ignore[arg-type]


def test_the_configuration_follows_the_policy(tmp_path: Path) -> None:
    text = pgbr.render_config(policy(tmp_path))
    assert f"repo1-path={tmp_path / 'local'}" in text and "repo2-path=/mnt/offsite/govdesk" in text
    assert "repo1-retention-full=3" in text and "repo1-retention-diff=6" in text
    assert "repo2-retention-full=2" in text and "repo2-retention-diff" not in text
    assert text.count("cipher-type=aes-256-cbc") == 2 and "compress-type=zst" in text
    assert "[main]\npg1-path=/var/lib/postgresql/15/main\npg1-port=5432" in text
    assert "cipher-pass" not in text


def test_write_config_puts_the_passphrase_in_a_private_file_only(tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_text("s3cret passphrase\n")
    key.chmod(0o600)
    main = pgbr.write_config(policy(tmp_path))
    secret = tmp_path / "conf" / "conf.d" / "cipher.conf"
    assert "s3cret" not in main.read_text()
    assert secret.read_text() == ("[global]\nrepo1-cipher-pass=s3cret passphrase\n"
                                  "repo2-cipher-pass=s3cret passphrase\n")
    assert secret.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("changes", "field"), [
    ({"stanza": "a b"}, "stanza"), ({"stanza": "x\n[global]"}, "stanza"),
    ({"pg_data": Path("relative")}, "pg_data"),
    ({"repos": (pgbr.Repo(Path("/r\nrepo1-path=/etc")),)}, "repo1"),
    ({"repos": (pgbr.Repo(Path("/r"), retention_full=0),)}, "repo1.retention"),
    ({"compress_type": "xz"}, "compress_type"),
])
def test_a_policy_pgbackrest_cannot_take_is_refused_by_field(
        tmp_path: Path, changes: dict[str, object], field: str) -> None:
    with pytest.raises(InputRejected) as refused:
        pgbr.render_config(policy(tmp_path, **changes))
    assert refused.value.code == "pgbr_bad_value" and refused.value.params["field"] == field


def test_repository_count_is_checked(tmp_path: Path) -> None:
    with pytest.raises(InputRejected, match="at least one"):
        pgbr.render_config(policy(tmp_path, repos=()))
    with pytest.raises(InputRejected, match="at most 4"):
        pgbr.render_config(policy(tmp_path, repos=tuple(pgbr.Repo(Path(f"/r{i}"))
                                                        for i in range(5))))


def test_a_key_file_others_can_read_or_a_missing_key_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "key"
    with pytest.raises(InputRejected) as missing:
        pgbr.passphrase(pgbr.KeySource(key_file=key))
    assert missing.value.code == "pgbr_key_missing" and "密钥" in missing.value.text("zh")
    key.write_text("x\n")
    key.chmod(0o644)
    with pytest.raises(InputRejected) as open_file:
        pgbr.passphrase(pgbr.KeySource(key_file=key))
    assert open_file.value.code == "pgbr_key_file_open"
    key.chmod(0o600)
    assert pgbr.passphrase(pgbr.KeySource(key_file=key)) == "x"


def test_the_achievable_rpo_is_archive_timeout_plus_the_push(tmp_path: Path) -> None:
    assert pgbr.achievable_rpo(policy(tmp_path)) == timedelta(minutes=2)
    assert pgbr.achievable_rpo(policy(tmp_path, archive_timeout_s=300)) == timedelta(minutes=6)
    assert pgbr.achievable_rpo(policy(tmp_path, archive_timeout_s=0)) is None
    settings = pgbr.archive_settings(policy(tmp_path))
    assert settings["archive_mode"] == "on" and settings["archive_timeout"] == "60"
    assert settings["archive_command"].endswith("--stanza=main archive-push %p")


def test_restore_never_goes_over_the_live_cluster_or_a_full_directory(tmp_path: Path) -> None:
    live = tmp_path / "live"
    live.mkdir()
    with pytest.raises(InputRejected) as refused:
        pgbr.restore(policy(tmp_path, pg_data=live), live)
    assert refused.value.code == "pgbr_restore_live"
    full = tmp_path / "full"
    full.mkdir()
    (full / "PG_VERSION").write_text("15\n")
    with pytest.raises(InputRejected) as not_empty:
        pgbr.restore(policy(tmp_path, pg_data=live), full)
    assert not_empty.value.code == "pgbr_restore_not_empty"


def test_the_tools_failures_read_as_sentences() -> None:
    archive = failure(COMMANDS["check"], 82, "", "ERROR: [082]: WAL segment 0000000100000000"
                      "00000003 was not archived before the 60000ms timeout\n"
                      "       HINT: check the archive_command to ensure that all options are "
                      "correct\n")
    assert archive.code == "pgbr_archive_broken"
    assert "archive_command" in archive.text("zh") and "归档检查" in archive.text("zh")
    assert "HINT: check the archive_command" in archive.text("en")
    other = failure(COMMANDS["backup"], 55, "", "ERROR: [055]: unable to load info file "
                    "'/r/backup/x/backup.info':\n")
    assert other.code == "pgbr_failed" and other.params["code"] == "055"
    assert other.text("zh").startswith("pgBackRest 的备份失败（错误 055）：unable to load")
    locked = failure(COMMANDS["backup"], 50, "", "ERROR: [050]: unable to acquire lock\n")
    assert locked.code == "pgbr_locked"


def test_without_the_tool_the_method_is_not_offered_and_says_why() -> None:
    found = pgbr.capability("no-such-pgbackrest-program")
    assert not found.available and found.reason is not None
    assert found.reason.code == "pgbr_not_installed"
    assert "pgbackrest" in found.reason_text("zh") and "not installed" in found.reason_text("en")


def test_verify_output_with_damage_is_not_ok() -> None:
    result = parse_verify(2, "stanza: x\nstatus: error\n  backup: 1F, status: invalid\n",
                          "P01   INFO: invalid checksum '1F/pg_data/PG_VERSION.zst'\n")
    assert not result.ok and result.damaged == ("1F/pg_data/PG_VERSION.zst",)
    assert parse_verify(1, "stanza: x\nstatus: ok\n", "").ok


def test_the_passphrase_can_come_from_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    asked: list[tuple[str, str]] = []

    def get_password(service: str, name: str) -> str | None:
        asked.append((service, name))
        return "from the keyring" if name == "central" else None

    monkeypatch.setattr(keyring, "get_password", get_password)
    assert pgbr.passphrase(pgbr.KeySource(keyring_name="central")) == "from the keyring"
    assert asked == [("GovDesk-backup", "central")]
    with pytest.raises(InputRejected) as missing:
        pgbr.passphrase(pgbr.KeySource(keyring_name="other"))
    assert missing.value.params["where"] == "GovDesk-backup/other"
