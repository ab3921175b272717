"""Demo data: ``govdesk demo --scale small|province``.

:mod:`.templates` holds the domain vocabulary the generator draws from, :mod:`.generate` builds
the rows, :mod:`.load` writes them in bulk (COPY on PostgreSQL, executemany on SQLite).
"""
