"""The Catalogue area: the paged resource list, filters and the detail pane."""
