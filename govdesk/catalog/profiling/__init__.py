"""Detection and profiling: what a column's values are (:mod:`.detectors`, with the identifier
validators of :mod:`.identifiers`), a sample file's profile (:mod:`.profile`), and the masked
sample rows stored with a resource (:mod:`.samples`)."""
