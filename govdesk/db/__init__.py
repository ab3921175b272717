"""Database access: engine and unit of work (:mod:`.engine`), tables (:mod:`.models`),
schema migrations (:mod:`.migrate`), the messages of this layer (:mod:`.messages`)."""

from __future__ import annotations

from govdesk.db import messages as messages  # registers this layer's message codes

# No engine here: importing the package (for ``urls``, say) must not import SQLAlchemy, which
# the desktop application loads only after its first window is painted.
