"""Export of a selection of the access log (the workbench's current filter) to Excel.

Streamed: the events are read page by page by key (:func:`queries.page_statement`, 5,000 rows a
page, in one transaction) and written with XlsxWriter's ``constant_memory`` mode (each row is
flushed to disk when the next starts), so a 10,000,000-row selection costs the memory of one
page. Chinese headers by default, names instead of codes, times in this machine's time zone to
the second with the offset (as the audit export: ``security/audit_read.py``). Excel holds
1,048,575 data rows a sheet: a larger selection continues on further sheets.

The export is recorded in the hash-chained audit trail (``export`` of ``access_events``, with
the filter and the row count): exporting the access log is itself an access to be reviewed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govdesk.db.engine import Database
from govdesk.db.keyset import Seek
from govdesk.messages import lang_code
from govdesk.monitoring import queries
from govdesk.monitoring.dto import AccessFilter, AccessRow
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.audit_labels import local_time, result_label
from govdesk.security.kernel import Scope, service
from govdesk.security.identity import Identity
from govdesk.security.roles import Op, role_label
from govdesk.files import output_file
from govdesk.monitoring.workbench import WHOLE_LOG
from govdesk.vocab import ACCESS_ACTION

PAGE = 5_000
#: data rows of one sheet (Excel's limit less the header)
SHEET_ROWS = 1_048_575

HEADERS = {
    "zh": ["序号", "时间（本机时区）", "用户", "姓名", "角色", "单位", "资源编码", "资源名称", "分级",
           "操作", "结果", "行数", "客户端", "审查人", "审查时间（本机时区）", "审查方式"],
    "en": ["No.", "Time (local time zone)", "User", "Name", "Role", "Organisation",
           "Resource code", "Resource", "Grade", "Action", "Result", "Rows", "Client",
           "Reviewed by", "Reviewed at (local time zone)", "Reviewed as"],
}
REVIEWED_AS = {"zh": ("按记录", "按单位和时段"), "en": ("by event", "by organisation and period")}
DENIED = {"zh": "拒绝", "en": "Denied"}


def cells(r: AccessRow, lang: str) -> list[Any]:
    """One event as people read it (``lang`` "zh" or "en")."""
    mark = r.review
    return [r.id, local_time(r.ts), r.username, r.display_name or "", role_label(r.role_code, lang),
            r.organisation_name or "", r.resource_code or "", r.resource_name or "",
            r.grade_name or "", ACCESS_ACTION.label(r.action, lang),
            result_label(True, lang) if r.success else DENIED[lang], r.row_count,
            r.client_host or "", mark.reviewed_by if mark else "",
            local_time(mark.reviewed_at) if mark else "",
            REVIEWED_AS[lang][mark.period] if mark else ""]


@service(Op.AUDIT_EXPORT, scope=Scope.NONE, why=WHOLE_LOG)
def export_access(db: Database, who: Identity, f: AccessFilter, out: Path, lang: str = "zh",
                  progress: Progress | None = None) -> int:
    """Write the events matching ``f`` (newest first) to ``out`` (.xlsx); returns the row
    count. Audited. Raises InputRejected for another file type or an unwritable place, and
    :class:`~govdesk.progress.Cancelled` (no file, no audit row) when ``progress`` is."""
    import xlsxwriter

    lang = lang_code(lang)
    progress = progress or Progress()
    output_file(out, (".xlsx",))
    n = 0
    try:
        with db.session() as s:
            book = xlsxwriter.Workbook(str(out), {"constant_memory": True,
                                                  "strings_to_numbers": False,
                                                  "strings_to_formulas": False,
                                                  "strings_to_urls": False})
            sheet = None
            seek = Seek(limit=PAGE)
            while True:
                fetched = list(s.connection().execute(queries.page_statement(s, f, seek)))
                rows, keys = queries.rows_of(s, fetched)
                for r in rows:
                    if n % SHEET_ROWS == 0:
                        sheet = _sheet(book, lang, n // SHEET_ROWS)
                    assert sheet is not None
                    sheet.write_row(n % SHEET_ROWS + 1, 0, cells(r, lang))
                    n += 1
                progress.report(0.0, f"{n:,}")
                if len(rows) < PAGE:
                    break
                seek = Seek(after=keys[-1], limit=PAGE)
            if sheet is None:
                _sheet(book, lang, 0)
            progress.check()  # the last moment to stop: the file is assembled next
            book.close()
            audit.record(s, who, EventType.EXPORT, object_type="access_events",
                         object_id=out.name, detail={"rows": n, "filter": f.to_json()})
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    progress.show(1.0, f"{n:,}")  # done: a cancel now comes too late to undo anything
    return n


def _sheet(book: Any, lang: str, number: int) -> Any:
    name = ("访问记录" if lang == "zh" else "Access log") + (f" {number + 1}" if number else "")
    sheet = book.add_worksheet(name)
    widths = (10, 26, 14, 12, 12, 28, 14, 36, 14, 10, 8, 8, 16, 14, 26, 14)
    for i, w in enumerate(widths):
        sheet.set_column(i, i, w)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, HEADERS[lang])
    return sheet
