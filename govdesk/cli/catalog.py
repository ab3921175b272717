"""``govdesk catalog …``: export, import and sample rows of the data-resource catalogue."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from govdesk.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    acting_identity,
    emit,
    lang_of,
    open_db,
    progress_bar,
)
from govdesk.errors import UsageError


def cmd_catalog_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.catalog.search.browse import ResourceFilter
    from govdesk.catalog.excel.exporter import export_catalog

    db = open_db(args)
    f = ResourceFilter(text=args.text or "", category_code=args.category,
                       region_code=args.region.ljust(12, "0") if args.region else None,
                       status=args.status)
    who = acting_identity(args, db)
    with progress_bar(args, f"export {Path(args.file).name}") as progress:
        result = export_catalog(db, who, Path(args.file), f, progress=progress,
                                blank=args.template)
    emit(args, {"ok": True, "resources": result.resources, "items": result.items,
                 "file": result.path},
          f"Exported {result.resources} resources and {result.items} data items to {result.path}.")
    return EXIT_OK


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from govdesk.catalog.excel.importer import import_catalog

    db = open_db(args)
    lang = "en" if args.lang == "en" else "zh"
    who = acting_identity(args, db)
    with progress_bar(args, f"import {Path(args.file).name}") as progress:
        report = import_catalog(db, who, Path(args.file), dry_run=args.dry_run, lang=lang,
                                progress=progress)
    data = report.as_dict()
    lines = [f"{e.sheet} 第{e.row}行 {e.column or ''}: {e.message}" if e.row else
             f"{e.sheet}: {e.message}" for e in report.errors[:200]]
    lines += [f"{w.sheet}: {w.message}" for w in report.warnings]
    c = data["changes"]
    if report.ok:
        verb = "Would change" if args.dry_run else ("Wrote" if report.written else "No change:")
        lines.append(f"{verb} {c['inserted']} new, {c['updated']} updated, "
                     f"{c['unchanged']} unchanged resources.")
    else:
        lines.append(f"{len(report.errors)} problem(s); nothing was written.")
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
            password = getpass.getpass(f"{exc.text(lang_of(args))}\n"
                                       f"Password for {Path(args.file).name}: ")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise
        result = run(password)
    emit(args, {"ok": True, "file": result.path, "rows": result.rows,
                     "masked_columns": list(result.masked_columns),
                     "unmasked": bool(args.unmask), "encrypted": result.encrypted},
              f"Exported {result.rows} sample rows to {result.path}"
              + (" (encrypted)." if result.encrypted else "."))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``govdesk catalog …`` to the main parser's sub-commands."""
    cat = sub.add_parser("catalog", parents=[common], help="the data-resource catalogue")
    cat_sub = cat.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    cexp = cat_sub.add_parser("export", parents=[common],
                              help="export to .xlsx (resources, data items, value lists)")
    cexp.add_argument("file")
    cexp.add_argument("--template", action="store_true",
                      help="write the blank template (headers, value lists, drop-downs)")
    cexp.add_argument("--text", help="only resources matching this search")
    cexp.add_argument("--category", metavar="CODE", help="only this category and below")
    cexp.add_argument("--region", metavar="CODE", help="only this region and below")
    cexp.add_argument("--status", choices=("draft", "registration_review",
                                           "publication_review", "published"))
    cexp.set_defaults(func=cmd_catalog_export)
    cimp = cat_sub.add_parser("import", parents=[common],
                              help="check an .xlsx completely; write it in one transaction only "
                                   "when it has no problem")
    cimp.add_argument("file")
    cimp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    cimp.add_argument("--quiet", action="store_true",
                      help="no progress bar on standard error (--json has none either)")
    cimp.set_defaults(func=cmd_catalog_import)
    smp = cat_sub.add_parser("samples", parents=[common],
                             help="export a resource's sample rows to .xlsx, masked by grade; "
                                  "asks for a password where a grade requires encrypted exports "
                                  "(read from standard input when it is not a terminal)")
    smp.add_argument("code", help="resource code")
    smp.add_argument("file")
    smp.add_argument("--unmask", action="store_true",
                     help="unmasked (cleared roles only, with --reason; recorded in the audit "
                          "trail); without it, columns are masked as their grades require")
    smp.add_argument("--reason", metavar="TEXT",
                     help="why the unmasked export is needed (required with --unmask; audited)")
    smp.set_defaults(func=cmd_catalog_samples)
