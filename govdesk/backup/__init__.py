"""Backup and disaster recovery (备份与容灾, issue 16): GB/T 20988 policies that know what each
grade needs, encrypted backups with a manifest, run headless, proved by restoring them, and
point-in-time recovery through pgBackRest where the level demands it.

- :mod:`.policy`: levels, defaults, the honest capability (achievable RPO; refusals with the
  reason), cron schedules; :mod:`.policies`: the policy services;
- :mod:`.method`: the :class:`~.method.Method` protocol every method implements (``pg_dump`` in
  :mod:`.pg`, ``sqlite`` in :mod:`.sqlite`, ``pgbackrest`` in :mod:`.pgbackrest` from its own
  lane) and the registry;
- :mod:`.container` (zstd + AES-256-GCM chunks), :mod:`.keys` (keyring or 0600 key files),
  :mod:`.manifest` (signed, written last), :mod:`.targets` (each directory checked);
- :mod:`.runner` (run, run-due; atomic, kill-safe), :mod:`.verify` (verify and restore drill),
  :mod:`.restore`, :mod:`.retention` (pure) and :mod:`.prune`, :mod:`.health` (health and
  compliance), :mod:`.store` (dataclasses returned, job history);
- :mod:`.messages`: what they say.

Services return dataclasses and take ``progress`` where long (GUI-ready); nothing here imports
Qt. The tables are in :mod:`govdesk.db.models.backup` (migration 0038).
"""

from govdesk.backup import messages as messages  # registers the backup message codes
