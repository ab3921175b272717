"""Users and the five roles, authentication, authorization, the audit trail, masking.

The tables live in :mod:`govdesk.db.models.security`; the services arrive with the security
core (roles enforced by PostgreSQL, login with keyring, hash-chained audit trail). The messages
this package's errors carry are in :mod:`.messages`.
"""

from govdesk.security import messages as messages  # registers this package's message codes
