"""``govdesk orgs …``: the organisations directory (seed, add, set, deactivate, activate,
list, import, template). Organisations are named by their code on the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from govdesk.cli.common import EXIT_OK, acting_identity, emit, lang_of, open_db, progress_bar


def _say(args: argparse.Namespace, zh: str, en: str, **values: Any) -> str:
    return (en if lang_of(args) == "en" else zh).format(**values)


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
    from govdesk.catalog.orgs.seed import LEVELS, seed_federations

    db = open_db(args)
    who = acting_identity(args, db)
    with progress_bar(args, _say(args, "生成残联", "Seeding federations")) as progress:
        r = seed_federations(db, who, args.province, departments=args.departments,
                             progress=progress)
    per_level = ", ".join(f"{LEVELS[level]} {count}" for level, count in r.per_level)
    missing = "、".join(LEVELS[level] for level in r.levels_without_regions)
    text = _say(args, "{p}：新建 {c} 个残联，已有 {e} 个；各级残联数：{lv}。",
                "{p}: created {c} federations, {e} existed; per level: {lv}.",
                p=r.province_name, c=r.created - r.departments, e=r.existing, lv=per_level)
    if r.departments:
        text += _say(args, "另新建 {d} 个省、市级部门。", " Also created {d} province and city "
                     "departments.", d=r.departments)
    if missing:
        text += _say(args, "\n区划表中没有{m}的区划，这些层级未生成残联（导入含乡镇、村级代码的区划表后再运行一次即可）。",
                     "\nThe region list has no divisions at level(s) {m}: no federations there "
                     "(seed again once such divisions are in the region list).", m=missing)
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
         _say(args, "已添加 {c} {n}（{r}）。", "Added {c} {n} ({r}).", c=o.code, n=o.name,
              r=o.region_name))
    return EXIT_OK


def cmd_orgs_set(args: argparse.Namespace) -> int:
    from govdesk.catalog.orgs.directory import update_organisation

    db = open_db(args)
    who = acting_identity(args, db)
    current = _find(db, who, args.code)
    o = update_organisation(db, who, current.id, _draft(args, current), version=current.version)
    emit(args, {"ok": True, "organisation": _json(o)},
         _say(args, "已修改 {c} {n}。", "Changed {c} {n}.", c=o.code, n=o.name))
    return EXIT_OK


def _set_active(args: argparse.Namespace, active: bool) -> int:
    from govdesk.catalog.orgs.directory import set_organisation_active

    db = open_db(args)
    who = acting_identity(args, db)
    current = _find(db, who, args.code)
    o = set_organisation_active(db, who, current.id, active, version=current.version)
    emit(args, {"ok": True, "organisation": _json(o)},
         _say(args, "{c} {n} 已启用。", "{c} {n} is active.", c=o.code, n=o.name) if active else
         _say(args, "{c} {n} 已停用：其资源保留，新资源不能再选择它。",
              "{c} {n} is deactivated: its resources keep it; new ones cannot use it.",
              c=o.code, n=o.name))
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
    lines = [f"{o.code:<16} {o.name}  [{vocab.ORG_KIND.label(o.kind, lang)}, {o.region_name}"
             + (_say(args, "，已停用", ", deactivated") if not o.is_active else "") + "]"
             for o in orgs]
    emit(args, {"ok": True, "organisations": [_json(o) for o in orgs]},
         "\n".join(lines) or _say(args, "没有组织机构：可运行 govdesk orgs seed --province 33。",
                                  "No organisations: run govdesk orgs seed --province 33."))
    return EXIT_OK


def cmd_orgs_import(args: argparse.Namespace) -> int:
    from govdesk.catalog.orgs.workbook import import_organisations

    db = open_db(args)
    who = acting_identity(args, db)
    with progress_bar(args, _say(args, "导入组织机构", "Importing organisations")) as progress:
        r = import_organisations(db, who, Path(args.file), dry_run=args.dry_run,
                                 progress=progress)
    text = _say(args, "{d}新增 {c} 个，修改 {u} 个，未变 {n} 个。",
                "{d}{c} added, {u} changed, {n} unchanged.", c=r.created, u=r.updated,
                n=r.unchanged, d=_say(args, "（试运行，未写入）", "(dry run, nothing written) ")
                if r.dry_run else "")
    emit(args, {"ok": True, "created": r.created, "updated": r.updated,
                "unchanged": r.unchanged, "dry_run": r.dry_run}, text)
    return EXIT_OK


def cmd_orgs_template(args: argparse.Namespace) -> int:
    from govdesk.catalog.orgs.workbook import write_org_template

    db = open_db(args)
    n = write_org_template(db, acting_identity(args, db), Path(args.file), blank=args.blank)
    emit(args, {"ok": True, "file": args.file, "organisations": n},
         _say(args, "已写出 {f}（{n} 个组织机构）。", "Wrote {f} ({n} organisations).",
              f=args.file, n=n))
    return EXIT_OK


def _fields(p: argparse.ArgumentParser, new: bool) -> None:
    p.add_argument("--name", required=new, help="全称 (full name)")
    p.add_argument("--kind", default="federation" if new else None,
                   help="federation, education, civil_affairs, hrss, health (or the Chinese term)")
    p.add_argument("--region", required=new, metavar="CODE", help="region code (2-12 digits)")
    p.add_argument("--parent", metavar="CODE", help="the parent organisation's code")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``govdesk orgs …`` to the main parser's sub-commands."""
    orgs = sub.add_parser("orgs", parents=[common], help="the organisations directory")
    s = orgs.add_subparsers(dest="orgs_command", metavar="ACTION", required=True)
    seed = s.add_parser("seed", parents=[common], help="create a province's federations at "
                        "every level the region list holds (again: adds only what is missing)")
    seed.add_argument("--province", required=True, metavar="CODE", help="e.g. 33 (Zhejiang)")
    seed.add_argument("--departments", action="store_true",
                      help="also the education, civil-affairs, HRSS and health departments of "
                           "the province and its cities")
    seed.set_defaults(func=cmd_orgs_seed)
    add = s.add_parser("add", parents=[common], help="add an organisation (a department)")
    add.add_argument("code")
    _fields(add, new=True)
    add.set_defaults(func=cmd_orgs_add)
    setp = s.add_parser("set", parents=[common], help="change an organisation")
    setp.add_argument("code")
    setp.add_argument("--new-code", metavar="CODE")
    _fields(setp, new=False)
    setp.set_defaults(func=cmd_orgs_set)
    for name, func, text in (("deactivate", cmd_orgs_deactivate, "stop offering an "
                              "organisation for new resources (nothing is deleted)"),
                             ("activate", cmd_orgs_activate, "offer it again")):
        p = s.add_parser(name, parents=[common], help=text)
        p.add_argument("code")
        p.set_defaults(func=func)
    lst = s.add_parser("list", parents=[common], help="list the organisations")
    lst.add_argument("--active", action="store_true", help="active ones only")
    lst.add_argument("--search", metavar="TEXT", help="code or name contains TEXT")
    lst.set_defaults(func=cmd_orgs_list)
    imp = s.add_parser("import", parents=[common],
                       help="add and change organisations from a workbook (all or nothing)")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check and count only")
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    imp.set_defaults(func=cmd_orgs_import)
    tpl = s.add_parser("template", parents=[common],
                       help="write the organisations workbook (the directory, or --blank)")
    tpl.add_argument("file")
    tpl.add_argument("--blank", action="store_true", help="headers and value list only")
    tpl.set_defaults(func=cmd_orgs_template)
