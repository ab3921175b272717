"""Changing the catalogue: validated saves with versions and conflicts (:mod:`.resources`), the
草稿 → 注册审核 → 发布审核 → 发布 workflow (:mod:`.workflow`), and the 一数一源 report of data
items with more than one authoritative source (:mod:`.authority`)."""
