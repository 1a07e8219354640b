"""Reads from a streaming replica, with read-your-writes for each caller (docs/scaling.md)."""
