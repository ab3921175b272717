"""reference data: roles, the GB/T 2260 region list, default grade scheme, category tree

The region list is the MIT-licensed ``cpca`` adcodes.csv (3,511 divisions, 12-digit codes and
coordinates) copied into resources/regions/, plus a national root row ``000000000000``.
The grade scheme follows GB/T 43697-2024 (核心/重要/一般, 一般 split into levels 1–4); its handling
rules are editable defaults. Categories are the base / business / shared databases of the
CDPF 2021–2025 informatization plan, 类 (1 digit) and 项 (+2 digits).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op


def _resources_dir() -> Path:
    """The ``resources/`` folder (beside the package, or inside a PyInstaller bundle); a copy,
    because a migration never imports application code."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[4] / "resources"


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NATIONAL = "000000000000"

ROLES = [
    ("sysadmin", "系统管理员", "System administrator", True),
    ("secadmin", "安全管理员", "Security administrator", True),
    ("auditor", "审计管理员", "Audit administrator", True),
    ("data_admin", "数据管理员", "Data administrator", False),
    ("viewer", "查看者", "Viewer", False),
]

# code, name, rank, masking, export, encrypt export, sharing allowed, approvals, min DR, retention
GRADES = [
    ("core", "核心数据", 60, True, False, True, "none", 3, 6, 1095),
    ("important", "重要数据", 50, True, True, True, "conditional none", 2, 5, 1095),
    ("general4", "一般数据4级", 40, True, True, True, "conditional none", 2, 4, 730),
    ("general3", "一般数据3级", 30, True, True, False, "conditional none", 1, 3, 365),
    ("general2", "一般数据2级", 20, False, True, False,
     "unconditional conditional none", 0, 2, 180),
    ("general1", "一般数据1级", 10, False, True, False,
     "unconditional conditional none", 0, 1, 180),
]

CATEGORIES = [
    ("1", "基础数据库", "base", None),
    ("101", "残疾人人口基础信息", "base", "1"),
    ("102", "残疾人工作者信息", "base", "1"),
    ("103", "残疾人服务机构信息", "base", "1"),
    ("2", "业务数据库", "business", None),
    ("201", "康复", "business", "2"),
    ("202", "教育", "business", "2"),
    ("203", "就业", "business", "2"),
    ("204", "社会保障", "business", "2"),
    ("205", "文化", "business", "2"),
    ("206", "体育", "business", "2"),
    ("207", "维权", "business", "2"),
    ("208", "无障碍", "business", "2"),
    ("209", "组织建设", "business", "2"),
    ("3", "共享数据库", "shared", None),
    ("301", "教育共享", "shared", "3"),
    ("302", "社会保障共享", "shared", "3"),
    ("303", "卫生健康共享", "shared", "3"),
    ("304", "社会资源共享", "shared", "3"),
]


def region_rows() -> list[dict[str, object]]:
    """Rows of the regions table from resources/regions/adcodes.csv, parents resolved."""
    with open(_resources_dir() / "regions" / "adcodes.csv", encoding="utf-8", newline="") as f:
        raw = list(csv.DictReader(f))
    codes = {r["adcode"] for r in raw}

    def level(code: str) -> int:
        for lvl, width in ((1, 2), (2, 4), (3, 6), (4, 9)):
            if code[width:] == "0" * (12 - width):
                return lvl
        return 5

    def parent(code: str, lvl: int) -> str:
        for width in (9, 6, 4, 2)[5 - lvl:]:
            candidate = code[:width].ljust(12, "0")
            if candidate != code and candidate in codes:
                return candidate
        return NATIONAL

    rows: list[dict[str, object]] = [
        {"code": NATIONAL, "name": "中华人民共和国", "level": 0, "parent_code": None,
         "longitude": 116.407526, "latitude": 39.90403},
    ]
    for r in sorted(raw, key=lambda r: (level(r["adcode"]), r["adcode"])):
        lvl = level(r["adcode"])
        rows.append({
            "code": r["adcode"], "name": r["name"], "level": lvl,
            "parent_code": parent(r["adcode"], lvl),
            "longitude": float(r["longitude"]) if r["longitude"] else None,
            "latitude": float(r["latitude"]) if r["latitude"] else None,
        })
    return rows


def upgrade() -> None:
    meta = sa.MetaData()
    meta.reflect(op.get_bind(), only=["roles", "regions", "grade_schemes", "grades", "categories"])
    t = meta.tables
    op.bulk_insert(t["roles"], [
        {"code": c, "name_zh": zh, "name_en": en, "admin_trio": trio} for c, zh, en, trio in ROLES
    ])
    op.bulk_insert(t["regions"], region_rows())
    op.bulk_insert(t["grade_schemes"], [{
        "id": 1, "code": "GB/T 43697-2024", "name": "数据分类分级规则（GB/T 43697-2024）",
        "source": "GB/T 43697-2024", "is_active": True, "version": 1,
    }])
    op.bulk_insert(t["grades"], [
        {"scheme_id": 1, "code": code, "name": name, "rank": rank, "masking_required": mask,
         "export_allowed": export, "export_encryption_required": enc,
         "sharing_types_allowed": sharing, "approvals_required": approvals,
         "min_dr_level": dr, "audit_retention_days": retention, "version": 1}
        for code, name, rank, mask, export, enc, sharing, approvals, dr, retention in GRADES
    ])
    ids = {code: i for i, (code, *_rest) in enumerate(CATEGORIES, start=1)}
    op.bulk_insert(t["categories"], [
        {"id": ids[code], "code": code, "name": name, "kind": kind,
         "parent_id": ids[parent] if parent else None, "sort_order": i, "version": 1}
        for i, (code, name, kind, parent) in enumerate(CATEGORIES)
    ])
    if op.get_bind().dialect.name == "postgresql":
        for table in ("grade_schemes", "categories"):
            op.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


def downgrade() -> None:
    for table in ("categories", "grades", "grade_schemes", "regions", "roles"):
        op.execute(f"DELETE FROM {table}")
