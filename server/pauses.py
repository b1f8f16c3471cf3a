"""Garbage-collection pauses, timed. A collection holds the interpreter lock, so every request waits for it:
one longer than LONG_PAUSE_MS is logged as a warning, and each full collection at debug level
(``reviewdesk serve --verbose``), which is how ``benchmarks/footprint.py`` finds the longest."""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)
LONG_PAUSE_MS = 20.0

_began = 0.0


def _timed(phase: str, info: dict) -> None:
    global _began  # noqa: PLW0603 (one collection runs at a time: the interpreter lock is held throughout)
    if phase == "start":
        _began = time.perf_counter()
        return
    paused = (time.perf_counter() - _began) * 1000
    if paused > LONG_PAUSE_MS:
        log.warning("garbage collection (generation %d, %d objects freed) paused the server for %.1f ms",
                    info["generation"], info["collected"], paused)
    elif info["generation"] == 2:
        log.debug("full garbage collection took %.1f ms", paused)


def watch() -> None:
    """Time every collection from now on (once per process)."""
    if _timed not in gc.callbacks:
        gc.callbacks.append(_timed)
