"""``govdesk catalog …``: export, import and sample rows of the data-resource catalogue."""

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
    term_choices,
    term_type,
)
from govdesk import vocab
from govdesk.errors import UsageError


def cmd_catalog_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.catalog.search.browse import ResourceFilter
    from govdesk.catalog.excel.exporter import export_catalog

    db = open_db(args)
    who = acting_identity(args, db)
    region = _known_filters(args, db, who)
    f = ResourceFilter(text=args.text or "", category_code=args.category, region_code=region,
                       status=args.status)
    with progress_bar(args, say(args, "bar_export", name=Path(args.file).name)) as progress:
        result = export_catalog(db, who, Path(args.file), f, progress=progress,
                                blank=args.template)
    emit(args, {"ok": True, "resources": result.resources, "items": result.items,
                "file": result.path},
         say(args, "template_exported", file=result.path) if args.template else
         say(args, "catalog_exported", resources=result.resources, items=result.items,
             file=result.path))
    return EXIT_OK


def _known_filters(args: argparse.Namespace, db: Any, who: Any) -> str | None:
    """The 12-digit region code of ``--region`` (None without it), after checking that
    ``--category`` and ``--region`` name a category and a region there are: a mistyped one
    would export an empty workbook as if nothing matched (UsageError, exit code 2)."""
    from govdesk.catalog.search.browse import category_tree
    from govdesk.security.regions import region_names

    if args.category:
        codes: set[str] = set()
        todo = list(category_tree(db, who))
        while todo:
            node = todo.pop()
            codes.add(node.code)
            todo.extend(node.children)
        if args.category not in codes:
            raise UsageError("export_unknown_category", code=args.category)
    if not args.region:
        return None
    region: str = args.region.strip().ljust(12, "0")
    if not (region.isdigit() and len(region) == 12 and region_names(db, who, [region])):
        raise UsageError("export_unknown_region", code=args.region)
    return region


def _whole(args: argparse.Namespace, e: Any) -> str:
    """A problem of a whole sheet, or of the whole file (reported under the file's name, as a
    file that is no workbook): the message alone where it names the sheet or file itself
    (a file is never called a sheet), else with the sheet's name."""
    return e.message if e.sheet in e.message else say(args, "import_problem", sheet=e.sheet,
                                                      message=e.message)


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.catalog.excel.importer import import_catalog

    db = open_db(args)
    lang = lang_of(args)
    who = acting_identity(args, db)
    with progress_bar(args, say(args, "bar_import", name=Path(args.file).name)) as progress:
        report = import_catalog(db, who, Path(args.file), dry_run=args.dry_run, lang=lang,
                                progress=progress)
    data = report.as_dict()
    lines = [say(args, "import_problem_cell", sheet=e.sheet, row=e.row, column=e.column,
                 message=e.message) if e.row and e.column else
             say(args, "import_problem_row", sheet=e.sheet, row=e.row, message=e.message)
             if e.row else _whole(args, e) for e in report.errors[:200]]
    if len(report.errors) > 200:
        lines.append(say(args, "import_more_problems", more=len(report.errors) - 200))
    lines += [_whole(args, w) for w in report.warnings]
    c = data["changes"]
    if report.ok:
        outcome = ("import_would_change" if args.dry_run else
                   "import_wrote" if report.written else "import_no_change")
        lines.append(say(args, outcome, inserted=c["inserted"], updated=c["updated"],
                         unchanged=c["unchanged"]))
    else:
        lines.append(say(args, "import_refused", problems=len(report.errors)))
    emit(args, data, "\n".join(lines))
    return EXIT_OK if report.ok else EXIT_INPUT


def cmd_catalog_samples(args: argparse.Namespace) -> int:
    import getpass
    import sys

    from govdesk.catalog.profiling.samples import EncryptionRequired, export_samples, resource_id_for

    if args.reason and not args.unmask:
        raise UsageError("reason_without_unmask")
    db = open_db(args)
    who = acting_identity(args, db)
    rid = resource_id_for(db, who, args.code)

    def run(password: str | None) -> Any:
        return export_samples(db, who, rid, Path(args.file), unmask=args.unmask,
                              reason=args.reason, password=password)

    try:
        result = run(None)
    except EncryptionRequired as exc:
        if sys.stdin.isatty():
            password = getpass.getpass(f"{exc.text(lang_of(args))}\n" + say(
                args, "prompt_file_password", name=Path(args.file).name))
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise
        result = run(password)
    emit(args, {"ok": True, "file": result.path, "rows": result.rows,
                "masked_columns": list(result.masked_columns),
                "unmasked": bool(args.unmask), "encrypted": result.encrypted},
         say(args, "samples_exported_encrypted" if result.encrypted else "samples_exported",
             rows=result.rows, file=result.path))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk catalog …`` to the main parser's sub-commands."""
    cat = sub.add_parser("catalog", parents=[common],
                         help=tr("数据资源目录", "the data-resource catalogue"))
    cat_sub = cat.add_subparsers(dest="catalog_command", metavar=tr("操作", "ACTION"),
                                 required=True)
    cexp = cat_sub.add_parser("export", parents=[common], help=tr(
        "导出为 .xlsx（数据资源、信息项、值域）",
        "export to .xlsx (resources, data items, value lists)"))
    cexp.add_argument("file", help=tr("输出文件（.xlsx）", "output file (.xlsx)"))
    cexp.add_argument("--template", action="store_true", help=tr(
        "写出空白模板（表头、值域、下拉列表）",
        "write the blank template (headers, value lists, drop-downs)"))
    cexp.add_argument("--text", help=tr("只导出与此检索词匹配的资源",
                                        "only resources matching this search"))
    cexp.add_argument("--category", metavar="CODE", help=tr("只导出此分类及其下级",
                                                            "only this category and below"))
    cexp.add_argument("--region", metavar="CODE", help=tr("只导出此行政区划及其下级",
                                                          "only this region and below"))
    cexp.add_argument("--status", type=term_type(vocab.WORKFLOW_STATUS, tr), metavar="STATUS",
                      help=tr("只导出此状态（代码或名称）：", "only resources in this status (code "
                              "or label): ") + term_choices(vocab.WORKFLOW_STATUS, tr))
    cexp.set_defaults(func=cmd_catalog_export)
    cimp = cat_sub.add_parser("import", parents=[common], help=tr(
        "完整检查 .xlsx 文件；没有任何问题时才在一个事务中写入",
        "check an .xlsx completely; write it in one transaction only when it has no problem"))
    cimp.add_argument("file", help=tr("要导入的文件（.xlsx）", "the file to import (.xlsx)"))
    cimp.add_argument("--dry-run", action="store_true",
                      help=tr("只检查并报告，不写入", "check and report; write nothing"))
    cimp.add_argument("--quiet", action="store_true", help=tr(
        "标准错误上不显示进度条（--json 也不显示）",
        "no progress bar on standard error (--json has none either)"))
    cimp.set_defaults(func=cmd_catalog_import)
    smp = cat_sub.add_parser("samples", parents=[common], help=tr(
        "把资源的样例数据导出为 .xlsx，按分级脱敏；分级要求加密导出时询问密码"
        "（标准输入不是终端时从中读取）",
        "export a resource's sample rows to .xlsx, masked by grade; asks for a password where "
        "a grade requires encrypted exports (read from standard input when it is not a "
        "terminal)"))
    smp.add_argument("code", help=tr("资源代码", "resource code"))
    smp.add_argument("file", help=tr("输出文件（.xlsx）", "output file (.xlsx)"))
    smp.add_argument("--unmask", action="store_true", help=tr(
        "不脱敏（仅限有权限的角色，须给出 --reason；记入审计日志）；不加此项时按分级要求脱敏",
        "unmasked (cleared roles only, with --reason; recorded in the audit trail); without "
        "it, columns are masked as their grades require"))
    smp.add_argument("--reason", metavar="TEXT", help=tr(
        "需要不脱敏导出的理由（与 --unmask 一起必填；记入审计）",
        "why the unmasked export is needed (required with --unmask; audited)"))
    smp.set_defaults(func=cmd_catalog_samples)
