"""Digests: a thread's discussion, summed up from what was said, and kept."""
