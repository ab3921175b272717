"""The organisations directory (组织机构): the federations and departments that provide
resources, kept by the system administrator.

- :mod:`.directory`: list, add, edit, deactivate and reactivate (never delete);
- :mod:`.seed`: the federations of a province at every level the region list holds;
- :mod:`.workbook`: the organisations workbook (template and all-or-nothing import);
- :mod:`.messages`: the messages of all three.
"""

from govdesk.catalog.orgs import messages as messages  # registers the directory's message codes
