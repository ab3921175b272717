"""Messages of the pgBackRest method, in Chinese and English (see :mod:`govdesk.messages`).

pgBackRest itself speaks English only: its own message is passed as the ``detail`` parameter
and shown after GovDesk's sentence, which says in the user's language what failed and what to
look at.
"""

from __future__ import annotations

from govdesk.messages import Text, define

#: the pgBackRest commands GovDesk runs, as messages name them
COMMANDS: dict[str, Text] = {
    "stanza-create": Text("创建备份配置（stanza）", "stanza creation"),
    "backup": Text("备份", "backup"),
    "check": Text("归档检查", "archive check"),
    "verify": Text("备份库校验", "repository verification"),
    "info": Text("备份状态读取", "status read"),
    "restore": Text("恢复", "restore"),
    "version": Text("版本查询", "version query"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "pgbr_not_installed": ("本机未安装 pgBackRest（未找到 pgbackrest 程序），无法使用“物理备份 + WAL 归档”方式：请安装 Debian 的 pgbackrest 软件包，或选用逻辑备份。",
                           "pgBackRest is not installed on this computer (no pgbackrest program "
                           "found), so the physical backup with WAL archiving is not available: "
                           "install Debian's pgbackrest package, or choose a logical backup."),
    "pgbr_too_old": ("本机的 pgBackRest 版本为 {version}，GovDesk 需要 {needed} 或更高版本。",
                     "pgBackRest on this computer is version {version}; GovDesk needs {needed} "
                     "or later."),
    "pgbr_unusable": ("无法运行 pgBackRest：{detail}", "pgBackRest cannot be run: {detail}"),
    "pgbr_timeout": ("pgBackRest 的{command}在 {seconds:g} 秒内未完成，已中止；备份库中未完成的备份不会被当作有效备份。",
                     "pgBackRest's {command} did not finish within {seconds:g} seconds and was "
                     "stopped; an unfinished backup in the repository is never taken for a "
                     "valid one."),
    "pgbr_failed": ("pgBackRest 的{command}失败（错误 {code}）：{detail}",
                    "pgBackRest's {command} failed (error {code}): {detail}"),
    "pgbr_wrong_key": ("pgBackRest 的{command}失败：备份库的加密口令不对（与创建备份库时的口令不同），或备份库已损坏。请检查密钥文件或系统密钥环中的口令。（{detail}）",
                       "pgBackRest's {command} failed: the repository's passphrase is wrong (not "
                       "the one the repository was created with), or the repository is "
                       "damaged. Check the passphrase in the key file or the system keyring. "
                       "({detail})"),
    "pgbr_archive_broken": ("WAL 归档未送达备份库（{command}）：请检查数据库的 archive_mode、archive_command 是否为 GovDesk 给出的设置，并查看数据库日志。（{detail}）",
                            "WAL archiving does not reach the repository ({command}): check "
                            "that the server's archive_mode and archive_command are the "
                            "settings GovDesk gives, and read the server's log. ({detail})"),
    "pgbr_locked": ("另一个 pgBackRest 进程正在处理同一备份配置（{command}），请稍后重试。（{detail}）",
                    "Another pgBackRest process is working on the same stanza ({command}); try "
                    "again later. ({detail})"),
    "pgbr_bad_value": ("pgBackRest 设置“{field}”的值无效：{value!r}（{why}）。",
                       "The pgBackRest setting {field!r} has an invalid value: {value!r} "
                       "({why})."),
    "pgbr_no_repo": ("pgBackRest 策略至少需要一个备份库目录。",
                     "A pgBackRest policy needs at least one repository directory."),
    "pgbr_too_many_repos": ("pgBackRest 最多支持 {limit} 个备份库，策略给出了 {count} 个。",
                            "pgBackRest supports at most {limit} repositories; the policy names "
                            "{count}."),
    "pgbr_key_missing": ("找不到备份库的加密口令：{where}。口令只保存在系统密钥环或密钥文件中，从不写入数据库。",
                         "The repository's passphrase was not found: {where}. The passphrase "
                         "lives only in the system keyring or a key file, never in the "
                         "database."),
    "pgbr_key_file_open": ("密钥文件 {path} 其他用户也能读取（权限 {mode}）：请改为仅所有者可读（chmod 600）。",
                           "The key file {path} can be read by other users (mode {mode}): make "
                           "it readable by its owner only (chmod 600)."),
    "pgbr_restore_live": ("拒绝恢复到 {path}：这是正在备份的数据库的数据目录。恢复只写入新的、空的目录，绝不覆盖在用的数据库。",
                          "Refused to restore into {path}: it is the data directory of the "
                          "database being backed up. A restore only writes into a new, empty "
                          "directory, never over the live database."),
    "pgbr_restore_not_empty": ("拒绝恢复到 {path}：该目录不是空的（恢复只写入新的、空的目录）。",
                               "Refused to restore into {path}: the directory is not empty (a "
                               "restore only writes into a new, empty directory)."),
    "pgbr_restore_running": ("拒绝恢复到 {path}：那里有一个正在运行的数据库（postmaster.pid）。",
                             "Refused to restore into {path}: a server is running there "
                             "(postmaster.pid)."),
    "pgbr_target_naive": ("恢复目标时间须带时区：{value}", "A restore target time needs a time "
                          "zone: {value}"),
    "pgbr_bad_info": ("pgBackRest 返回的状态无法读取：{detail}",
                      "The status pgBackRest returned cannot be read: {detail}"),
}

define(MESSAGES, __name__)
