"""Applying fixes: edits to text, atomic writes, and the check that a fix stays in its scope."""
