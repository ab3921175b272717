"""The catalogue workbook: its layout (:mod:`.layout`), the checks made before any parser reads
a file (:mod:`.check`), import (:mod:`.importer`) and export (:mod:`.exporter`)."""
