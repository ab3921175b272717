"""``govdesk grades …`` and ``govdesk classify …``: grade schemes and grade suggestions, headless."""

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
    pad,
    progress_bar,
    say,
)
from govdesk.errors import UsageError
from govdesk.files import output_file


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs or []:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise UsageError("bad_map", pair=pair)
        mapping[old.strip()] = new.strip()
    return mapping


def cmd_grades_list(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.labels import detector_label
    from govdesk.catalog.classification.schemes import list_schemes

    db = open_db(args)
    schemes = list_schemes(db, acting_identity(args, db))
    lang = lang_of(args)
    lines = []
    for info in schemes:
        mark = "*" if info.is_active else " "
        lines.append(f"{mark} {info.spec.name}" if info.spec.code in info.spec.name else
                     say(args, "scheme_line", mark=mark, name=info.spec.name, code=info.spec.code))
        for g in info.spec.grades:
            r = g.rules
            lines.append("      " + say(
                args, "grade_line", name=g.name, code=g.code, rank=g.rank,
                mask=_yes(args, r.masking_required), export=_yes(args, r.export_allowed),
                dr=r.min_dr_level,
                detectors=("、" if lang == "zh" else ", ").join(
                    detector_label(d, lang) for d in g.detectors) or "-"))
    emit(args, {"schemes": [{"code": i.spec.code, "name": i.spec.name,
                             "active": i.is_active,
                             "grades": [{"code": g.code, "name": g.name, "rank": g.rank,
                                         **g.rules.__dict__,
                                         "detectors": list(g.detectors)}
                                        for g in i.spec.grades]} for i in schemes]},
         "\n".join(lines))
    return EXIT_OK


def _yes(args: argparse.Namespace, value: bool) -> str:
    return say(args, "answer_yes" if value else "answer_no")


def cmd_grades_export(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.schemes import active_scheme, scheme_to_yaml

    db = open_db(args)
    spec = active_scheme(db, acting_identity(args, db))
    out = Path(args.file)
    output_file(out, (".yaml", ".yml"))
    out.write_text(scheme_to_yaml(spec), encoding="utf-8")
    emit(args, {"ok": True, "file": str(out), "scheme": spec.code},
         say(args, "scheme_written", name=spec.name, file=out))
    return EXIT_OK


def cmd_grades_apply(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.schemes import apply_scheme, plan_scheme, read_scheme_file

    lang = lang_of(args)
    db = open_db(args)
    who = acting_identity(args, db)
    spec = read_scheme_file(args.file)
    mapping = _mapping(args.map)
    plan = plan_scheme(db, who, spec, mapping)
    applied = False
    if not plan.problems and not args.dry_run:  # loosenings unconfirmed: refused, listed
        plan = apply_scheme(db, who, spec, mapping, confirm_loosening=args.confirm_loosening)
        applied = True
    payload = {
        "ok": not plan.problems, "applied": applied, "scheme": plan.scheme_code,
        "activates": plan.activates, "affected_resources": plan.affected_resources,
        "changes": [{"from": c.old_code, "from_name": c.old_name, "to": c.new_code,
                     "to_name": c.new_name, "resources": c.resources,
                     "items": c.items, "rule_changes": [
                         {"rule": rule, "old": old, "new": new}
                         for rule, old, new in c.rule_changes]} for c in plan.changes],
        "added": list(plan.added),
        "sample": [r.__dict__ for r in plan.sample],
        "problems": [{"where": w, "message": p.text(lang)} for w, p in plan.problems],
        "loosenings": [{"from": lo.old_code, "to": lo.new_code, "rule": lo.rule,
                        "message": lo.problem().text(lang)} for lo in plan.loosenings],
    }
    emit(args, payload, "\n".join(_plan_lines(args, plan, applied)))
    return EXIT_OK if not plan.problems else EXIT_INPUT


def _plan_lines(args: argparse.Namespace, plan: Any, applied: bool) -> list[str]:
    """The plan of ``grades apply`` as people read it: grades by name, rules by label."""
    from govdesk.catalog.classification.labels import rule_label, rule_value

    lang = lang_of(args)
    lines = [say(args, "plan_activate" if plan.activates else "plan_update",
                 name=plan.scheme_name or plan.scheme_code)]
    for c in plan.changes:
        rules = ("; " if lang == "en" else "；").join(
            f"{rule_label(r, lang)}: {rule_value(o, lang)} → {rule_value(n, lang)}"
            for r, o, n in c.rule_changes) or say(args, "plan_same_rules")
        lines.append("  " + say(args, "plan_change", old=c.old_name,
                                new=c.new_name or say(args, "plan_removed"),
                                resources=c.resources, items=c.items, rules=rules))
    lines.append(say(args, "plan_affected", resources=plan.affected_resources))
    lines += [f"  {w}: {p.text(lang)}" for w, p in plan.problems]
    lines += [f"  {lo.problem().text(lang)}" for lo in plan.loosenings]
    lines.append(say(args, "plan_applied" if applied else
                     "plan_dry_run" if not plan.problems else "plan_not_applied"))
    return lines


def cmd_classify_suggest(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.labels import detector_label
    from govdesk.catalog.classification.suggestions import queue_suggestions, suggest

    db = open_db(args)
    who = acting_identity(args, db)
    if args.queue and not args.resource:
        raise UsageError("queue_needs_resource")
    with progress_bar(args, say(args, "bar_profile", name=Path(args.file).name)) as progress:
        if args.queue:
            report = queue_suggestions(db, who, args.file, args.resource, progress=progress)
        else:
            report = suggest(db, who, args.file, resource_code=args.resource, progress=progress)
    lang = lang_of(args)
    lines = [say(args, "profile_head", file=report.path, rows=report.rows, scheme=report.scheme)]
    for c in report.columns:
        lines.append("  " + say(
            args, "profile_column", name=pad(c.name, 16),
            detector=pad(detector_label(c.detector, lang), 16), confidence=f"{c.confidence:>5.2f}",
            grade=pad(c.suggested_grade.name if c.suggested_grade else "-", 12),
            null=f"{c.null_rate:.0%}", distinct=c.distinct,
            examples=", ".join(c.examples[:2])))
    if report.quality_score is not None:
        lines.append(say(args, "profile_quality", score=f"{report.quality_score:.2f}",
                         identifiers=report.identifier_validity
                         if report.identifier_validity is not None else "-",
                         metadata=report.metadata_completeness))
    if args.queue:
        lines.append(say(args, "profile_queued", queued=report.queued))
    emit(args, report.as_dict(), "\n".join(lines))
    return EXIT_OK


def cmd_classify_queue(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.labels import detector_label
    from govdesk.catalog.classification.suggestions import list_suggestions

    db = open_db(args)
    rows = list_suggestions(db, acting_identity(args, db), status=args.status)
    lang = lang_of(args)
    lines = [say(args, "queue_line", id=pad(p.id, 6), resource=pad(p.resource_code, 14),
                 column=pad(p.column_name, 16), detector=pad(detector_label(p.detector, lang), 16),
                 confidence=f"{p.confidence:.2f}", grade=p.grade_name,
                 item_grade=p.item_grade_name or "-") for p in rows]
    emit(args, {"suggestions": [p.__dict__ for p in rows]},
         "\n".join(lines) or say(args, "queue_empty"))
    return EXIT_OK


#: what ``decide`` answers (the suggestion's new status)
DECIDED = {"accepted": "suggestion_accepted", "rejected": "suggestion_rejected"}


def cmd_classify_decide(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.suggestions import decide

    db = open_db(args)
    status = decide(db, acting_identity(args, db), args.id, args.decision == "accept")
    emit(args, {"ok": True, "id": args.id, "status": status},
         say(args, DECIDED.get(status, "suggestion_status"), id=args.id, status=status))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk grades …`` and ``govdesk classify …`` to the main parser's sub-commands."""
    grades = sub.add_parser("grades", parents=[common], help=tr("分级方案", "grade schemes"))
    g_sub = grades.add_subparsers(dest="grades_command", metavar=tr("操作", "ACTION"),
                                  required=True)
    g_sub.add_parser("list", parents=[common], help=tr(
        "已保存的分级方案及其级别", "stored schemes and their grades")) \
        .set_defaults(func=cmd_grades_list)
    gexp = g_sub.add_parser("export", parents=[common], help=tr(
        "把生效的方案写成 YAML（可编辑的模板）",
        "write the active scheme as YAML (a template to edit)"))
    gexp.add_argument("file", help=tr("输出文件（.yaml）", "output file (.yaml)"))
    gexp.set_defaults(func=cmd_grades_export)
    gapp = g_sub.add_parser("apply", parents=[common], help=tr(
        "启用一个方案文件（.yaml 或 .xlsx），或更新生效的方案；先显示哪些处理要求会改变",
        "make a scheme file (.yaml or .xlsx) active, or update the active one; shows what "
        "changes handling first"))
    gapp.add_argument("file", help=tr("方案文件（.yaml 或 .xlsx）", "scheme file (.yaml or .xlsx)"))
    gapp.add_argument("--map", action="append", metavar="OLD=NEW", help=tr(
        "正在使用的级别改为哪个级别（级别代码，可重复；补充文件中的对应关系）",
        "where a grade in use goes (grade codes; repeatable; adds to the file's mapping)"))
    gapp.add_argument("--dry-run", action="store_true",
                      help=tr("只显示计划，不做任何更改", "show the plan; change nothing"))
    gapp.add_argument("--confirm-loosening", action="store_true", help=tr(
        "即使方案放宽了处理要求也予以应用（计划中会列出；不加此选项时此类方案被拒绝）",
        "apply even though the scheme weakens handling rules (the plan lists them; without "
        "this option such a scheme is refused)"))
    gapp.set_defaults(func=cmd_grades_apply)

    cls = sub.add_parser("classify", parents=[common],
                         help=tr("根据样例文件给出分级建议", "grade suggestions from sample files"))
    c_sub = cls.add_subparsers(dest="classify_command", metavar=tr("操作", "ACTION"),
                               required=True)
    sug = c_sub.add_parser("suggest", parents=[common], help=tr(
        "分析 CSV 或 Excel 样例：每列包含什么、建议什么分级",
        "profile a CSV or Excel sample: per column what it holds and the grade it suggests"))
    sug.add_argument("file", help=tr("样例文件（.csv 或 .xlsx）", "sample file (.csv or .xlsx)"))
    sug.add_argument("--resource", metavar="CODE", help=tr(
        "把列与此资源的信息项对应，并给资源的质量打分",
        "match columns to this resource's data items; score its quality"))
    sug.add_argument("--queue", action="store_true", help=tr(
        "保存分析结果，并把建议放入审核队列",
        "store the profile and queue the suggestions for review"))
    sug.set_defaults(func=cmd_classify_suggest)
    q = c_sub.add_parser("queue", parents=[common], help=tr("列出分级建议", "list suggestions"))
    q.add_argument("--status", choices=("pending", "accepted", "rejected"), default="pending",
                   help=tr("pending 待审核（默认）、accepted 已采纳、rejected 已拒绝",
                           "pending (default), accepted or rejected"))
    q.set_defaults(func=cmd_classify_queue)
    dec = c_sub.add_parser("decide", parents=[common],
                           help=tr("采纳或拒绝一条建议", "accept or reject a suggestion"))
    dec.add_argument("id", type=int, help=tr("建议编号", "suggestion number"))
    dec.add_argument("decision", choices=("accept", "reject"),
                     help=tr("accept 采纳、reject 拒绝", "accept or reject"))
    dec.set_defaults(func=cmd_classify_decide)
