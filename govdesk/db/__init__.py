"""Database access: engine and unit of work (:mod:`.engine`), tables (:mod:`.models`),
schema migrations (:mod:`.migrate`)."""

from __future__ import annotations

from govdesk.db.engine import Database

__all__ = ["Database"]
