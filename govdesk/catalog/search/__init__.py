"""Finding resources: the filtered, sorted, paged catalogue list and resource details
(:mod:`.browse`), the search index that serves Chinese terms (:mod:`.index`), and the reads
PostgreSQL logins make through row-level-security-aware functions (:mod:`.scoped_read`)."""
