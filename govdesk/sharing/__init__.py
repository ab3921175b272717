"""Sharing grants (共享授权) between federations and departments: who may read which resource,
which of its data items, how, why, on what basis and until when.

This package owns the grant's workflow and its rules in the service layer:

- :mod:`.states`: the one transition table (request or offer → approval, one or two distinct
  approvers → in force → expired by its dates, revoked, released, rejected, lapsed; renewal),
  and the state of a grant at a moment (``approved`` told apart by its dates, never by a job);
- :mod:`.policy`: the rules from the catalogue and the grade scheme (不予共享 cannot be granted,
  each grade's sharing types, maximum validity and approvals; items whose grade forbids sharing
  are left out with the reason; conditions accepted), and what a request needs to know of a
  resource of another region;
- :mod:`.workflow`: the services that take each step (audited, announced as ``grants``);
- :mod:`.queries`: the grants a caller may see, one grant with its items and history;
- :mod:`.dto` and :mod:`.messages`: what the services return and say.

The tables and the grant rule that narrows reads live in :mod:`govdesk.db.models.sharing`; on
PostgreSQL migration 0025 enforces the same workflow by trigger and the reads by row-level
security, for any client. The effective-access matrix, alerts and the Sharing area of the GUI
(``govdesk/ui/sharing/``) build on these services (issue 14, later sessions).
"""

from govdesk.sharing import messages as messages  # registers the sharing message codes
