"""``govdesk access import FILE --source NAME [--kind K] [--mapping FILE] [--check]
[--accept-problems] [--json]``: check or import an external access log (issue 15).

Part of the ``access`` group: :func:`add_parsers` adds the ``import`` sub-command to the group's
sub-parsers (the group's other commands, list/review/export, live in their own modules).
Exit codes: 0 imported or checked clean; 1 (:data:`govdesk.errors.EXIT_INPUT`) when the file
has bad lines (with ``--check``, or refused without ``--accept-problems``: nothing written),
or the mapping or file is wrong; 3 for a login that may not import.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from govdesk.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    progress_bar,
    say,
)
from govdesk.errors import InputRejected
from govdesk.messages import define

#: how many problems the text output lists (``--json`` has the first 1,000)
SHOWN = 50

OUTPUT: dict[str, tuple[str, str]] = {
    "access_importing": ("导入访问日志", "Importing the access log"),
    "access_import_summary": (
        "{file}（来源 {source}）：共 {lines} 行，可导入 {good} 行，有问题 {bad} 行，忽略 {ignored} 行。",
        "{file} (source {source}): {lines} lines, {good} importable, {bad} with problems, "
        "{ignored} ignored."),
    "access_import_done": ("已导入 {imported} 条访问记录，{duplicates} 条此前已导入（导入编号 {id}）。",
                           "Imported {imported} access events; {duplicates} were imported "
                           "before (import {id})."),
    "access_import_skipped": ("按要求跳过了 {bad} 行有问题的行，已记入审计日志。",
                              "Skipped {bad} lines with problems, as asked; recorded in the audit "
                              "trail."),
    "access_import_refused": ("文件有问题，未导入任何内容。修正后重试，或用 --accept-problems 只导入无问题的行。",
                              "The file has problems; nothing was imported. Fix them, or use "
                              "--accept-problems to import only the good lines."),
    "access_import_checked": ("仅检查，未写入任何内容。", "Checked only; nothing was written."),
    "access_import_more": ("……另有 {n} 个问题未列出（--json 可列出前 1000 个）。",
                           "… and {n} more problems (--json lists the first 1,000)."),
    "access_import_ignored": ("忽略（{reason}）：{n} 行", "ignored ({reason}): {n} lines"),
    "access_ignored_not_audit": ("不是 pgAudit 审计记录", "not a pgAudit entry"),
    "access_ignored_class": ("未映射的审计类别 {name}", "audit class {name} not mapped"),
}
define(OUTPUT, __name__)


def _ignored(args: argparse.Namespace, reason: str) -> str:
    if reason.startswith("class:"):
        return say(args, "access_ignored_class", name=reason[6:])
    return say(args, "access_ignored_not_audit")


def _text(args: argparse.Namespace, r: Any) -> str:
    lang = lang_of(args)
    lines = [say(args, "access_import_summary", file=r.file, source=r.source, lines=r.lines,
                 good=r.good, bad=r.bad, ignored=sum(r.ignored.values()))]
    lines += [say(args, "access_import_ignored", reason=_ignored(args, k), n=n)
              for k, n in sorted(r.ignored.items())]
    lines += [p.text(lang) for p in r.problems[:SHOWN]]
    if r.bad > SHOWN:
        lines.append(say(args, "access_import_more", n=r.bad - SHOWN))
    if r.status == "imported":
        lines.append(say(args, "access_import_done", imported=r.imported,
                         duplicates=r.duplicates, id=r.import_id))
        if r.bad:
            lines.append(say(args, "access_import_skipped", bad=r.bad))
    else:
        lines.append(say(args, "access_import_checked" if r.status == "checked"
                         else "access_import_refused"))
    return "\n".join(lines)


def cmd_access_import(args: argparse.Namespace) -> int:
    from govdesk.monitoring.log_import import import_access_log, report_json

    mapping = None
    if args.mapping:
        try:
            mapping = Path(args.mapping).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputRejected("log_file_unreadable", path=args.mapping,
                                reason=exc.strerror or str(exc)) from exc
    db = open_db(args)
    who = acting_identity(args, db)
    with progress_bar(args, say(args, "access_importing")) as progress:
        r = import_access_log(db, who, Path(args.file), args.source, kind=args.kind,
                              mapping=mapping, check=args.check,
                              accept_problems=args.accept_problems, progress=progress)
    ok = r.status == "imported" or (r.status == "checked" and not r.bad)
    emit(args, {"ok": ok, **report_json(r, lang_of(args))}, _text(args, r))
    return EXIT_OK if ok else EXIT_INPUT


def add_parsers(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``import`` to the ``access`` group's sub-parsers ``s``."""
    from govdesk.db.models.access_import import SOURCE_KINDS

    imp = s.add_parser("import", parents=[common], help=tr(
        "导入外部访问日志（交换平台 CSV / JSON 行，或 pgAudit 服务器日志）；先检查每一行",
        "import an external access log (exchange platform CSV / JSON lines, or a pgAudit "
        "server log); every line is checked first"))
    imp.add_argument("file", help=tr("日志文件", "the log file"))
    imp.add_argument("--source", required=True, metavar="NAME", help=tr(
        "来源名称（其列映射随来源保存）", "the source's name (its column mapping is saved with it)"))
    imp.add_argument("--kind", choices=SOURCE_KINDS, help=tr(
        "新来源的类型", "the kind of a new source"))
    imp.add_argument("--mapping", metavar="FILE", help=tr(
        "列映射（JSON 文件），保存为该来源的映射", "the column mapping (a JSON file), saved as the source's"))
    imp.add_argument("--check", action="store_true", help=tr(
        "只检查并列出问题，不写入", "check and list the problems only; write nothing"))
    imp.add_argument("--accept-problems", action="store_true", help=tr(
        "有问题的行跳过（记入审计日志），其余导入", "skip the lines with problems (recorded in the "
        "audit trail) and import the rest"))
    imp.set_defaults(func=cmd_access_import)
