"""Every path that changes a resource writes versions that agree: a save, a re-grade and an
accepted grade suggestion each add the next version; the state before GovDesk's first change
(a demo resource) is kept as its own version, so history never loses the original; and an
accepted suggestion that changes nothing writes none. On both databases, as real logins."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from sqlalchemy import func, select

from govdesk.catalog.classification.regrade import apply_regrade
from govdesk.catalog.classification.suggestions import decide, list_suggestions, queue_suggestions
from govdesk.catalog.editing.resources import (
    BASELINE_NOTE,
    diff_versions,
    history,
    load_draft,
    revert,
    save_resource,
)
from govdesk.db.engine import Database
from govdesk.db.models import DataResource, ResourceVersion
from govdesk.demo.profile_sample import TRUTH, sample_rows
from tests.test_suggestions import _people_resource, _sample


def versions_agree(db: Database, rid: int) -> list[int]:
    """The stored version numbers of ``rid``, newest first, checked against the resource."""
    with db.session() as s:
        numbers = s.scalars(select(ResourceVersion.version).where(
            ResourceVersion.resource_id == rid).order_by(ResourceVersion.version.desc())).all()
        current = s.scalar(select(DataResource.version).where(DataResource.id == rid))
    assert numbers and numbers[0] == current
    assert numbers == list(range(current, current - len(numbers), -1))  # no gap, no repeat
    return list(numbers)


def edit(db: Database, who: object, rid: int, text: str) -> int:
    draft, base = load_draft(db, who, rid)  # type: ignore[arg-type]
    return save_resource(db, who, dataclasses.replace(draft, summary=draft.summary + text),  # type: ignore[arg-type]
                         resource_id=rid, base_version=base).version


def test_history_keeps_the_original(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    admin_db, admin = accounts_for(demo_db).login("data_admin")
    rid, _code = _people_resource(demo_db)
    original, _v = load_draft(admin_db, admin, rid)
    assert edit(admin_db, admin, rid, "（一）") == 2
    assert edit(admin_db, admin, rid, "（二）") == 3
    entries = history(admin_db, admin, rid)
    assert [e.version for e in entries] == [3, 2, 1] == versions_agree(demo_db, rid)
    assert entries[-1].note == BASELINE_NOTE
    changes = diff_versions(admin_db, admin, rid, 1, 3)
    assert [c.field for c in changes] == ["summary"]
    revert(admin_db, admin, rid, 1)
    now, version = load_draft(admin_db, admin, rid)
    assert version == 4 and now.summary == original.summary


def test_accept_after_an_edit_and_on_an_untouched_resource(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    accounts = accounts_for(demo_db)
    admin_db, admin = accounts.login("data_admin")
    officer_db, officer = accounts.login("secadmin")
    rid, code = _people_resource(demo_db)
    queue_suggestions(admin_db, admin, _sample(tmp_path), code)
    queue = {p.column_name: p for p in list_suggestions(officer_db, officer, resource_id=rid)}
    # untouched: the accept is version 2, the original version 1
    decide(officer_db, officer, queue["公民身份号码"].id, accept=True)
    assert versions_agree(demo_db, rid) == [2, 1]
    assert edit(admin_db, admin, rid, "（改）") == 3
    decide(officer_db, officer, queue["联系电话"].id, accept=True)  # after an edit
    assert versions_agree(demo_db, rid) == [4, 3, 2, 1]
    notes = [e.note for e in history(admin_db, admin, rid)]
    assert "已采纳" in (notes[0] or "") and notes[-1] == BASELINE_NOTE


def test_an_accept_that_changes_nothing_makes_no_version(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    accounts = accounts_for(demo_db)
    admin_db, admin = accounts.login("data_admin")
    officer_db, officer = accounts.login("secadmin")
    rid, code = _people_resource(demo_db)
    path = tmp_path / "其他.csv"  # a column no data item of the resource is named after
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["备用电话"])
        phone = list(TRUTH).index("联系电话")
        for r in sample_rows(300):
            w.writerow([r[phone]])
    queue_suggestions(admin_db, admin, path, code)
    [sug] = list_suggestions(officer_db, officer, resource_id=rid)
    assert sug.item_id is None
    decide(officer_db, officer, sug.id, accept=True)  # raises the resource grade: a version
    before = versions_agree(demo_db, rid)
    queue_suggestions(admin_db, admin, path, code)  # the same again: nothing left to raise
    [again] = list_suggestions(officer_db, officer, resource_id=rid)
    assert decide(officer_db, officer, again.id, accept=True) == "accepted"
    assert versions_agree(demo_db, rid) == before


def test_regrade_writes_the_next_version(demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(demo_db)
    admin_db, admin = accounts.login("data_admin")
    officer_db, officer = accounts.login("secadmin")
    rid, _code = _people_resource(demo_db)
    apply_regrade(officer_db, officer, [rid], "general3")
    assert versions_agree(demo_db, rid) == [2, 1]
    assert edit(admin_db, admin, rid, "（改）") == 3
    apply_regrade(officer_db, officer, [rid], "general4")
    assert versions_agree(demo_db, rid) == [4, 3, 2, 1]
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ResourceVersion).where(
            ResourceVersion.resource_id == rid, ResourceVersion.note == BASELINE_NOTE)) == 1
