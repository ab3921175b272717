"""Demo data: ``govdesk demo --scale small|province``.

:mod:`.templates` holds the domain vocabulary the generator draws from, :mod:`.generate` builds
the rows (in the shapes of :mod:`.rows`; the catalogue's in :mod:`.catalogue`, sample people
from :mod:`.person`), :mod:`.load` writes them in bulk (COPY on PostgreSQL, executemany on
SQLite).
"""

from govdesk.demo import messages as messages  # registers this package's message codes
