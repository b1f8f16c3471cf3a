"""Replies: the policy checker, its vocabularies, triage of a review, and reply suggestions."""
