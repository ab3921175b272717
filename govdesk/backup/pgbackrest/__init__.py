"""pgBackRest as a backup method (issue 16): physical backups of a PostgreSQL cluster with
continuous WAL archiving and point-in-time recovery.

- :mod:`.config`: the policy (:class:`PgBackRestPolicy`: repositories local and off-site,
  retention, cipher, compression), the configuration files written from it, the server
  settings that archive WAL (:func:`archive_settings`) and the RPO they achieve
  (:func:`achievable_rpo`);
- :mod:`.run`: running the tool (as the cluster's OS user, with a time limit, its errors as
  messages in both languages) and :func:`capability` (installed? why not);
- :mod:`.commands`: ``stanza-create``, ``backup``, ``check``, ``verify``, ``info``,
  ``restore``; :mod:`.status`: what ``info`` and ``verify`` say, as dataclasses.

Self-contained: the backup core's method interface wraps these functions (as services of
``Op.BACKUP_MANAGE`` / ``Op.BACKUP_READ``); nothing here touches GovDesk's database.
"""

from govdesk.backup.pgbackrest import messages as messages  # registers the message codes
from govdesk.backup.pgbackrest.commands import (
    KINDS,
    RestoreResult,
    backup,
    check,
    info,
    restore,
    stanza_create,
    verify,
)
from govdesk.backup.pgbackrest.config import (
    KeySource,
    PgBackRestPolicy,
    Repo,
    achievable_rpo,
    archive_settings,
    passphrase,
    render_config,
    write_config,
)
from govdesk.backup.pgbackrest.run import Capability, PgBackRestError, capability
from govdesk.backup.pgbackrest.status import BackupSet, StanzaStatus, VerifyResult

__all__ = ["KINDS", "BackupSet", "Capability", "KeySource", "PgBackRestError",
           "PgBackRestPolicy", "Repo", "RestoreResult", "StanzaStatus", "VerifyResult",
           "achievable_rpo", "archive_settings", "backup", "capability", "check", "info",
           "passphrase", "render_config", "restore", "stanza_create", "verify", "write_config"]
