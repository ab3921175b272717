"""The Sharing area (共享授权): grants, requests, the review queue and the sharing alerts."""
