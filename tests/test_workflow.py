"""草稿 → 注册审核 → 发布审核 → 发布, with the reviewer never the author."""

from __future__ import annotations

import pytest

from govdesk.catalog.editing.resources import ItemDraft, ResourceDraft, save_resource
from govdesk.catalog.editing.workflow import approve, return_to_draft, submit
from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied
from govdesk.security.identity import Identity, identity_from_connection


def make_resource(db: Database, who: Identity) -> int:
    return save_resource(db, who, ResourceDraft(
        name="工作流测试资源", category_code="205", provider_org_id=1, region_code="330000000000",
        format="spreadsheet", sharing_type="unconditional", open_type="unconditional",
        update_cycle="yearly", items=(ItemDraft("活动名称", "C", 100),))).resource_id


def as_login(db: Database, accounts, role: str):  # type: ignore[no-untyped-def]
    who = accounts.add(role)
    if db.is_postgres:
        handle = Database(accounts.url_for(who.username))
        return handle, identity_from_connection(handle)
    return db, who


def test_full_workflow_with_separate_reviewer(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(demo_db)
    author_db, author = as_login(demo_db, accounts, "data_admin")
    reviewer_db, reviewer = as_login(demo_db, accounts, "secadmin")
    rid = make_resource(author_db, author)
    with pytest.raises(InputRejected):
        approve(reviewer_db, reviewer, rid)  # a draft is not under review
    assert submit(author_db, author, rid) == "registration_review"
    with pytest.raises(PermissionDenied, match="cannot"):
        approve(author_db, author, rid)  # never one's own
    assert approve(reviewer_db, reviewer, rid) == "publication_review"
    assert return_to_draft(reviewer_db, reviewer, rid) == "draft"
    submit(author_db, author, rid)
    approve(reviewer_db, reviewer, rid)
    assert approve(reviewer_db, reviewer, rid) == "published"
    for handle in (author_db, reviewer_db):
        if handle is not demo_db:
            handle.dispose()


def test_viewers_cannot_move_the_workflow(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(demo_db)
    author_db, author = as_login(demo_db, accounts, "data_admin")
    rid = make_resource(author_db, author)
    viewer_db, viewer = as_login(demo_db, accounts, "viewer")
    with pytest.raises(PermissionDenied):
        submit(viewer_db, viewer, rid)
    submit(author_db, author, rid)
    with pytest.raises(PermissionDenied):
        approve(viewer_db, viewer, rid)
