"""The data-resource catalogue (数据资源目录), by concern:

- :mod:`.search`: the catalogue list, details and the search index (read side);
- :mod:`.editing`: saves, versions, conflicts, the workflow and 一数一源;
- :mod:`.excel`: workbook layout, pre-read checks, import and export;
- :mod:`.classification`: grade schemes, 就高从严, re-grade, suggestions, coverage, categories;
- :mod:`.profiling`: detectors, identifier validators, sample profiles and masked samples;
- :mod:`.dto` and :mod:`.messages`: the dataclasses services return and the validation messages
  they carry, shared by all of them.
"""

from govdesk.catalog import messages as messages  # registers the catalogue's message codes
