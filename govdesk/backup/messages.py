"""Messages of backup and disaster recovery, in Chinese and English (see :mod:`govdesk.messages`)."""

from __future__ import annotations

from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    # keys
    "backup_key_missing": (
        "找不到备份密钥 {key_id}（已查找操作系统密钥环和 {where}）。没有该密钥，备份无法读取。",
        "Backup key {key_id} was not found (looked in the OS keyring and {where}). Without it "
        "the backup cannot be read."),
    "backup_key_mismatch": ("保存为 {key_id} 的密钥实际上是密钥 {found}：密钥文件被替换或损坏。",
                            "The key stored as {key_id} is key {found}: the key file was "
                            "replaced or damaged."),
    "backup_key_file_invalid": ("{path} 不是 GovDesk 备份密钥文件（应为 32 字节的 Base64 密钥）。",
                                "{path} is not a GovDesk backup key file (a 32-byte key in "
                                "Base64)."),
    # the container
    "container_not_container": ("{file} 不是 GovDesk 备份文件（文件头不符）。",
                                "{file} is not a GovDesk backup file (wrong header)."),
    "container_truncated": ("{file} 被截断：第 {chunk} 块缺失或不完整，备份不完整。",
                            "{file} is truncated: chunk {chunk} is missing or incomplete; the "
                            "backup is not complete."),
    "container_incomplete": ("{file} 的压缩数据不完整。", "{file}: the compressed data is incomplete."),
    "container_corrupt": ("{file} 的第 {chunk} 块已损坏或被篡改（校验失败）。",
                          "{file}: chunk {chunk} is damaged or was tampered with (it fails its "
                          "authentication)."),
    "container_reordered": ("{file} 的块顺序被打乱：第 {chunk} 个位置上是第 {found} 块。",
                            "{file}: chunks were reordered: position {chunk} holds chunk "
                            "{found}."),
    "container_trailing": ("{file} 在最后一块（第 {chunk} 块）之后还有多余数据。",
                           "{file} has data after its final chunk ({chunk})."),
    "container_wrong_key": ("{file} 用密钥 {key_id} 加密，而给出的是密钥 {have}：密钥错误。",
                            "{file} was encrypted with key {key_id}, but key {have} was given: "
                            "wrong key."),
    # policies
    "backup_bad_cron": ("“{cron}”不是有效的 cron 表达式（五个字段：分 时 日 月 周）。",
                        "{cron!r} is not a valid cron expression (five fields: minute hour day "
                        "month weekday)."),
    "backup_bad_source": ("备份对象“{source}”未知（可选：{allowed}）。",
                          "Unknown backup source {source!r} (one of: {allowed})."),
    "backup_method_unknown": ("备份方式“{method}”在本系统中不可用。",
                              "The backup method {method!r} is not available in this GovDesk."),
    "backup_method_source": ("备份方式“{method}”不能备份“{source}”。",
                             "The method {method!r} cannot back up {source!r}."),
    "backup_tool_missing": ("本机未安装备份方式“{method}”所需的程序。",
                            "The programs the method {method!r} needs are not installed here."),
    "backup_not_weekly": ("计划中两次备份最长相隔 {gap} 小时：每一级都要求至少每周一次完整备份。",
                          "The schedule leaves up to {gap} hours between backups: every level "
                          "needs a full backup at least weekly."),
    "backup_rpo_unreachable": (
        "备份方式“{method}”按计划“{cron}”最好只能达到 {achievable} 小时的 RPO，而目标是 {target} 小时；"
        "只有连续 WAL 归档（pgBackRest）能达到更短的 RPO。",
        "The method {method!r} on the schedule {cron!r} reaches an RPO of {achievable} hours at "
        "best, but the target is {target} hours; only continuous WAL archiving (pgBackRest) "
        "gets below the gap between runs."),
    "backup_level6_impossible": (
        "第6级要求数据零丢失（同步复制到远程集群），GovDesk 的备份方式都做不到。",
        "Level 6 needs zero data loss (synchronous replication to a remote cluster), which no "
        "GovDesk backup method gives."),
    "backup_level_needs_wal": ("第{level}级要求实时数据传输：备份方式“{method}”做不到，只有连续 WAL 归档（pgBackRest）可以。",
                               "Level {level} needs real-time data transfer: the method "
                               "{method!r} cannot give it, only continuous WAL archiving "
                               "(pgBackRest) can."),
    "backup_target_looser": (
        "第{level}级的 RPO 最多 {max_rpo} 小时、RTO 最多 {max_rto} 小时；给出的 RPO {rpo} 小时、RTO {rto} 小时低于该级要求。",
        "Level {level} allows an RPO of at most {max_rpo} hours and an RTO of at most {max_rto} "
        "hours; the targets given (RPO {rpo} h, RTO {rto} h) fall short of the level."),
    "backup_needs_offsite": ("第{level}级要求异地备份：请至少指定一个异地目录。",
                             "Level {level} needs an off-site copy: give at least one off-site "
                             "directory."),
    "backup_needs_key": ("加密备份需要密钥：请选择或新建一个密钥。",
                         "An encrypted backup needs a key: choose or create one."),
    "backup_policy_not_found": ("备份策略 {policy} 不存在。", "There is no backup policy {policy}."),
    "backup_policy_name_taken": ("已有名为“{name}”的备份策略。",
                                 "A backup policy named {name!r} exists already."),
    "backup_retention_negative": ("保留数量不能为负数（{field}）。",
                                  "Retention counts cannot be negative ({field})."),
    "backup_bad_level": ("灾备等级须为 1 到 6，而不是 {level}。",
                         "The DR level is 1 to 6, not {level}."),
    "backup_name_required": ("备份策略需要名称。", "A backup policy needs a name."),
    # targets
    "target_missing": ("目录 {path} 不存在。", "The directory {path} does not exist."),
    "target_not_writable": ("目录 {path} 不可写。", "The directory {path} is not writable."),
    "target_full": ("目录 {path} 只剩 {free} 字节，至少需要 {needed} 字节。",
                    "The directory {path} has {free} bytes free, {needed} are needed."),
    "target_local_failed": ("本地备份目录不可用，未开始备份：{reason}",
                            "The local backup directory cannot be used, nothing was backed up: "
                            "{reason}"),
    "target_offsite_failed": ("本地备份已完成，但以下异地目录未能写入：{targets}",
                              "The local backup is complete, but these off-site directories "
                              "could not be written: {targets}"),
    # runs, verification, restore
    "backup_policy_disabled": ("备份策略“{name}”已停用。", "The backup policy {name!r} is disabled."),
    "backup_policy_incapable": ("备份策略“{name}”无法按其等级执行：{reason}",
                                "The backup policy {name!r} cannot run as its level demands: "
                                "{reason}"),
    "backup_not_found": ("备份 {backup} 不存在。", "There is no backup {backup}."),
    "backup_dir_missing": ("备份 {backup} 的目录 {path} 不存在。",
                           "The directory {path} of backup {backup} does not exist."),
    "backup_manifest_invalid": ("{path} 的清单无效或被篡改：{reason}",
                                "The manifest in {path} is invalid or was tampered with: "
                                "{reason}"),
    "backup_file_mismatch": ("备份文件 {file} 与清单不符（{what}）。",
                             "The backup file {file} does not match the manifest ({what})."),
    "backup_source_cannot_read": (
        "登录 {login} 无法读取整个数据库（{reason}）：备份须使用备份专用登录（LOGIN BYPASSRLS，pg_read_all_data 成员，见 README）。",
        "The login {login} cannot read the whole database ({reason}): backups need a backup "
        "login (LOGIN BYPASSRLS, a member of pg_read_all_data; see the README)."),
    "backup_tool_failed": ("{tool} 失败（退出码 {code}）：{detail}",
                           "{tool} failed (exit code {code}): {detail}"),
    "restore_refuses_live": (
        "拒绝恢复到正在使用的数据库 {target}：如确需覆盖，请加 --force-live（会先做一次安全备份）。",
        "Refusing to restore over the live database {target}: add --force-live to overwrite "
        "it (a safety backup is taken first)."),
    "restore_target_not_empty": ("目标数据库 {target} 不是空的：只恢复到空数据库。",
                                 "The target database {target} is not empty: restores go into "
                                 "an empty database only."),
    "restore_source_mismatch": ("备份 {backup} 是 {source} 的备份，不能恢复到 {target}。",
                                "Backup {backup} is of {source} and cannot be restored into "
                                "{target}."),
    "scratch_cannot_create": (
        "无法创建演练用的临时数据库 {name}（{reason}）：请用 --scratch 指定一个空数据库，或给该登录 CREATEDB 权限。",
        "Cannot create the scratch database {name} for the drill ({reason}): name an empty "
        "database with --scratch, or give the login CREATEDB."),
    "drill_mismatch": ("恢复演练发现差异：{tables}", "The restore drill found differences: {tables}"),
    "drill_audit_broken": ("恢复后的审计链校验失败：{reason}",
                           "The restored audit chain does not verify: {reason}"),
    "backup_drill_unsupported": ("备份 {backup}（{method}）不能演练恢复到临时数据库：它恢复的是整个数据库集群，请用“恢复”到一个新的空数据目录（可指定时间点）。未做校验以外的改动。",
                                 "Backup {backup} ({method}) cannot be drilled into a scratch "
                                 "database: it restores a whole cluster; restore it into a new, "
                                 "empty data directory instead (to a point in time if wanted). "
                                 "Nothing was changed."),
}

define(MESSAGES, __name__)

define({"backup_policy_changed": ("备份策略 {policy} 已被他人修改；请重新打开后再保存。",
                                  "Backup policy {policy} was changed by someone else; open it "
                                  "again and save.")}, __name__)
