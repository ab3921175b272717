"""Grading and classification (分级分类): grade schemes as data (:mod:`.schemes`), 就高从严 stated
once (:mod:`.grade_rule`), bulk re-grade (:mod:`.regrade`), the suggestion review queue
(:mod:`.suggestions`), grading coverage (:mod:`.coverage`) and the category tree
(:mod:`.categories`)."""
