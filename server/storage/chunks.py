"""Long id lists in a query: SQLite allows 32,766 parameters per statement, so ids go in chunks well below that."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

PARAMETER_CHUNK = 900


def in_chunks(ids: Sequence[int]) -> Iterator[tuple[Sequence[int], str]]:
    """Each chunk of ``ids`` with its placeholders ("?, ?, ?") for an ``IN (...)``."""
    for start in range(0, len(ids), PARAMETER_CHUNK):
        chunk = ids[start:start + PARAMETER_CHUNK]
        yield chunk, ", ".join("?" * len(chunk))
