"""Administration (system administrator) and security policy (security administrator)."""
