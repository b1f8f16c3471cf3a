"""Reviews: validating what the toolbar sends, captures, imports from files, and merging a re-captured review."""
