"""Database access: engine and unit of work (:mod:`.engine`), tables (:mod:`.models`),
schema migrations (:mod:`.migrate`), the messages of this layer (:mod:`.messages`)."""

from __future__ import annotations

from govdesk.db import messages as messages  # registers this layer's message codes
from govdesk.db.engine import Database

__all__ = ["Database"]
