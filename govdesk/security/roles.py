"""The five roles and what each may do (三员分立 + two working roles).

This table is the client-side statement of the rules; on PostgreSQL the same rules are enforced
by grants, row-level security and triggers (migration 0003), so a modified client gains nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from govdesk.messages import Text, lang_code
from govdesk.vocab import ROLE


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
    ACCESS_LOG_REVIEW = "access_log.review"
    ACCESS_LOG_IMPORT = "access_log.import"
    MONITOR_READ = "monitor.read"
    MONITOR_ALERTS = "monitor.alerts"
    MONITOR_RULES = "monitor.rules"
    BACKUP_READ = "backup.read"


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
    # reviewing the access log (marking events reviewed, triaging alerts, tuning the rules,
    # importing external logs) is the security administrator's work; the auditor reads it
    Op.ACCESS_LOG_REVIEW: frozenset({Role.SECADMIN}),
    Op.ACCESS_LOG_IMPORT: frozenset({Role.SECADMIN}),
    Op.MONITOR_READ: frozenset({Role.SECADMIN, Role.AUDITOR}),
    Op.MONITOR_ALERTS: frozenset({Role.SECADMIN}),
    Op.MONITOR_RULES: frozenset({Role.SECADMIN}),
    # the system administrator runs backups; the security administrator checks that each
    # grade's disaster-recovery level is met (compliance and health, never the keys)
    Op.BACKUP_READ: frozenset({Role.SYSADMIN, Role.SECADMIN}),
}


def allowed(role: Role, op: Op) -> bool:
    """Whether ``role`` may perform ``op``."""
    return role in ALLOWED[op]


@dataclass(frozen=True)
class OpLabel(Text):
    """The name of an operation in both languages, knowing its code (``op``) for whoever
    needs it machine-readable (the CLI's JSON output)."""

    op: str = ""


def _labels(table: dict[Op, tuple[str, str]]) -> dict[Op, OpLabel]:
    return {op: OpLabel(zh, en, op.value) for op, (zh, en) in table.items()}


#: what each operation is called where a person reads it (a refusal, a role's rights)
OP_LABELS: dict[Op, OpLabel] = _labels({
    Op.CATALOG_READ: ("查看数据资源目录", "view the data-resource catalogue"),
    Op.ORGS_MANAGE: ("管理组织机构目录", "manage the organisations directory"),
    Op.CATALOG_EDIT: ("编辑数据资源目录", "edit the data-resource catalogue"),
    Op.CATALOG_REVIEW: ("审核数据资源", "review data resources"),
    Op.SAMPLES_READ: ("查看样例数据", "view sample rows"),
    Op.PERSONAL_DATA_UNMASKED: ("查看未脱敏的个人信息", "see personal data unmasked"),
    Op.CLASSIFICATION_EDIT: ("管理分类分级", "manage classification and grading"),
    Op.SHARING_REQUEST: ("申请数据共享", "request data sharing"),
    Op.SHARING_DECIDE: ("审批数据共享", "decide on data sharing"),
    Op.SECURITY_POLICY: ("设置安全策略", "set the security policy"),
    Op.USERS_MANAGE: ("管理用户账号", "manage user accounts"),
    Op.CONFIG_EDIT: ("修改系统设置", "change system settings"),
    Op.BACKUP_MANAGE: ("管理备份", "manage backups"),
    Op.AUDIT_READ: ("查看审计日志", "read the audit trail"),
    Op.AUDIT_EXPORT: ("导出审计日志", "export the audit trail"),
    Op.AUDIT_ARCHIVE: ("归档审计日志", "archive the audit trail"),
    Op.AUDIT_ANCHOR: ("签署审计锚点", "sign audit anchors"),
    Op.ACCESS_LOG_READ: ("查看数据访问记录", "read the data access log"),
    Op.ACCESS_LOG_REVIEW: ("审查数据访问记录", "review the data access log"),
    Op.ACCESS_LOG_IMPORT: ("导入外部访问日志", "import external access logs"),
    Op.MONITOR_READ: ("查看监测看板", "view the monitoring dashboard"),
    Op.MONITOR_ALERTS: ("处置监测告警", "triage monitoring alerts"),
    Op.MONITOR_RULES: ("设置监测规则", "set the monitoring rules"),
    Op.BACKUP_READ: ("查看备份合规与健康状况", "view backup compliance and health"),
})


def role_label(role: Role | str | None, lang: str = "zh") -> str:
    """The name of ``role`` (a :class:`Role` or its code) in ``lang``, from
    :data:`govdesk.vocab.ROLE`; "" for None, an unknown code as is."""
    if role is None:
        return ""
    return ROLE.label(role.value if isinstance(role, Role) else role, lang_code(lang))


def op_label(op: Op | str, lang: str = "zh") -> str:
    """What ``op`` (an :class:`Op` or its code) is called in ``lang``; an unknown code as is."""
    try:
        return OP_LABELS[Op(op)].text(lang)
    except ValueError:
        return str(op)


def roles_allowed(op: Op, *others: Op) -> Text:
    """The names of the roles that may perform ``op`` (or any of ``others``), in the order of
    :class:`Role`, in both languages ("数据管理员、安全管理员" / "Data administrator, Security
    administrator")."""
    roles = [r for r in Role if any(r in ALLOWED[o] for o in (op, *others))]
    return Text("、".join(role_label(r, "zh") for r in roles),
                ", ".join(role_label(r, "en") for r in roles))
