"""The catalogue workbook: its layout (:mod:`.layout`), the checks made before any parser reads
a file (:mod:`.check`, with what it finds and its limits in :mod:`.findings` and the sheet XML
scans in :mod:`.scan`), import (:mod:`.importer`: the report in :mod:`.report`, reading a sheet
in :mod:`.sheet`, rows to drafts in :mod:`.drafts`) and export (:mod:`.exporter`)."""
