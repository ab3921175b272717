"""Changing the catalogue: validated saves with versions and conflicts (:mod:`.resources`, built
on the draft in :mod:`.draft`, its checks in :mod:`.validation`, versions in :mod:`.versions`
and the bulk paths in :mod:`.insert` and :mod:`.bulk_update`), the
草稿 → 注册审核 → 发布审核 → 发布 workflow (:mod:`.workflow`), and the 一数一源 report of data
items with more than one authoritative source (:mod:`.authority`)."""
