"""Catalogue editing: validation, codes, 就高从严, versions, diff, revert, conflicts."""

from __future__ import annotations

import dataclasses

import pytest

from govdesk.catalog.search.browse import ResourceFilter, list_resources
from govdesk.catalog.editing.resources import (
    EditConflict,
    ItemDraft,
    ResourceDraft,
    ValidationFailed,
    diff_versions,
    history,
    load_draft,
    revert,
    save_resource,
)
from govdesk.db.engine import Database
from govdesk.errors import PermissionDenied
from govdesk.security.identity import Identity
from govdesk.security.roles import Role

EDITOR = Identity("editor_a", Role.DATA_ADMIN, host="t")
OTHER = Identity("editor_b", Role.DATA_ADMIN, host="t")


def draft(**changes: object) -> ResourceDraft:
    base = ResourceDraft(
        name="杭州市残疾人辅助器具租赁信息", category_code="201", provider_org_id=1,
        region_code="330100000000", format="database", sharing_type="conditional",
        sharing_condition="仅用于辅助器具服务", open_type="none", update_cycle="monthly",
        summary="辅助器具租赁与回收记录。",
        items=(ItemDraft("姓名", "C", 50, grade_code="general4"),
               ItemDraft("辅助器具名称", "C", 100, grade_code="general2"),
               ItemDraft("租赁日期", "D")),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_create_assigns_code_version_and_raises_grade(demo_db: Database) -> None:
    result = save_resource(demo_db, EDITOR, draft(grade_code="general1"))
    assert result.code.startswith("201/") and result.version == 1
    assert [n.code for n in result.notices] == ["grade_raised"]
    assert "就高从严" in result.notices[0].text("en") or "提高" in result.notices[0].text("zh")
    d, version = load_draft(demo_db, EDITOR, result.resource_id)
    assert d.grade_code == "general4" and version == 1 and len(d.items) == 3
    second = save_resource(demo_db, EDITOR, draft(name="另一个资源"))
    assert int(second.code.split("/")[1]) == int(result.code.split("/")[1]) + 1
    # the search index knows the new resource at once
    found = list_resources(demo_db, EDITOR, ResourceFilter(text="租赁日期"), 0, 5)
    assert [r.code for r in found] == [result.code, second.code]  # both have the item


@pytest.mark.parametrize(("changes", "code"), [
    ({"name": " "}, "required"),
    ({"sharing_type": "none", "sharing_basis": None}, "basis_required"),
    ({"sharing_type": "none", "sharing_basis": "法律规定", "open_type": "conditional",
      "open_condition": "x"}, "not_shared_implies_not_open"),
    ({"sharing_condition": ""}, "conditions_required"),
    ({"format": "纸质"}, "not_in_list"),
    ({"related_codes": ("999/000001",)}, "unknown_related"),
    ({"category_code": "9"}, "unknown_category"),
    ({"items": (ItemDraft("姓名", "C"), ItemDraft("姓名", "N"))}, "duplicate_item"),
    ({"items": (ItemDraft("金额", "X"),)}, "not_in_list"),
    ({"items": (ItemDraft("金额", "Y", length=-3),)}, "bad_length"),
    ({"items": ()}, "no_items"),
])
def test_validation_refuses_and_writes_nothing(demo_db: Database, changes: dict, code: str) -> None:  # type: ignore[type-arg]
    before = len(list_resources(demo_db, EDITOR, ResourceFilter(), 0, 1000))
    with pytest.raises(ValidationFailed) as exc:
        save_resource(demo_db, EDITOR, draft(**changes))
    assert code in [p.code for p in exc.value.problems]
    assert all(p.text("zh") and p.text("en") for p in exc.value.problems)
    assert len(list_resources(demo_db, EDITOR, ResourceFilter(), 0, 1000)) == before


def test_regional_editor_cannot_place_a_resource_elsewhere(demo_db: Database) -> None:
    hz = Identity("hz", Role.DATA_ADMIN, region_code="330100000000", host="t")
    with pytest.raises(ValidationFailed, match="outside your area") as refused:
        save_resource(demo_db, hz, draft(region_code="330200000000"))
    assert "管辖范围" in refused.value.text("zh")
    with pytest.raises(PermissionDenied):
        save_resource(demo_db, Identity("v", Role.VIEWER, host="t"), draft())


def test_history_diff_and_revert(demo_db: Database) -> None:
    first = save_resource(demo_db, EDITOR, draft())
    d, v = load_draft(demo_db, EDITOR, first.resource_id)
    changed = dataclasses.replace(d, summary="修订后的摘要。", items=d.items[:2] + (
        ItemDraft("归还日期", "D"),))
    second = save_resource(demo_db, EDITOR, changed, resource_id=first.resource_id,
                           base_version=v)
    assert second.version == 2
    changes = {(c.field, c.item) for c in diff_versions(demo_db, EDITOR, first.resource_id, 1, 2)}
    assert ("summary", None) in changes and ("item", "租赁日期") in changes
    assert ("item", "归还日期") in changes
    third = revert(demo_db, EDITOR, first.resource_id, 1)
    assert third.version == 3
    assert diff_versions(demo_db, EDITOR, first.resource_id, 1, 3) == []
    assert [h.version for h in history(demo_db, EDITOR, first.resource_id)] == [3, 2, 1]


def test_second_save_from_a_stale_version_is_a_conflict(demo_db: Database) -> None:
    created = save_resource(demo_db, EDITOR, draft())
    mine, base = load_draft(demo_db, EDITOR, created.resource_id)
    theirs, _ = load_draft(demo_db, OTHER, created.resource_id)
    save_resource(demo_db, OTHER, dataclasses.replace(theirs, summary="他们的修改"),
                  resource_id=created.resource_id, base_version=base)
    with pytest.raises(EditConflict) as exc:
        save_resource(demo_db, EDITOR, dataclasses.replace(mine, summary="我的修改"),
                      resource_id=created.resource_id, base_version=base)
    conflict = exc.value
    assert conflict.base is not None and conflict.base["summary"] == "辅助器具租赁与回收记录。"
    assert conflict.theirs["summary"] == "他们的修改" and conflict.yours["summary"] == "我的修改"
    assert conflict.saved_by == "editor_b" and conflict.their_version == 2
    d, v = load_draft(demo_db, EDITOR, created.resource_id)
    assert d.summary == "他们的修改" and v == 2  # nothing overwritten


def test_one_data_one_source_report(demo_db: Database) -> None:
    from govdesk.catalog.editing.authority import authority_conflicts

    def two_sources(name: str, code: str | None) -> list[int]:
        ids = []
        for i in range(2):
            item = ItemDraft(name if i == 0 else f" {name.upper()} ", "C", 20,
                             is_authoritative=True, standard_code=code)
            ids.append(save_resource(demo_db, EDITOR, draft(
                name=f"权威来源测试{i}", items=(item,))).resource_id)
        return ids

    before = {(c.matches, c.keys) for c in authority_conflicts(demo_db, EDITOR)}
    ids = two_sources("ZZ康复评估编号", "DE9999")
    conflicts = {(c.matches, c.keys): c for c in authority_conflicts(demo_db, EDITOR)}
    new = set(conflicts) - before
    # the same two items found by name and by code: one row
    key = (("name", "standard_code"), ("zz康复评估编号", "DE9999"))
    assert new == {key}
    assert {s.resource_id for s in conflicts[key].sources} == set(ids)
    assert all(s.resource_code and s.provider for s in conflicts[key].sources)


def test_generic_fields_are_not_duplicate_sources(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    """备注, 经度 … held by two resources are no conflict; the stop list is a system setting the
    system administrator edits; a code shared by items of other names is still reported."""
    from govdesk.catalog.editing.authority import authority_conflicts
    from govdesk.security.settings import update_setting
    from govdesk.settings import AUTHORITY_GENERIC_FIELDS

    for i in range(2):
        items = (ItemDraft(" 备注 ", "C", 200, is_authoritative=True),
                 ItemDraft("经度", "N", 12, is_authoritative=True, standard_code="DE9998"),
                 ItemDraft("ZZ服务编号", "C", 20, is_authoritative=True))
        save_resource(demo_db, EDITOR, draft(name=f"通用字段测试{i}", items=items))
    keys = {k for c in authority_conflicts(demo_db, EDITOR) for k in c.keys}
    assert "备注" not in keys and "经度" not in keys and "DE9998" not in keys
    assert "zz服务编号" in keys
    db, sysadmin = accounts_for(demo_db).login("sysadmin")
    update_setting(db, sysadmin, AUTHORITY_GENERIC_FIELDS.key, "备注、ZZ服务编号")
    keys = {k for c in authority_conflicts(demo_db, EDITOR) for k in c.keys}
    assert "zz服务编号" not in keys and "经度" in keys and "DE9998" in keys


def test_a_data_administrator_does_not_lower_a_grade(demo_db: Database) -> None:
    """Raising is editing; lowering is a security administrator's re-grade (on PostgreSQL the
    database refuses it too, migration 0014)."""
    created = save_resource(demo_db, EDITOR, draft())
    d, v = load_draft(demo_db, EDITOR, created.resource_id)
    lower = dataclasses.replace(d, items=(dataclasses.replace(d.items[0], grade_code="general1"),
                                          *d.items[1:]))
    with pytest.raises(ValidationFailed) as exc:
        save_resource(demo_db, EDITOR, lower, resource_id=created.resource_id, base_version=v)
    assert [(p.code, p.item) for p in exc.value.problems] == [("grade_lowered", 1)]
    assert "安全管理员" in exc.value.problems[0].text("zh")
    higher = dataclasses.replace(d, items=(dataclasses.replace(d.items[0], grade_code="core"),
                                           *d.items[1:]))
    saved = save_resource(demo_db, EDITOR, higher, resource_id=created.resource_id,
                          base_version=v)
    assert [n.code for n in saved.notices] == ["grade_raised"]  # 就高从严 raises the resource
