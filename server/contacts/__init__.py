"""Contacts: reading exports, people's names, match keys, identity on re-import, and matching reviewers."""
