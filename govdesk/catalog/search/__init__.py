"""Finding resources: the catalogue services, the filtered, sorted, paged list and resource
details (:mod:`.browse`), built from the filter (:mod:`.filters`), its SQL form
(:mod:`.conditions`), the text matched through the search indexes (:mod:`.matching`) and the
page by key (:mod:`.paging`); the search index that serves Chinese terms (:mod:`.index`), and
the reads PostgreSQL logins make through row-level-security-aware functions
(:mod:`.scoped_read`)."""
