"""Messages of the security core (accounts, login, permissions, the audit trail and its anchor,
settings), in Chinese and English; see :mod:`govdesk.messages`."""

from __future__ import annotations

from govdesk.messages import Text, define

#: how a caller without a role is named in "not allowed" messages
OWNER = Text("数据库所有者", "the database owner")

MESSAGES: dict[str, tuple[str, str]] = {
    # permissions (identity.py)
    "not_allowed": ("{username}（{role}）无权{operation}；有此权限的角色：{allowed}。",
                    "{username} ({role}) may not {operation}; roles that may: {allowed}."),
    "not_a_user": ("{login} 不是数据库 {database} 的用户。",
                   "{login} is not a user of the database {database}."),
    "owner_not_a_user": ("{username} 是数据库所有者，不是 GovDesk 用户。请用 `govdesk users add NAME --role sysadmin` 创建第一位系统管理员，再以该用户登录。",
                         "{username} is the database owner, not a GovDesk user. Create the first "
                         "system administrator with `govdesk users add NAME --role sysadmin` and "
                         "log in as a user."),
    # why a verification failed (audit.py, audit_anchor.py); the English is the log's text
    "audit_row_out_of_chain": ("第 {row} 条记录与它前面的记录不衔接（有记录被删除、插入或移动）",
                               "row {row} does not follow row before it (a row was deleted, "
                               "inserted or moved)"),
    "audit_row_changed": ("第 {row} 条记录在写入后被修改", "row {row} was changed after it was written"),
    "anchor_bad_signature": ("锚点不是用此密钥签名的，或文件已被修改",
                             "the anchor was not signed with this key, or the file was altered"),
    "anchor_no_archive_start": ("锚点缺少归档起点和记录数（旧格式或被修改的文件）",
                                "the anchor lacks its archive start and row count (an old or "
                                "altered file)"),
    "anchor_head_archived": ("锚定的链头第 {row} 条在写入锚点后已被归档；每次归档后请重新写入锚点",
                             "row {row}, the anchored head, was archived since the anchor was "
                             "written; write a new anchor after each archive"),
    "anchor_tail_deleted": ("锚定的链头第 {row} 条不见了，日志现在止于第 {newest} 条：末尾的记录被删除",
                            "row {row}, the anchored head, is missing and the trail now ends at "
                            "row {newest}: rows were deleted from the end"),
    "anchor_head_missing": ("锚定的链头第 {row} 条不见了：有记录被删除",
                            "row {row}, the anchored head, is missing: rows were deleted"),
    "anchor_rewritten": ("第 {row} 条的哈希已不是锚定的哈希：到该条为止的日志被改写（或记录被删除后替换），哈希链被重算",
                         "row {row} no longer has the anchored hash: the trail up to it was "
                         "rewritten (or rows were deleted and replaced) and its chain recomputed"),
    "anchor_archive_moved": ("日志现在从归档至第 {archived} 条之后开始，而写入锚点时从第 {start} 条之后开始：每次归档后请重新写入锚点，并用 SHA-256 核对归档文件",
                             "the trail now continues from an archive through row {archived}, "
                             "but the anchor was written when it began after row {start}: write "
                             "a new anchor after each archive, and check the archive's file "
                             "against its SHA-256"),
    "anchor_count_changed": ("锚点担保到第 {row} 条为止共 {rows} 条记录，日志现在有 {kept} 条：有记录被删除或添加，哈希链被重算",
                             "the anchor vouches for {rows} rows up to row {row}, the trail now "
                             "holds {kept}: rows were deleted or added and the chain recomputed"),
    # login (auth.py, gate.py)
    "login_wrong": ("用户名或密码错误。", "Wrong user name or password."),
    "login_wrong_or_unreachable": ("密码错误，或无法连接数据库。",
                                   "Wrong password, or the database cannot be reached."),
    "login_locked_until": ("账号 {username} 因多次登录失败已被锁定，至 {until} 解锁；系统管理员可以提前解锁。",
                           "The account {username} is locked until {until} after repeated failed "
                           "logins; a system administrator can unlock it."),
    "login_now_locked": ("密码错误。账号 {username} 现已被锁定，至 {until} 解锁。",
                         "Wrong password. The account {username} is now locked until {until}."),
    "login_locked_or_deactivated": ("账号 {username} 已被锁定或停用；系统管理员可以解锁。",
                                    "The account {username} is locked or deactivated; a system "
                                    "administrator can unlock it."),
    "login_other_database": ("{username} 不是数据库 {database} 的用户。",
                             "{username} is not a user of the database {database}."),
    "login_no_such_role": ("服务器上没有登录名 {username}：用户名有误，或该账号已停用。",
                           "There is no login {username} on this server: the name is wrong or the "
                           "account was deactivated."),
    "login_no_password": ("{username} 没有密码：请在提示时输入、设置 GOVDESK_PASSWORD，或保存在 ~/.pgpass 中。",
                          "No password for {username}: give it when asked, set GOVDESK_PASSWORD, "
                          "or keep it in ~/.pgpass."),
    "login_locked": ("账号 {username} 已被锁定；系统管理员可以解锁。",
                     "The account {username} is locked; a system administrator can unlock it."),
    "gate_unavailable": ("登录闸门（{role}）不可用，因此不会统计登录失败次数：{reason}",
                         "The login gate ({role}) is not available, so failed logins are not "
                         "counted: {reason}"),
    # accounts (users.py, passwords.py)
    "weak_password": ("密码至少需要 {min} 个字符，并包含以下四类中的三类：小写字母、大写字母、数字、其他字符。",
                      "The password needs at least {min} characters and three of: lower-case "
                      "letters, upper-case letters, digits, other characters."),
    "bad_username": ("用户名“{username}”须为 2–63 个小写字母、数字或下划线，以字母开头，且不以 govdesk_、gd_ 或 pg_ 开头。",
                     "User name {username!r} must be 2–63 lower-case letters, digits or _, start "
                     "with a letter, and not start with govdesk_, gd_ or pg_."),
    # the service kernel (kernel.py): one answer for "missing" and "outside your scope"
    "resource_not_found": ("资源 {resource} 不存在（可能已被删除）。",
                           "Resource {resource} does not exist (it may have been deleted)."),
    "resource_not_found_editing": ("资源 {resource} 不存在，或不在您的管辖范围内（共享给您的资源是只读的）。",
                                   "Resource {resource} does not exist or is outside your area (a "
                                   "resource shared with you is read-only)."),
    "owner_first_sysadmin_only": ("数据库所有者只能创建第一位系统管理员；其他账号由系统管理员创建。",
                                  "The database owner may only create the first system "
                                  "administrator; further accounts are created by a system "
                                  "administrator."),
    "user_exists": ("已有名为 {username} 的用户。", "A user named {username} already exists."),
    "user_or_role_exists": ("已有名为 {username} 的用户或数据库角色。",
                            "A user or database role named {username} already exists."),
    "no_such_user": ("没有名为 {username} 的用户。", "There is no user named {username}."),
    "unknown_region_code": ("行政区划代码 {region} 不在区划列表中。",
                            "Region code {region} is not in the region list."),
    "unknown_organisation_id": ("组织机构 {organisation} 不存在。",
                                "Organisation {organisation} does not exist."),
    "cannot_lock_self": ("不能锁定自己的账号。", "You cannot lock your own account."),
    "cannot_deactivate_self": ("不能停用自己的账号。", "You cannot deactivate your own account."),
    "cannot_change_self": ("不能修改自己的账号；请另一位系统管理员修改。",
                           "You cannot change your own account; ask another system "
                           "administrator."),
    "account_refused": ("数据库拒绝了对 {username} 的修改：{reason}。",
                        "The database refused the change to {username}: {reason}."),
    "account_rejected": ("账号 {username}：{reason}。", "{username}: {reason}."),
    # the audit trail (audit_read.py)
    "audit_detail_too_large": ("审计记录的详情有 {size} 字节，超过每条最多 {max} 字节的上限；未写入任何内容。",
                               "The audit record's detail has {size} bytes, over the limit of "
                               "{max} bytes per record; nothing was written."),
    "audit_export_type": ("请导出为 .xlsx 或 .csv 文件，而不是 {suffix}。",
                          "Export to .xlsx or .csv, not {suffix}."),
    "audit_archive_type": ("请归档为 .xlsx 或 .csv 文件，而不是 {suffix}。",
                           "Archive to .xlsx or .csv, not {suffix}."),
    "audit_nothing_to_archive": ("没有早于 {cutoff} 的审计记录；审计记录至少保留 {retention} 天。",
                                 "No audit records are older than {cutoff}; records are kept at "
                                 "least {retention} days."),
    # the audit anchor (audit_anchor.py)
    "key_file_exists": ("{path} 已存在；密钥文件从不覆盖。",
                        "{path} already exists; a key file is never overwritten."),
    "key_file_cannot_create": ("无法创建密钥文件 {path}：{reason}。",
                               "Cannot create the key file {path}: {reason}."),
    "key_file_not_private": ("本机其他用户可以读取密钥文件 {path}；请先将其设为私有（chmod 600 {path}）。",
                             "The key file {path} can be read by other users of this computer; "
                             "make it private first (chmod 600 {path})."),
    "key_file_missing": ("密钥文件 {path} 不存在。", "The key file {path} does not exist."),
    "key_file_invalid": ("{path} 不是 GovDesk 锚点密钥文件。",
                         "{path} is not a GovDesk anchor key file."),
    "key_file_too_short": ("{path} 不是 GovDesk 锚点密钥文件（密钥太短）。",
                           "{path} is not a GovDesk anchor key file (the key is too short)."),
    "no_keyring": ("没有可用的操作系统密钥环（{reason}）；请使用密钥文件。",
                   "There is no usable OS keyring ({reason}); use a key file."),
    "no_anchor_key": ("没有锚点密钥：请用 --key-file 指定（由 `govdesk audit anchor-key --out FILE` 生成），或在操作系统密钥环中为 {database} 保存一个。",
                      "No anchor key: give --key-file (made with `govdesk audit anchor-key --out "
                      "FILE`) or keep one in the OS keyring for {database}."),
    "anchor_cannot_write": ("无法写入锚点文件 {path}：{reason}。",
                            "Cannot write the anchor file {path}: {reason}."),
    "anchor_missing": ("锚点文件 {path} 不存在。", "The anchor file {path} does not exist."),
    "anchor_not_json": ("{path} 不是 GovDesk 审计锚点（不是可读的 JSON）。",
                        "{path} is not a GovDesk audit anchor (not readable JSON)."),
    "anchor_invalid": ("{path} 不是 GovDesk 审计锚点。", "{path} is not a GovDesk audit anchor."),
    "anchor_fields_missing": ("{path} 不是 GovDesk 审计锚点（缺少字段）。",
                              "{path} is not a GovDesk audit anchor (fields missing)."),
    # access events (access_log.py)
    "access_not_recorded": ("无法写入本次访问记录（{action}），结果未予显示；请稍后重试或联系系统管理员。",
                            "The access record of this call ({action}) could not be written, so "
                            "its result is withheld; try again later or ask the system "
                            "administrator."),
    "access_period_naive": ("时间段的起止须带时区。", "The period's start and end need a time zone."),
    "access_period_empty": ("时间段的结束须晚于开始。", "The period must end after it starts."),
    "access_split_unknown": ("不能按 {by} 分组、按 {bucket} 汇总（可按 action、result、organisation 分组，"
                             "按 hour、day 汇总）。",
                             "Cannot split by {by} per {bucket} (split by action, result or "
                             "organisation, per hour or day)."),
    # the dashboard's period (monitoring/dashboard.py)
    "dashboard_period_unknown": ("没有“{period}”这个时间段（可选：今天、近 7 天、近 30 天、自定义）。",
                                 "There is no period \"{period}\" (choose today, the last 7 "
                                 "days, the last 30 days or custom)."),
    "dashboard_period_too_long": ("自定义时间段最长 {days} 天。",
                                  "A custom period is at most {days} days long."),
    "access_hourly_not_by_organisation": ("按单位的访问统计以天为单位（请按 day 汇总）。",
                                          "Figures by organisation are daily (ask per day)."),
    "access_nothing_to_archive": ("没有可归档的访问记录分区：保存期限为 {months} 个月（审计记录至少 {days} 天）。",
                                  "No access-event partition is old enough to archive: they are "
                                  "kept {months} months (audit records at least {days} days)."),
    "access_archive_exists": ("归档文件 {path} 已存在；归档文件从不覆盖。",
                              "The archive file {path} already exists; archives are never "
                              "overwritten."),
    "access_archive_sqlite": ("访问记录的分区归档只适用于 PostgreSQL；SQLite 演示库只有一张表。",
                              "Archiving access-event partitions applies to PostgreSQL only; the "
                              "SQLite demo keeps one table."),
    "anchor_other_database": ("该锚点属于另一个数据库（{database}，当前为 {here}）。",
                              "The anchor belongs to another database ({database}, this is "
                              "{here})."),
}

define(MESSAGES, __name__)
