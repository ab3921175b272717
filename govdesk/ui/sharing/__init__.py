"""The Sharing area (共享授权): requests, grants, review and history of sharing grants."""
