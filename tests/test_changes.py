"""Mutating services say what they changed (govdesk/changes.py): kinds and ids, published when
their unit of work commits and never when it rolls back, on both databases, as real logins."""

from __future__ import annotations

import dataclasses

import pytest

from govdesk.catalog.classification.categories import add_category
from govdesk.catalog.classification.regrade import apply_regrade
from govdesk.catalog.editing import workflow
from govdesk.catalog.editing.resources import (
    ItemDraft,
    ResourceDraft,
    ValidationFailed,
    load_draft,
    save_resource,
)
from govdesk.changes import (
    AUDIT,
    CATEGORIES,
    KINDS,
    RESOURCES,
    SETTINGS,
    USERS,
    Changed,
    Changes,
    publish,
    recording,
)
from govdesk.db.engine import Database
from govdesk.errors import ConflictError
from govdesk.security.roles import Role
from govdesk.security.settings import update_setting
from govdesk.security.users import create_user, lock_user


# -- the value -------------------------------------------------------------------------------
def test_changes_merge_per_kind_and_any_wins() -> None:
    c = Changes.of(Changed.of(RESOURCES, [1]), Changed.of(CATEGORIES, [7]),
                   Changed.of(RESOURCES, [2, 3]))
    assert c.ids(RESOURCES) == {1, 2, 3} and c.ids(CATEGORIES) == {7}
    assert c.ids(USERS) == frozenset() and not c.touches(USERS, 1)
    assert c.kinds == {RESOURCES, CATEGORIES} and c.affects(USERS, CATEGORIES)
    wider = c | Changes.of(Changed(RESOURCES))
    assert wider.ids(RESOURCES) is None and wider.touches(RESOURCES, 99)
    assert not Changes() and Changes.everything().kinds == set(KINDS)
    with pytest.raises(ValueError):
        Changed("passwords")


def test_the_payload_carries_kind_and_ids_only() -> None:
    c = Changed.of(RESOURCES, [3, 1, 2])
    assert c.to_json() == '{"kind":"resources","ids":[1,2,3]}'
    assert Changed.from_json(c.to_json()) == c
    assert Changed.from_json('{"kind":"users","ids":null}') == Changed(USERS)
    for junk in ("", "[]", "{}", '{"kind":"x"}', '{"kind":"users","ids":"1"}',
                 '{"kind":"users","ids":[{"name":"张三"}]}', "not json"):
        assert Changed.from_json(junk) is None, junk


def test_recordings_nest_and_only_see_their_own_thread() -> None:
    import threading

    with recording() as outer:
        with recording() as inner:
            publish(Changes.of(Changed.of(RESOURCES, [1])))
        publish(Changes.of(Changed(AUDIT)))
        elsewhere = threading.Thread(target=publish, args=(Changes.of(Changed(USERS)),))
        elsewhere.start()
        elsewhere.join()
    assert inner.changes.kinds == {RESOURCES}
    assert outer.changes.kinds == {RESOURCES, AUDIT}


# -- the services ----------------------------------------------------------------------------
def draft(name: str = "变更通知测试") -> ResourceDraft:
    return ResourceDraft(name=name, category_code="205", provider_org_id=1,
                         region_code="330000000000", format="spreadsheet",
                         sharing_type="unconditional", open_type="unconditional",
                         update_cycle="yearly", items=(ItemDraft("活动名称", "C"),))


def test_a_save_announces_its_resource_and_a_refused_one_nothing(demo_db: Database,  # type: ignore[no-untyped-def]
                                                                  accounts_for) -> None:
    handle, who = accounts_for(demo_db).login("data_admin")
    with recording() as rec:
        saved = save_resource(handle, who, draft())
    assert rec.changes.ids(RESOURCES) == {saved.resource_id}
    # SQLite audits in the service; PostgreSQL's triggers audit the same save
    assert rec.changes.affects(AUDIT) == (not demo_db.is_postgres)
    with recording() as rec:
        with pytest.raises(ValidationFailed):
            save_resource(handle, who, dataclasses.replace(draft(), name=""))
    # nothing saved, so no resource announced; the failure's own audit record (action_failed)
    # is news for an open audit view
    assert [c.kind for c in rec.changes.changed] == [AUDIT]
    current, version = load_draft(handle, who, saved.resource_id)
    save_resource(handle, who, dataclasses.replace(current, summary="先保存"),
                  resource_id=saved.resource_id, base_version=version)
    with recording() as rec:  # a stale base: a conflict, rolled back
        with pytest.raises(ConflictError):
            save_resource(handle, who, dataclasses.replace(current, summary="后保存"),
                          resource_id=saved.resource_id, base_version=version)
    assert [c.kind for c in rec.changes.changed] == [AUDIT]
    with recording() as rec:
        workflow.submit(handle, who, saved.resource_id)
    assert rec.changes.ids(RESOURCES) == {saved.resource_id}


def test_classification_settings_and_accounts_say_what_they_changed(demo_db: Database,  # type: ignore[no-untyped-def]
                                                                    accounts_for) -> None:
    accounts = accounts_for(demo_db)
    officer_db, officer = accounts.login("secadmin")
    with recording() as rec:
        category_id = add_category(officer_db, officer, "205099", "变更通知类目", "205")
    assert rec.changes.ids(CATEGORIES) == {category_id}
    with recording() as rec:
        plan = apply_regrade(officer_db, officer, [1, 2, 3], "core")
    assert rec.changes.ids(RESOURCES) == {r.id for r in plan.rows if r.changes}
    with recording() as rec:
        update_setting(officer_db, officer, "security.lockout_attempts", "6")
    assert rec.changes.ids(SETTINGS) == {"security.lockout_attempts"}
    admin_db, admin = accounts.login("sysadmin")
    with recording() as rec:
        user = create_user(admin_db, admin, "tchanges_viewer", Role.VIEWER,
                           accounts.PASSWORD)
        accounts.roles.append(user.username)
        lock_user(admin_db, admin, user.username)
    assert rec.changes.affects(USERS)


def test_what_committed_before_a_failure_is_still_announced(demo_db: Database,  # type: ignore[no-untyped-def]
                                                            accounts_for) -> None:
    handle, who = accounts_for(demo_db).login("data_admin")
    with recording() as rec:
        first = save_resource(handle, who, draft("第一条"))
        with pytest.raises(ValidationFailed):
            save_resource(handle, who, draft(""))
    assert rec.changes.ids(RESOURCES) == {first.resource_id}
