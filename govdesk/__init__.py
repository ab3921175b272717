"""GovDesk (残联数据治理桌面端): the data-governance desktop client.

Nothing in this package except :mod:`govdesk.ui` imports Qt; a test enforces it.
"""

from __future__ import annotations

__version__ = "0.1.0"
