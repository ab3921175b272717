"""The five roles and what each may do (三员分立 + two working roles).

This table is the client-side statement of the rules; on PostgreSQL the same rules are enforced
by grants, row-level security and triggers (migration 0003), so a modified client gains nothing.
"""

from __future__ import annotations

import enum


class Role(str, enum.Enum):
    """A GovDesk role; the value is the code stored in ``users.role_code``."""

    SYSADMIN = "sysadmin"
    SECADMIN = "secadmin"
    AUDITOR = "auditor"
    DATA_ADMIN = "data_admin"
    VIEWER = "viewer"

    @property
    def is_admin_trio(self) -> bool:
        """True for the three separated administrators (system, security, audit)."""
        return self in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)


class Op(str, enum.Enum):
    """Every guarded service operation."""

    CATALOG_READ = "catalog.read"
    CATALOG_EDIT = "catalog.edit"
    CATALOG_REVIEW = "catalog.review"
    SAMPLES_READ = "samples.read"
    PERSONAL_DATA_UNMASKED = "personal.unmasked"
    CLASSIFICATION_EDIT = "classification.edit"
    SHARING_REQUEST = "sharing.request"
    SHARING_DECIDE = "sharing.decide"
    SECURITY_POLICY = "security.policy"
    USERS_MANAGE = "users.manage"
    ORGS_MANAGE = "orgs.manage"
    CONFIG_EDIT = "config.edit"
    BACKUP_MANAGE = "backup.manage"
    AUDIT_READ = "audit.read"
    AUDIT_EXPORT = "audit.export"
    AUDIT_ARCHIVE = "audit.archive"
    AUDIT_ANCHOR = "audit.anchor"
    ACCESS_LOG_READ = "access_log.read"


ALLOWED: dict[Op, frozenset[Role]] = {
    Op.CATALOG_READ: frozenset({Role.SECADMIN, Role.DATA_ADMIN, Role.VIEWER}),
    Op.CATALOG_EDIT: frozenset({Role.DATA_ADMIN}),
    Op.CATALOG_REVIEW: frozenset({Role.DATA_ADMIN, Role.SECADMIN}),
    # sample rows hold personal data: shown to cleared roles only (viewers get the metadata;
    # on PostgreSQL the database would give them masked rows only: migration 0015)
    Op.SAMPLES_READ: frozenset({Role.SECADMIN, Role.DATA_ADMIN}),
    Op.PERSONAL_DATA_UNMASKED: frozenset({Role.SECADMIN, Role.DATA_ADMIN}),
    Op.CLASSIFICATION_EDIT: frozenset({Role.SECADMIN}),
    Op.SHARING_REQUEST: frozenset({Role.DATA_ADMIN}),
    Op.SHARING_DECIDE: frozenset({Role.SECADMIN}),
    Op.SECURITY_POLICY: frozenset({Role.SECADMIN}),
    Op.USERS_MANAGE: frozenset({Role.SYSADMIN}),
    # the organisations directory (federations and departments that provide resources) is
    # system configuration: the system administrator keeps it (migration 0023)
    Op.ORGS_MANAGE: frozenset({Role.SYSADMIN}),
    Op.CONFIG_EDIT: frozenset({Role.SYSADMIN}),
    Op.BACKUP_MANAGE: frozenset({Role.SYSADMIN}),
    Op.AUDIT_READ: frozenset({Role.AUDITOR, Role.SECADMIN}),
    Op.AUDIT_EXPORT: frozenset({Role.AUDITOR, Role.SECADMIN}),
    Op.AUDIT_ARCHIVE: frozenset({Role.AUDITOR}),
    Op.AUDIT_ANCHOR: frozenset({Role.AUDITOR}),
    Op.ACCESS_LOG_READ: frozenset({Role.AUDITOR, Role.SECADMIN}),
}


def allowed(role: Role, op: Op) -> bool:
    """Whether ``role`` may perform ``op``."""
    return role in ALLOWED[op]
