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
    # database URLs (urls.py)
    "url_not_url_or_file": ("“{value}”既不是数据库 URL，也不是 GovDesk 数据库文件：GovDesk 文件请写 sqlite:///文件，中心数据库请写 postgresql://用户@主机:端口/数据库。",
                            "{value!r} is neither a database URL nor a GovDesk database file: write "
                            "sqlite:///FILE for a GovDesk file, or "
                            "postgresql://USER@HOST:PORT/DATABASE for the central database."),
    "url_unparsable": ("“{value}”不是数据库 URL：GovDesk 文件请写 sqlite:///文件，中心数据库请写 postgresql://用户@主机:端口/数据库。",
                       "{value!r} is not a database URL: write sqlite:///FILE for a GovDesk file, "
                       "or postgresql://USER@HOST:PORT/DATABASE for the central database."),
    "url_backend": ("GovDesk 使用 PostgreSQL 或 SQLite，不支持 {backend}（GovDesk 文件请写 sqlite:///文件，中心数据库请写 postgresql://用户@主机:端口/数据库）。",
                    "GovDesk works with PostgreSQL or SQLite, not {backend} (write sqlite:///FILE "
                    "for a GovDesk file, or postgresql://USER@HOST:PORT/DATABASE for the central "
                    "database)."),
    "url_no_file": ("“{value}”没有指明文件：GovDesk 文件请写 sqlite:///文件，中心数据库请写 postgresql://用户@主机:端口/数据库。",
                    "{value!r} names no file: write sqlite:///FILE for a GovDesk file, or "
                    "postgresql://USER@HOST:PORT/DATABASE for the central database."),
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
}

define(MESSAGES, __name__)
