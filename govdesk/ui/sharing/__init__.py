"""The Sharing area (共享授权): requests, grants, the review queue, history and the sharing alerts."""
