"""``python -m govdesk`` is the same as the ``govdesk`` command."""

from __future__ import annotations

from govdesk.cli import main

raise SystemExit(main())
