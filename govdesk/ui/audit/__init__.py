"""The Audit area: the audit trail filtered, paged, exported and verified."""
