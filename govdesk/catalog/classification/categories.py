"""The category tree (类/项/目/细目) that resource codes are built from: add, rename, remove.

Codes follow the catalogue guide: 类 one digit, 项 two more, 目 three more, 细目 one to three
more; a child's code starts with its parent's. A code is fixed once created (resource codes
carry it); names can change. A category with sub-categories or resources cannot be removed.
"""

from __future__ import annotations

from sqlalchemy import func, select

from govdesk import vocab
from govdesk.catalog.messages import LocatedProblems, Problem
from govdesk.changes import CATEGORIES, Changed
from govdesk.db import announce
from govdesk.db.engine import Database
from govdesk.db.models import Category, DataResource
from govdesk.errors import ConflictError, InputRejected
from govdesk.messages import Text
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

#: code lengths by depth: 类, 项, 目, 细目 (1–3 more digits)
LEVEL_LENGTHS = ((1,), (3,), (6,), (7, 8, 9))


def _check_code(code: str, parent: Category | None) -> None:
    depth = 0 if parent is None else next(
        (i for i, lengths in enumerate(LEVEL_LENGTHS) if len(parent.code) in lengths),
        len(LEVEL_LENGTHS)) + 1
    if depth >= len(LEVEL_LENGTHS):
        raise InputRejected("category_is_leaf", code=parent.code if parent else "")
    lengths = LEVEL_LENGTHS[depth]
    if not code.isdigit() or len(code) not in lengths:
        want = Text("或".join(str(n) for n in lengths), " or ".join(str(n) for n in lengths))
        raise LocatedProblems([("code", Problem("bad_code_category", "code", code,
                                              params={"digits": want}))])
    if parent is not None and not code.startswith(parent.code):
        raise LocatedProblems([("code", Problem("category_prefix", "code", code,
                                              params={"parent": parent.code}))])


@service(Op.CLASSIFICATION_EDIT, writes=True)
def add_category(db: Database, who: Identity, code: str, name: str,
                 parent_code: str | None = None, kind: str | None = None) -> int:
    """Create a category under ``parent_code`` (None: a new top category, whose ``kind`` is one
    of base/business/shared; children inherit their parent's). Returns its id."""
    code, name = code.strip(), name.strip()
    if not name:
        raise LocatedProblems([("name", Problem("required", "name"))])
    with db.session() as s:
        parent = None
        if parent_code:
            parent = s.scalar(select(Category).where(Category.code == parent_code))
            if parent is None:
                raise InputRejected("category_missing", code=parent_code)
        _check_code(code, parent)
        if s.scalar(select(Category.id).where(Category.code == code)) is not None:
            raise LocatedProblems([("code", Problem("duplicate_code", "code", code))])
        kind = parent.kind if parent else kind
        if kind not in vocab.CATEGORY_KIND.codes:
            raise InputRejected("category_kind_required",
                                allowed=", ".join(vocab.CATEGORY_KIND.codes))
        order = (s.scalar(select(func.max(Category.sort_order))) or 0) + 1
        c = Category(code=code, name=name, kind=kind, parent_id=parent.id if parent else None,
                     sort_order=order)
        s.add(c)
        s.flush()
        announce.note(s, Changed.of(CATEGORIES, [c.id]))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="categories", object_id=code,
                     detail={"action": "add", "name": name, "parent": parent_code})
        return c.id


@service(Op.CLASSIFICATION_EDIT, writes=True)
def rename_category(db: Database, who: Identity, code: str, name: str,
                    version: int | None = None) -> None:
    """Give a category a new name. ConflictError when it changed since ``version``."""
    if not name.strip():
        raise LocatedProblems([("name", Problem("required", "name"))])
    with db.session() as s:
        c = s.scalar(select(Category).where(Category.code == code))
        if c is None:
            raise InputRejected("category_missing", code=code)
        if version is not None and c.version != version:
            raise ConflictError("category_changed", code=code)
        old, c.name = c.name, name.strip()
        announce.note(s, Changed.of(CATEGORIES, [c.id]))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="categories", object_id=code,
                     detail={"action": "rename", "from": old, "to": c.name})


@service(Op.CLASSIFICATION_EDIT, writes=True, scope=Scope.NONE,
         why="the tree is one for the whole catalogue: a category holding any region's "
             "resources stays")
def remove_category(db: Database, who: Identity, code: str) -> None:
    """Delete a category that has neither sub-categories nor resources."""
    with db.session() as s:
        c = s.scalar(select(Category).where(Category.code == code))
        if c is None:
            raise InputRejected("category_missing", code=code)
        if s.scalar(select(func.count()).where(Category.parent_id == c.id)):
            raise InputRejected("category_has_children", code=code)
        n = s.scalar(select(func.count()).where(DataResource.category_id == c.id)) or 0
        if n:
            raise InputRejected("category_has_resources", code=code, count=n)
        s.delete(c)
        announce.note(s, Changed.of(CATEGORIES, [c.id]))
        audit.record(s, who, EventType.DATA_CHANGE, object_type="categories", object_id=code,
                     detail={"action": "remove", "name": c.name})
