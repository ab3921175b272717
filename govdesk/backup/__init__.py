"""Backup and disaster recovery (备份与容灾, issue 16): GB/T 20988 policies that know what each
grade needs, encrypted backups with a manifest, run headless, proved by restoring them, and
point-in-time recovery through pgBackRest where the level demands it.
"""

from govdesk.backup import messages as messages  # registers the backup message codes
