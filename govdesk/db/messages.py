"""Messages of the database layer (connections, the unit of work, schema revisions, what
PostgreSQL refuses), in Chinese and English; see :mod:`govdesk.messages`."""

from __future__ import annotations

from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    "db_busy": ("另一位用户正在写入数据库 {database}，{seconds:g} 秒内未完成。未保存任何内容，请稍后重试。",
                "Another user is writing to the database {database} and did not finish within "
                "{seconds:g} seconds. Nothing was saved; try again in a moment."),
    "db_cannot_connect": ("无法连接数据库 {database}：{reason}",
                          "Cannot connect to the database {database}: {reason}"),
    "db_connection_lost": ("与数据库 {database} 的连接已断开：{reason}。未保存任何内容，请在连接恢复后重试。",
                           "Lost the connection to the database {database}: {reason}. Nothing was "
                           "saved; try again when the connection is back."),
    "record_changed": ("您打开此记录后，其他人已修改了它；未覆盖任何内容。",
                       "Someone else changed this record after you opened it; nothing was "
                       "overwritten."),
    "not_a_database_file": ("{database} 不是 GovDesk 数据库：文件存在，但不是 SQLite 数据库（是别的文件，或已损坏）。",
                            "{database} is not a GovDesk database: the file exists but is not an "
                            "SQLite database (another file, or damaged)."),
    # keyset paging (keyset.py)
    "bad_page_key": ("列表的一页须按同一列表中某一行的键来请求。",
                     "A list page is asked for by the key of a row of the same list."),
    # database URLs (urls.py)
    "url_not_url_or_file": ("“{value}”既不是数据库 URL，也不是 GovDesk 数据库文件：GovDesk 文件请写 sqlite:///文件，中心数据库请写 postgresql://用户@主机:端口/数据库。",
                            "{value!r} is neither a database URL nor a GovDesk database file: write "
                            "sqlite:///FILE for a GovDesk file, or "
                            "postgresql://USER@HOST:PORT/DATABASE for the central database."),
    "url_unparsable": ("“{value}”不是数据库 URL：GovDesk 文件请写 sqlite:///文件，中心数据库请写 postgresql://用户@主机:端口/数据库。",
                       "{value!r} is not a database URL: write sqlite:///FILE for a GovDesk file, "
                       "or postgresql://USER@HOST:PORT/DATABASE for the central database."),
    "url_no_such_file": ("没有数据库文件 {path}：请检查文件名；如要在此新建数据库，请写 {url}。",
                         "There is no database file {path}: check the name; to create a new "
                         "database there, write {url}."),
    "url_sqlite_relative": ("“{value}”指向当前文件夹下的相对路径，该文件不存在；绝对路径要写四个斜杠：{url}",
                            "{value!r} names a path relative to the current folder, where there is "
                            "no such file; an absolute path takes four slashes: {url}"),
    "url_backend": ("GovDesk 使用 PostgreSQL 或 SQLite，不支持 {backend}（GovDesk 文件请写 sqlite:///文件，中心数据库请写 postgresql://用户@主机:端口/数据库）。",
                    "GovDesk works with PostgreSQL or SQLite, not {backend} (write sqlite:///FILE "
                    "for a GovDesk file, or postgresql://USER@HOST:PORT/DATABASE for the central "
                    "database)."),
    "url_no_file": ("“{value}”没有指明文件：GovDesk 文件请写 sqlite:/// 加文件路径（绝对路径共四个斜杠，如 sqlite:////home/me/govdesk.sqlite3），中心数据库请写 postgresql://用户@主机:端口/数据库。",
                    "{value!r} names no file: write sqlite:/// and the file's path for a GovDesk "
                    "file (four slashes for an absolute path, as in "
                    "sqlite:////home/me/govdesk.sqlite3), or postgresql://USER@HOST:PORT/DATABASE "
                    "for the central database."),
    # races and values the database cannot hold (engine.refusal)
    "db_deadlock": ("此次修改与其他用户同时进行的修改发生冲突（数据库报告：死锁）。本次未保存任何内容，请重试。",
                    "This change crossed another user's change at the same moment (the database "
                    "reported a deadlock). Nothing was saved; try again."),
    "db_serialization": ("此次修改与其他用户同时进行的修改发生冲突（数据库报告：串行化冲突）。本次未保存任何内容，请重试。",
                         "This change crossed another user's change at the same moment (the "
                         "database reported a serialization failure). Nothing was saved; try "
                         "again."),
    "db_lock_timeout": ("此次修改与其他用户同时进行的修改发生冲突（数据库报告：等待锁超时）。本次未保存任何内容，请重试。",
                        "This change crossed another user's change at the same moment (the "
                        "database reported lock not available). Nothing was saved; try again."),
    "db_value_unstorable": ("有值无法按原样保存（超过字段长度、超出范围或含有空字符）：{reason}。本次未保存任何内容。",
                            "A value cannot be stored as it is (too long for its field, out of "
                            "range, or holding a NUL character): {reason}. Nothing was saved."),
    "code_taken_meanwhile": ("资源代码“{code}”刚刚已被他人（另一次导入或保存）使用，本次未保存任何内容：请核对代码后重试。",
                   "Resource code {code} was taken by someone else a moment ago (another import "
                   "or save added it). Nothing was saved; check the code and try again."),
    "code_taken_meanwhile_unnamed": ("资源代码刚刚已被他人（另一次导入或保存）使用，本次未保存任何内容：请核对代码后重试。",
                           "A resource code was taken by someone else a moment ago (another "
                           "import or save added it). Nothing was saved; check the code and try "
                           "again."),
    "duplicate_value": ("他人刚刚保存了相同 {what} 的记录，本次未保存任何内容，请重试。",
                        "Someone else saved a record with the same {what} a moment ago. Nothing "
                        "was saved; try again."),
    "resources_changed_since_check": ("资源 {codes} 在检查此文件之后已被他人修改，本次未保存任何内容：请再次导入该文件，与当前内容重新比较。",
                                      "Resource {codes} was changed by someone else after this file "
                                      "was checked. Nothing was saved; import the file again to "
                                      "compare it with the current state."),
    "some_changed_since_check": ("此文件中的部分资源在检查之后已被他人修改，本次未保存任何内容：请再次导入该文件，与当前内容重新比较。",
                                 "Some of the resources in this file were changed by someone else "
                                 "after it was checked. Nothing was saved; import the file again "
                                 "to compare it with the current state."),
    # what PostgreSQL refuses (engine.refusal): ``reason`` is the server's own message
    "db_refused_permission": ("数据库拒绝了您的账号执行此操作：{reason}",
                              "The database refused this for your account: {reason}"),
    "db_refused": ("数据库拒绝了此操作：{reason}", "The database refused this: {reason}"),
    # schema revisions (migrate.py)
    "schema_too_new": ("数据库 {database} 的结构版本为 {revision}，比本 GovDesk 所知的版本更新（已知最新：{head}）。请安装升级了它的新版 GovDesk；本版本不会打开它。",
                       "The database {database} is at schema revision {revision}, which is newer "
                       "than this GovDesk knows (newest known: {head}). Install the newer GovDesk "
                       "that upgraded it; this one will not open it."),
    "schema_missing": ("数据库 {database} 中没有 GovDesk 结构。请运行 `govdesk db upgrade` 创建。",
                       "The database {database} has no GovDesk schema. Run `govdesk db upgrade` "
                       "to create it."),
    "schema_outdated": ("数据库 {database} 的结构版本为 {revision}，本 GovDesk 需要 {head}。请系统管理员运行 `govdesk db upgrade`。",
                        "The database {database} is at schema revision {revision}; this GovDesk "
                        "needs {head}. A system administrator runs `govdesk db upgrade`."),
    # the read replica (engine.Database.reading, replica.py)
    "db_read_only": ("{database} 是只读的数据库（热备只读副本），不能在这里保存修改，未写入任何内容：修改数据请连接主库。（服务器：{reason}）",
                     "{database} is a read-only database (a hot standby used as the read "
                     "replica): changes cannot be saved there and nothing was written; make "
                     "changes on the primary. (Server: {reason})"),
    "replica_address_bad": ("只读副本的地址“{value}”无法识别：请写 主机、主机:端口 或 postgresql://主机:端口/数据库。",
                            "The read replica's address {value!r} is not understood: write HOST, "
                            "HOST:PORT or postgresql://HOST:PORT/DATABASE."),
    "read_from_primary": ("数据读取自主库 {database}（未配置只读副本）。",
                          "Reading from the primary {database} (no read replica configured)."),
    "read_from_replica": ("数据读取自只读副本 {database}，比主库落后约 {lag:.0f} 秒（最后回放的事务：{replayed}）。",
                          "Reading from the read replica {database}, about {lag:.0f} seconds "
                          "behind the primary (last transaction replayed: {replayed})."),
    "read_from_replica_current": ("数据读取自只读副本 {database}，已回放收到的全部事务（最后回放的事务：{replayed}）。",
                                  "Reading from the read replica {database}, which has replayed "
                                  "everything it received (last transaction replayed: "
                                  "{replayed})."),
    "read_replica_not_standby": ("配置为只读副本的 {database} 不是热备库，而是一台主库；读取仍以只读事务进行，请检查连接配置中的只读副本地址。",
                                 "{database}, configured as the read replica, is not a hot "
                                 "standby but a primary; reads still run in read-only "
                                 "transactions. Check the read replica's address in the "
                                 "connection profile."),
}

define(MESSAGES, __name__)
