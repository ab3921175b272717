"""``govdesk orgs …``: the organisations directory (seed, add, set, deactivate, activate,
list, import, template). Organisations are named by their code on the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from govdesk.cli.common import (
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    pad,
    progress_bar,
    say,
)


def _json(o: Any) -> dict[str, Any]:
    return {"id": o.id, "code": o.code, "name": o.name, "kind": o.kind, "region": o.region_code,
            "region_name": o.region_name, "parent": o.parent_code, "active": o.is_active,
            "version": o.version}


def _find(db: Any, who: Any, code: str) -> Any:
    from govdesk.catalog.orgs.directory import list_organisations
    from govdesk.errors import InputRejected

    found = [o for o in list_organisations(db, who, text=code) if o.code == code]
    if not found:
        raise InputRejected("org_missing", org=code)
    return found[0]


def cmd_orgs_seed(args: argparse.Namespace) -> int:
    from govdesk import vocab
    from govdesk.catalog.orgs.seed import LEVELS, seed_federations

    db = open_db(args)
    who = acting_identity(args, db)
    with progress_bar(args, say(args, "orgs_seeding")) as progress:
        r = seed_federations(db, who, args.province, departments=args.departments,
                             progress=progress)
    english = lang_of(args) == "en"

    def level_name(level: int) -> str:
        return vocab.REGION_LEVEL.label(str(level), "en") if english else LEVELS[level]

    per_level = (", " if english else "，").join(f"{level_name(level)} {count}"
                                                  for level, count in r.per_level)
    missing = (", " if english else "、").join(level_name(level)
                                               for level in r.levels_without_regions)
    text = say(args, "orgs_seeded", p=r.province_name, c=r.created - r.departments,
               e=r.existing, lv=per_level)
    if r.departments:
        text += say(args, "orgs_seeded_departments", d=r.departments)
    if missing:
        text += "\n" + say(args, "orgs_levels_missing", m=missing)
    emit(args, {"ok": True, "province": r.province_code, "created": r.created,
                "existing": r.existing, "skipped_groupings": r.skipped,
                "departments": r.departments,
                "per_level": dict(r.per_level),
                "levels_without_regions": list(r.levels_without_regions)}, text)
    return EXIT_OK


def _draft(args: argparse.Namespace, base: Any = None) -> Any:
    from govdesk.catalog.orgs.directory import OrgDraft

    def pick(name: str, current: str) -> str:
        value = getattr(args, name, None)
        return current if value is None else value

    return OrgDraft(
        code=pick("new_code" if base else "code", base.code if base else ""),
        name=pick("name", base.name if base else ""),
        kind=pick("kind", base.kind if base else "federation"),
        region=pick("region", base.region_code if base else ""),
        parent=pick("parent", (base.parent_code or "") if base else ""))


def cmd_orgs_add(args: argparse.Namespace) -> int:
    from govdesk.catalog.orgs.directory import add_organisation

    db = open_db(args)
    o = add_organisation(db, acting_identity(args, db), _draft(args))
    emit(args, {"ok": True, "organisation": _json(o)},
         say(args, "orgs_added", c=o.code, n=o.name, r=o.region_name))
    return EXIT_OK


def cmd_orgs_set(args: argparse.Namespace) -> int:
    from govdesk.catalog.orgs.directory import update_organisation

    db = open_db(args)
    who = acting_identity(args, db)
    current = _find(db, who, args.code)
    o = update_organisation(db, who, current.id, _draft(args, current), version=current.version)
    emit(args, {"ok": True, "organisation": _json(o)},
         say(args, "orgs_updated", c=o.code, n=o.name))
    return EXIT_OK


def _set_active(args: argparse.Namespace, active: bool) -> int:
    from govdesk.catalog.orgs.directory import set_organisation_active

    db = open_db(args)
    who = acting_identity(args, db)
    current = _find(db, who, args.code)
    o = set_organisation_active(db, who, current.id, active, version=current.version)
    emit(args, {"ok": True, "organisation": _json(o)},
         say(args, "orgs_activated" if active else "orgs_deactivated", c=o.code, n=o.name))
    return EXIT_OK


def cmd_orgs_deactivate(args: argparse.Namespace) -> int:
    return _set_active(args, False)


def cmd_orgs_activate(args: argparse.Namespace) -> int:
    return _set_active(args, True)


def cmd_orgs_list(args: argparse.Namespace) -> int:
    from govdesk import vocab
    from govdesk.catalog.orgs.directory import list_organisations

    db = open_db(args)
    orgs = list_organisations(db, acting_identity(args, db), active_only=args.active,
                              text=args.search or "")
    lang = lang_of(args)
    lines = [say(args, "orgs_line", code=pad(o.code, 16), name=o.name,
                 kind=vocab.ORG_KIND.label(o.kind, lang), region=o.region_name,
                 inactive=say(args, "orgs_inactive_mark") if not o.is_active else "")
             for o in orgs]
    emit(args, {"ok": True, "organisations": [_json(o) for o in orgs]},
         "\n".join(lines) or say(args, "orgs_none"))
    return EXIT_OK


def cmd_orgs_import(args: argparse.Namespace) -> int:
    from govdesk.catalog.orgs.workbook import import_organisations

    db = open_db(args)
    who = acting_identity(args, db)
    with progress_bar(args, say(args, "orgs_importing")) as progress:
        r = import_organisations(db, who, Path(args.file), dry_run=args.dry_run,
                                 progress=progress)
    text = say(args, "orgs_imported", c=r.created, u=r.updated, n=r.unchanged,
               d=say(args, "orgs_dry_run_mark") if r.dry_run else "")
    emit(args, {"ok": True, "created": r.created, "updated": r.updated,
                "unchanged": r.unchanged, "dry_run": r.dry_run}, text)
    return EXIT_OK


def cmd_orgs_template(args: argparse.Namespace) -> int:
    from govdesk.catalog.orgs.workbook import write_org_template

    db = open_db(args)
    n = write_org_template(db, acting_identity(args, db), Path(args.file), blank=args.blank)
    emit(args, {"ok": True, "file": args.file, "organisations": n},
         say(args, "orgs_template_written", f=args.file, n=n))
    return EXIT_OK


def _fields(p: argparse.ArgumentParser, new: bool, tr: Tr) -> None:
    from govdesk import vocab

    kinds = ", ".join(vocab.ORG_KIND.codes)
    p.add_argument("--name", required=new, help=tr("全称", "full name"))
    # required for a new one: seeding makes the federations, what is added by hand is mostly a
    # department, and a silent default filed 公安 as a federation
    p.add_argument("--kind", required=new, help=tr(
        f"类别：{kinds}（或其中文名称）", f"kind: {kinds} (or its Chinese term)"))
    p.add_argument("--region", required=new, metavar="CODE",
                   help=tr("区划代码（2–12 位数字）", "region code (2-12 digits)"))
    p.add_argument("--parent", metavar="CODE", help=tr("上级组织机构的代码",
                                                       "the parent organisation's code"))


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk orgs …`` to the main parser's sub-commands, with help in ``tr``'s
    language."""
    orgs = sub.add_parser("orgs", parents=[common], help=tr("组织机构目录",
                                                            "the organisations directory"))
    s = orgs.add_subparsers(dest="orgs_command", metavar=tr("操作", "ACTION"), required=True)
    seed = s.add_parser("seed", parents=[common], help=tr(
        "按区划表生成一个省各级残联（再次运行只补缺）",
        "create a province's federations at every level the region list holds (again: adds "
        "only what is missing)"))
    seed.add_argument("--province", required=True, metavar="CODE",
                      help=tr("省级区划代码，如 33（浙江省）", "e.g. 33 (Zhejiang)"))
    seed.add_argument("--departments", action="store_true", help=tr(
        "同时生成省、市两级的教育、民政、人社、卫健部门",
        "also the education, civil-affairs, HRSS and health departments of the province and "
        "its cities"))
    seed.set_defaults(func=cmd_orgs_seed)
    add = s.add_parser("add", parents=[common], help=tr("添加组织机构（如某部门）",
                                                        "add an organisation (a department)"))
    add.add_argument("code", help=tr("组织机构代码", "organisation code"))
    _fields(add, True, tr)
    add.set_defaults(func=cmd_orgs_add)
    setp = s.add_parser("set", parents=[common], help=tr("修改组织机构", "change an organisation"))
    setp.add_argument("code", help=tr("组织机构代码", "organisation code"))
    setp.add_argument("--new-code", metavar="CODE", help=tr("新的组织机构代码", "a new code"))
    _fields(setp, False, tr)
    setp.set_defaults(func=cmd_orgs_set)
    for name, func, text in (
            ("deactivate", cmd_orgs_deactivate, tr("停用：新资源不再能选择它（不删除任何内容）",
                                                   "stop offering an organisation for new "
                                                   "resources (nothing is deleted)")),
            ("activate", cmd_orgs_activate, tr("重新启用", "offer it again"))):
        p = s.add_parser(name, parents=[common], help=text)
        p.add_argument("code", help=tr("组织机构代码", "organisation code"))
        p.set_defaults(func=func)
    lst = s.add_parser("list", parents=[common], help=tr("列出组织机构", "list the organisations"))
    lst.add_argument("--active", action="store_true", help=tr("只列启用的", "active ones only"))
    lst.add_argument("--search", metavar="TEXT", help=tr("代码或名称包含 TEXT",
                                                         "code or name contains TEXT"))
    lst.set_defaults(func=cmd_orgs_list)
    imp = s.add_parser("import", parents=[common], help=tr(
        "从工作簿添加和修改组织机构（全部成功或全部不写）",
        "add and change organisations from a workbook (all or nothing)"))
    imp.add_argument("file", help=tr("工作簿（.xlsx）", "the workbook (.xlsx)"))
    imp.add_argument("--dry-run", action="store_true", help=tr("只检查和计数", "check and count only"))
    imp.add_argument("--quiet", action="store_true", help=tr("不显示进度条", "no progress bar"))
    imp.set_defaults(func=cmd_orgs_import)
    tpl = s.add_parser("template", parents=[common], help=tr(
        "写出组织机构工作簿（当前目录，或用 --blank 写空模板）",
        "write the organisations workbook (the directory, or --blank)"))
    tpl.add_argument("file", help=tr("要写出的工作簿", "the workbook to write"))
    tpl.add_argument("--blank", action="store_true", help=tr("只写表头和值列表",
                                                             "headers and value list only"))
    tpl.set_defaults(func=cmd_orgs_template)
