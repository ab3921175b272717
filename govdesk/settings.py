"""The typed settings registry: every setting GovDesk has, declared once (as MusicBrainz Picard
declares its options).

A :class:`Setting` says its key, where it lives (:class:`Scope`: a row of the database's
``settings`` table, shared by every client, or this computer's Qt settings), its type, default,
allowed range or choices, and a label in Chinese and English. Everyone reads it from here:

- the services (``security/settings.py`` reads and changes database settings, checked against
  :meth:`Setting.parse`; ``security/auth.py`` and ``audit_read.py`` read their values);
- the settings panel (``ui/admin/settings_panel.py``), which builds an editor per setting (a spin
  box with the range, a line edit with the length...) labelled in the interface language;
- the interface's local settings (``ui/local_settings.py``: language, the last login, window
  layout).

Migrations never import application code, so the seed rows of migration 0003 stay a frozen copy;
``tests/test_settings.py`` checks that a freshly migrated database (SQLite and PostgreSQL) holds
exactly the database settings declared here, with their defaults and types, and that no key is
spelled anywhere else in the code.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from govdesk.errors import InputRejected
from govdesk.messages import Text, define

T = TypeVar("T")


class Scope(enum.Enum):
    """Where a setting's value lives."""

    #: a row of the database's ``settings`` table: one value for every client, changed by an
    #: administrator (audited); ``section`` is the row's ``scope`` column (who changes it)
    DATABASE = "database"
    #: this computer's Qt settings (``QSettings``): one value per user and machine
    LOCAL = "local"


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting. ``section``: for a database setting the administrator who changes it
    (``security``: the security administrator, ``system``: the system administrator), for a
    local one the part of the interface it belongs to. ``low``/``high`` bound an integer,
    ``max_length`` a text, ``choices`` the values a text may take. A key ending in ``/*`` is a
    family of local keys (``splitters/*``: one per splitter)."""

    key: str
    scope: Scope
    kind: type[T]
    default: T
    label: Text
    section: str
    low: int | None = None
    high: int | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    required: bool = False

    def parse(self, raw: object) -> T:
        """``raw`` (a stored text, a typed value, what a user entered) as this setting's type.

        Raises InputRejected, naming the setting and what it takes, for a value of the wrong
        type, out of range, too long, empty when required or not among the choices.
        """
        where = {"label": self.label, "key": self.key}
        if self.kind is bool:
            if isinstance(raw, bool):
                return cast(T, raw)
            text = str(raw).strip().lower()
            if text not in ("true", "false", "1", "0"):
                raise InputRejected("setting_not_bool", value=str(raw), **where)
            return cast(T, text in ("true", "1"))
        if self.kind is int:
            text = str(raw).strip()
            value = int(text) if text.lstrip("-").isdigit() and not isinstance(raw, bool) else None
            low = self.low if self.low is not None else -(2 ** 31)
            high = self.high if self.high is not None else 2 ** 31 - 1
            if value is None or not low <= value <= high:
                raise InputRejected("setting_not_int", value=str(raw), low=low, high=high, **where)
            return cast(T, value)
        if self.kind is bytes:
            if isinstance(raw, (bytes, bytearray)):
                return cast(T, bytes(raw))
            raise InputRejected("setting_not_bytes", **where)
        text = str(raw).strip()
        if self.choices and text not in self.choices:
            raise InputRejected("setting_not_choice", value=text, allowed=", ".join(self.choices),
                                **where)
        if self.required and not text:
            raise InputRejected("setting_empty", **where)
        if self.max_length is not None and len(text) > self.max_length:
            raise InputRejected("setting_too_long", max=self.max_length, length=len(text),
                                **where)
        return cast(T, text)

    def format(self, value: T) -> str:
        """``value`` as it is stored in the database's ``settings.value`` column."""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def canonical(self, raw: object) -> str:
        """``raw`` checked (:meth:`parse`) and in its stored form (:meth:`format`)."""
        return self.format(self.parse(raw))

    def read(self, stored: object) -> T:
        """A stored value, or the default when it is missing or no longer valid (a value is
        checked when it is saved; a hand-edited row must not stop a login)."""
        if stored is None:
            return self.default
        try:
            return self.parse(stored)
        except InputRejected:
            return self.default

    def local_key(self, name: str = "") -> str:
        """The Qt settings key: the key itself, or for a family (``splitters/*``) that of
        ``name``."""
        return self.key[:-1] + name if self.key.endswith("/*") else self.key


MESSAGES: dict[str, tuple[str, str]] = {
    "setting_not_int": ("“{label}”（{key}）必须是 {low} 到 {high} 之间的整数，不能是“{value}”。",
                        "{label} ({key}) must be a whole number from {low} to {high}, not "
                        "{value!r}."),
    "setting_too_long": ("“{label}”（{key}）最多 {max} 个字符，输入的值有 {length} 个字符。",
                         "{label} ({key}) takes at most {max} characters; the value has "
                         "{length}."),
    "setting_empty": ("“{label}”（{key}）不能为空。", "{label} ({key}) cannot be empty."),
    "setting_not_choice": ("“{label}”（{key}）只能取：{allowed}，不能是“{value}”。",
                           "{label} ({key}) must be one of: {allowed}, not {value!r}."),
    "setting_not_bool": ("“{label}”（{key}）只能是 true 或 false，不能是“{value}”。",
                         "{label} ({key}) must be true or false, not {value!r}."),
    "setting_not_bytes": ("“{label}”（{key}）的值不是二进制数据。",
                          "{label} ({key}) takes binary data."),
    "no_such_setting": ("没有设置项 {key}。", "There is no setting {key}."),
}

define(MESSAGES, __name__)

_DB, _LOCAL = Scope.DATABASE, Scope.LOCAL

# -- database settings (seeded by migration 0003; sharing's by 0025 and 0030) ----------------------------------------------

LOCKOUT_ATTEMPTS = Setting(
    "security.lockout_attempts", _DB, int, 5,
    Text("连续登录失败多少次后锁定账号", "Failed logins that lock an account"),
    "security", low=1, high=100)
LOCKOUT_WINDOW_MINUTES = Setting(
    "security.lockout_window_minutes", _DB, int, 15,
    Text("统计登录失败次数的时间窗口（分钟）", "Minutes in which failed logins are counted"),
    "security", low=1, high=1440)
LOCKOUT_MINUTES = Setting(
    "security.lockout_minutes", _DB, int, 30,
    Text("账号锁定时长（分钟）", "Minutes a locked account stays locked"),
    "security", low=1, high=10080)
IDLE_LOCK_MINUTES = Setting(
    "security.idle_lock_minutes", _DB, int, 15,
    Text("无操作多少分钟后锁定会话", "Minutes of inactivity before the session locks"),
    "security", low=1, high=480)
AUDIT_RETENTION_DAYS = Setting(
    "security.audit_retention_days", _DB, int, 180,
    Text("审计记录至少保留多少天后才可归档（不少于 180 天）",
         "Days audit records are kept before they may be archived (at least 180)"),
    "security", low=180, high=36500)
#: access events (migration 0035): months a partition is kept before it may be archived; the
#: audit retention (``AUDIT_RETENTION_DAYS``) holds too, whichever is longer
ACCESS_RETENTION_MONTHS = Setting(
    "security.access_retention_months", _DB, int, 24,
    Text("访问记录至少保留多少个月后才可归档（不少于 6 个月，且不少于审计记录的保存期限）",
         "Months access events are kept before they may be archived (at least 6, and never "
         "less than the audit records' retention)"),
    "security", low=6, high=1200)
SHARING_REQUEST_LAPSE_DAYS = Setting(
    "sharing.request_lapse_days", _DB, int, 14,
    Text("共享申请多少天无人审批即失效", "Days after which an unanswered sharing request lapses"),
    "security", low=1, high=365)
SHARING_EXPIRY_WARNING_DAYS = Setting(
    "sharing.expiry_warning_days", _DB, int, 14,
    Text("共享授权到期前多少天开始提醒续期", "Days before a grant ends that its renewal is due"),
    "security", low=1, high=365)
SHARING_UNUSED_DAYS = Setting(
    "sharing.unused_days", _DB, int, 180,
    Text("生效的共享授权连续多少天未被使用即提醒复核",
         "Days without use after which an active grant is flagged for review"),
    "security", low=1, high=3650)
SHARING_REQUEST_REMINDER_DAYS = Setting(
    "sharing.request_reminder_days", _DB, int, 3,
    Text("共享申请失效前多少天提醒审批人", "Days before an unanswered request lapses that its "
         "approvers are reminded"),
    "security", low=1, high=365)
SITE_NAME = Setting(
    "system.site_name", _DB, str, "浙江省残疾人联合会",
    Text("导出文件上印的单位名称", "Organisation name printed on exports"),
    "system", max_length=200, required=True)

#: 一数一源: data item names so common that two resources holding one are not two sources of
#: the same data (the words separated by 、 , ; or spaces; seeded by migration 0024)
AUTHORITY_GENERIC_FIELDS = Setting(
    "catalog.authority_generic_fields", _DB, str,
    "备注 说明 描述 序号 主键 状态 附件 数据来源 经度 纬度 审核人 审核时间 审核日期 审核意见 "
    "创建人 创建时间 创建日期 修改人 修改时间 更新人 更新时间 更新日期 录入人 录入时间 "
    "填报人 填报时间 填报日期 数据更新人 数据更新时间 记录创建时间 记录更新时间 "
    "最后修改时间 操作人 操作时间 数据质量标记",
    Text("一数一源检查忽略的通用信息项名称（用空格或顿号分隔）",
         "Generic data item names the one-source check ignores (separated by spaces or 、)"),
    "system", max_length=2000)

# -- local settings (this computer's Qt settings) -----------------------------------------------

LANGUAGE = Setting(
    "ui/language", _LOCAL, str, "zh_CN", Text("界面语言", "Interface language"), "ui",
    choices=("zh_CN", "en"))
PROFILE_HOST = Setting(
    "profile/host", _LOCAL, str, "", Text("上次登录的服务器", "Server of the last login"),
    "profile", max_length=255)
PROFILE_DATABASE = Setting(
    "profile/database", _LOCAL, str, "", Text("上次登录的数据库", "Database of the last login"),
    "profile", max_length=63)
PROFILE_USER = Setting(
    "profile/user", _LOCAL, str, "", Text("上次登录的用户名", "User of the last login"),
    "profile", max_length=63)
PROFILE_REMEMBER = Setting(
    "profile/remember", _LOCAL, bool, False,
    Text("在操作系统密钥环中记住密码", "Remember the password in the OS keyring"), "profile")
PROFILE_REPLICA = Setting(
    "profile/replica", _LOCAL, str, "",
    Text("只读副本（热备库）的地址：主机:端口，留空表示不用", "Address of the read replica (a hot "
         "standby): host:port, empty for none"), "profile", max_length=255)
WINDOW_GEOMETRY = Setting(
    "window/geometry", _LOCAL, bytes, b"", Text("主窗口位置和大小", "Main window position and size"),
    "window")
WINDOW_STATE = Setting(
    "window/state", _LOCAL, bytes, b"", Text("主窗口工具栏和停靠窗口", "Main window toolbars and docks"),
    "window")
WINDOW_AREA = Setting(
    "window/area", _LOCAL, str, "", Text("上次打开的功能区", "Area shown last"), "window",
    max_length=63)
SPLITTERS = Setting(
    "splitters/*", _LOCAL, bytes, b"", Text("分隔条位置", "Splitter positions"), "window")


#: a setting of any type
AnySetting = Setting[int] | Setting[str] | Setting[bool] | Setting[bytes]


def _declared() -> Iterator[AnySetting]:
    for value in list(globals().values()):
        if isinstance(value, Setting):
            yield value


#: every setting by key, in declaration order
REGISTRY: dict[str, AnySetting] = {
    s.key: s for s in _declared()}


def database_settings() -> list[AnySetting]:
    """The settings stored in the database's ``settings`` table, in declaration order."""
    return [s for s in REGISTRY.values() if s.scope is Scope.DATABASE]


def database_setting(key: str) -> AnySetting:
    """The database setting ``key``; InputRejected when there is none."""
    found = REGISTRY.get(key)
    if found is None or found.scope is not Scope.DATABASE:
        raise InputRejected("no_such_setting", key=key)
    return found
