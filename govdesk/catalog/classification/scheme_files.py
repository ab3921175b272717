"""Grade scheme files: read a scheme from YAML or Excel (every problem with where it is), write
one back as YAML. The file shapes are described in :mod:`.schemes`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import yaml

from govdesk import vocab
from govdesk.catalog.classification.scheme_spec import (
    GradeRules,
    GradeSpec,
    SchemeInvalid,
    SchemeSpec,
    default_max_grant_days,
)
from govdesk.catalog.messages import Problem
from govdesk.catalog.profiling.detectors import DETECTOR_CODES
from govdesk.errors import InputRejected
from govdesk.messages import Text

#: accepted header spellings (Excel) -> field
_ALIASES = {
    "编码": "code", "代码": "code", "名称": "name", "级别序号": "rank", "序号": "rank",
    "说明": "description", "描述": "description", "需脱敏": "masking_required",
    "允许导出": "export_allowed", "导出需加密": "export_encryption_required",
    "允许的共享类型": "sharing_types_allowed", "共享审批人数": "approvals_required",
    "最低灾备等级": "min_dr_level", "审计日志保留天数": "audit_retention_days",
    "授权最长天数": "max_grant_days", "共享授权最长天数": "max_grant_days",
    "识别器": "detectors", "来源": "source", "原分级": "old", "新分级": "new",
    "对应方案": "from",
}
_TRUE = {"true", "yes", "y", "1", "是", "需要", "允许", "√", "x"}
_FALSE = {"false", "no", "n", "0", "否", "不需要", "不允许", ""}


def _key(raw: object) -> str:
    text = str(raw).strip()
    return _ALIASES.get(text, text.lower().replace(" ", "_"))


def _words(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(w for w in str(value).replace(";", " ").replace(",", " ").replace("，", " ")
                 .replace("；", " ").split() if w)


def _sharing_code(word: str) -> str:
    for term in vocab.SHARING_TYPE.terms:
        if word in (term.code, term.zh, term.en):
            return term.code
    return word


class _Row:
    """One grade row of a scheme file, its values read with the problems recorded at ``where``."""

    def __init__(self, raw: Mapping[str, Any], where: str,
                 problems: list[tuple[str, Problem]]) -> None:
        self.row = {_key(k): v for k, v in raw.items()}
        self.where, self.problems = where, problems

    def text(self, name: str, required: bool = True) -> str | None:
        value = self.row.get(name)
        if value is None or str(value).strip() == "":
            if required:
                self.problems.append((self.where, Problem("required", name)))
            return None
        return str(value).strip()

    def boolean(self, name: str, default: bool) -> bool:
        value = self.row.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        self.problems.append((self.where, Problem("bad_bool", name, value)))
        return default

    def integer(self, name: str, default: int | None, low: int, high: int) -> int:
        value = self.row.get(name)
        if value is None or str(value).strip() == "":
            if default is None:
                self.problems.append((self.where, Problem("required", name)))
                return low
            return default
        try:
            number = int(float(str(value).strip()))
            if number != float(str(value).strip()) or not low <= number <= high:
                raise ValueError
        except ValueError:
            self.problems.append((self.where, Problem("bad_int", name, value,
                                                      params={"min": low, "max": high})))
            return default if default is not None else low
        return number

    def codes(self, name: str, allowed: tuple[str, ...], problem: str,
              spell: Any = None) -> tuple[str, ...]:
        """The words of ``name`` (each through ``spell``), every one not in ``allowed`` a
        ``problem``."""
        words = tuple((spell or str)(w) for w in _words(self.row.get(name)))
        for w in words:
            if w not in allowed:
                self.problems.append((self.where, Problem(problem, name, w, params={
                    "allowed": ", ".join(allowed)})))
        return words


def _grade_from(raw: Mapping[str, Any], where: str,
                problems: list[tuple[str, Problem]]) -> GradeSpec | None:
    """The grade of one file row, or None with its problems added to ``problems``."""
    row = _Row(raw, where, problems)
    start = len(problems)
    code, name = row.text("code"), row.text("name")
    rank = row.integer("rank", None, 0, 1000)
    sharing = row.codes("sharing_types_allowed", vocab.SHARING_TYPE.codes, "not_in_list",
                        _sharing_code)
    detectors = row.codes("detectors", DETECTOR_CODES, "unknown_detector")
    rules = GradeRules(
        masking_required=row.boolean("masking_required", False),
        export_allowed=row.boolean("export_allowed", True),
        export_encryption_required=row.boolean("export_encryption_required", False),
        sharing_types_allowed=sharing or ("unconditional", "conditional", "none"),
        approvals_required=row.integer("approvals_required", 0, 0, 9),
        min_dr_level=row.integer("min_dr_level", 1, 1, 6),
        # the Cybersecurity Law keeps audit records at least six months
        audit_retention_days=row.integer("audit_retention_days", 180, 180, 36500),
        # a sharing grant of this grade runs at most so many days (ten years at most); a file
        # without the column keeps the standard grades' own limits
        max_grant_days=row.integer("max_grant_days", default_max_grant_days(code), 1, 3650),
    )
    if len(problems) > start or code is None or name is None:
        return None
    return GradeSpec(code, name, rank, rules, row.text("description", False), detectors)


def _scheme_from(data: Mapping[str, Any], grades_raw: list[tuple[str, Mapping[str, Any]]],
                 mapping_raw: Mapping[str, Any] | None) -> SchemeSpec:
    problems: list[tuple[str, Problem]] = []
    head = {_key(k): v for k, v in data.items()}
    code = str(head.get("code") or "").strip()
    name = str(head.get("name") or "").strip()
    if not code:
        problems.append(("scheme", Problem("required", "code")))
    if not name:
        problems.append(("scheme", Problem("required", "name")))
    grades = [g for where, raw in grades_raw if (g := _grade_from(raw, where, problems))]
    if not grades_raw:
        problems.append(("grades", Problem("scheme_no_grades", "scheme")))
    seen_codes: set[str] = set()
    seen_ranks: set[int] = set()
    seen_detectors: set[str] = set()
    for (where, _raw), g in zip(grades_raw, grades, strict=False):
        if g.code in seen_codes:
            problems.append((where, Problem("duplicate_code", "code", g.code)))
        if g.rank in seen_ranks:
            problems.append((where, Problem("duplicate_rank", "rank", g.rank)))
        for d in g.detectors:
            if d in seen_detectors:
                problems.append((where, Problem("detector_twice", "detectors", d)))
            seen_detectors.add(d)
        seen_codes.add(g.code)
        seen_ranks.add(g.rank)
    mapping: dict[str, str] = {}
    mapping_from = None
    if mapping_raw:
        m = {_key(k): v for k, v in mapping_raw.items()}
        mapping_from = str(m.get("from") or "").strip() or None
        pairs = m.get("grades") or {}
        if not isinstance(pairs, Mapping):
            problems.append(("mapping", Problem("bad_mapping", "mapping", pairs,
                                                params={"reason": "old: new pairs"})))
        else:
            for old, new in pairs.items():
                if str(new) not in seen_codes:
                    problems.append(("mapping", Problem("bad_mapping", "mapping",
                                                        f"{old} → {new}", params={
                                                            "reason": f"{new} is not a grade here"})))
                mapping[str(old)] = str(new)
    if problems:
        raise SchemeInvalid(problems)
    return SchemeSpec(code, name, tuple(sorted(grades, key=lambda g: -g.rank)),
                      str(head.get("source") or "").strip() or None, mapping_from, mapping)


#: what the YAML parser's usual complaints mean, for a person (its own words are English and
#: quote the parser's internals: "while scanning a quoted scalar … in \"<unicode string>\"")
_YAML_PROBLEMS = (
    ("mapping values are not allowed", Text("此处不能再出现“键: 值”（冒号后的值若含冒号请加引号，或检查缩进）",
                                            "a 'key: value' is not allowed here (quote a value "
                                            "that contains a colon, or check the indentation)")),
    ("cannot start any token", Text("含有不允许的字符（如制表符：YAML 只能用空格缩进）",
                                    "a character that cannot be here (such as a tab: YAML "
                                    "indents with spaces only)")),
    ("unexpected end of stream", Text("引号或括号没有闭合", "a quote or bracket is not closed")),
    ("but got '<stream end>'", Text("括号没有闭合", "a bracket is not closed")),
    ("could not find expected ':'", Text("缺少“:”", "a ':' is missing")),
    ("expected <block end>", Text("缩进不一致", "the indentation is inconsistent")),
    ("did not find expected key", Text("缩进不一致或缺少“-”", "inconsistent indentation or a "
                                                                "missing '-'")),
    ("did not find expected '-'", Text("列表项缺少“-”", "a list item lacks its '-'")),
    ("found undefined alias", Text("引用了未定义的别名（*…）", "an undefined alias (*…)")),
    ("found duplicate anchor", Text("别名（&…）定义了两次", "an anchor (&…) is defined twice")),
)


def yaml_problem(exc: yaml.YAMLError) -> Problem:
    """The problem of a file the YAML parser refused, with its line and column (1-based)
    and what is wrong in the user's language (the parser's own words only when they are
    not among the usual ones)."""
    said = str(getattr(exc, "problem", None) or "")
    mark = getattr(exc, "problem_mark", None)
    if mark is None or "end of stream" in said or "<stream end>" in said:  # where the
        # unclosed quote or bracket began
        mark = getattr(exc, "context_mark", None) or mark
    problem: object = next((text for key, text in _YAML_PROBLEMS if key in said),
                           Text(f"格式错误（{said}）" if said else "格式错误",
                                said or "a syntax error"))
    if mark is None:
        return Problem("scheme_unreadable", "file", problem)
    return Problem("scheme_yaml_error", "file", params={
        "line": mark.line + 1, "column": mark.column + 1, "problem": problem})


def read_scheme_file(path: str | Path) -> SchemeSpec:
    """The scheme in a .yaml/.yml or .xlsx file. Raises :class:`SchemeInvalid` listing every
    problem with where it is (grade row, field), or InputRejected for an unreadable file."""
    p = Path(path)
    if not p.is_file():
        raise InputRejected("file_missing", path=p)
    if p.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise SchemeInvalid([(p.name, Problem("scheme_not_utf8", "file"))]) from exc
        except yaml.YAMLError as exc:
            raise SchemeInvalid([(p.name, yaml_problem(exc))]) from exc
        if not isinstance(data, Mapping) or not isinstance(data.get("grades"), list):
            raise SchemeInvalid([(p.name, Problem("scheme_no_grades", "scheme"))])
        grades = [(f"grades[{i + 1}]", g if isinstance(g, Mapping) else {})
                  for i, g in enumerate(data["grades"])]
        mapping = data.get("mapping")
        return _scheme_from(data, grades, mapping if isinstance(mapping, Mapping) else None)
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_excel(p)
    raise InputRejected("scheme_file_type", name=p.name)


def _read_excel(p: Path) -> SchemeSpec:
    from python_calamine import CalamineWorkbook

    from govdesk.catalog.excel.check import check_workbook

    if p.suffix.lower() != ".xls":  # the checks every workbook gets before a parser reads it
        check = check_workbook(p, ("grades", "分级", "scheme", "方案", "mapping", "对应关系"))
        if check.problems:
            raise SchemeInvalid([("", problem) for problem in check.problems])  # each names
            # the file itself
    try:
        book = CalamineWorkbook.from_path(str(p))
        sheets = {n.strip().lower(): book.get_sheet_by_name(n).to_python(skip_empty_area=True)
                  for n in book.sheet_names}
    except Exception as exc:  # calamine's own error types for every kind of bad file
        raise SchemeInvalid([(p.name, Problem("scheme_unreadable", "file", exc))]) from exc
    grades_rows = sheets.get("grades") or sheets.get("分级") or []
    scheme_rows = sheets.get("scheme") or sheets.get("方案") or []
    mapping_rows = sheets.get("mapping") or sheets.get("对应关系") or []
    head = {str(r[0]).strip(): r[1] for r in scheme_rows if len(r) >= 2 and str(r[0]).strip()}
    grades: list[tuple[str, Mapping[str, Any]]] = []
    if grades_rows:
        header = [str(h) for h in grades_rows[0]]
        for n, row in enumerate(grades_rows[1:], start=2):
            if any(str(v).strip() for v in row):
                grades.append((f"grades!{n}", {h: (None if v == "" else v)
                                               for h, v in zip(header, row, strict=False)}))
    mapping: dict[str, Any] | None = None
    pairs = {str(r[0]).strip(): str(r[1]).strip() for r in mapping_rows[1:]
             if len(r) >= 2 and str(r[0]).strip()}
    if pairs:
        mapping = {"from": head.get("mapping_from") or head.get("对应方案"), "grades": pairs}
    return _scheme_from(head, grades, mapping)


def scheme_to_yaml(spec: SchemeSpec) -> str:
    """``spec`` as a YAML document :func:`read_scheme_file` reads back (a template to edit)."""
    doc: dict[str, Any] = {"code": spec.code, "name": spec.name, "source": spec.source,
                           "grades": []}
    for g in spec.grades:
        entry: dict[str, Any] = {"code": g.code, "name": g.name, "rank": g.rank}
        if g.description:
            entry["description"] = g.description
        for f in fields(g.rules):
            value = getattr(g.rules, f.name)
            entry[f.name] = list(value) if isinstance(value, tuple) else value
        entry["detectors"] = list(g.detectors)
        doc["grades"].append(entry)
    if spec.mapping:
        doc["mapping"] = {"from": spec.mapping_from, "grades": dict(spec.mapping)}
    return str(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100))
