"""Contact imports that run in the background, so a page can show how far a large import has got.

An import job runs an importer (in the server, :func:`server.contacts.import_process.import_in_child`: the
same import as the CLI and ``POST /api/contacts/import``, in a process of its own) from a thread of its own,
and records its progress, then its report or the reason it failed. One import runs at a time: they all write
the same contacts, and a second one started meanwhile is refused. Finished jobs are kept for a while
(an hour, at most twenty) for the page to read, then forgotten; none survive a restart.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parsers.isotime import iso_utc
from server.contacts.importing import ImportReport
from server.errors import Conflict, DomainError, NotFound

log = logging.getLogger(__name__)

KEEP_FINISHED_SECONDS = 3600
KEEP_FINISHED_JOBS = 20


class ImportRunning(Conflict):
    """An import was started while another one is still running."""

    code = "import_running"


@dataclass
class ImportJob:
    """One background import: ``status`` is running, done or failed. While it runs, ``phase`` says what it
    does: "reading" the file (``total`` is None), "checking" its rows against the contacts already saved
    (``done`` of ``total``), then "saving" them all at once; its JSON says null once the import has ended."""

    id: str
    filename: str
    started_at: datetime
    status: str = "running"
    done: int = 0
    total: int | None = None
    phase: str | None = "reading"
    report: ImportReport | None = None
    error: str | None = None
    message: str | None = None
    finished: float | None = field(default=None, repr=False)  # time.monotonic() when it ended

    def progress(self, done: int, total: int) -> None:
        self.total, self.done, self.phase = total, done, "checking"

    def saving(self) -> None:
        self.phase = "saving"

    def as_json(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "import_id": self.id, "filename": self.filename, "status": self.status,
            "phase": self.phase if self.status == "running" else None, "done": self.done,
            "total": self.total, "started_at": iso_utc(self.started_at),
        }
        if self.report is not None:
            answer["report"] = self.report.as_json()
        if self.status == "failed":
            answer["error"], answer["message"] = self.error, self.message
        return answer


Importer = Callable[..., ImportReport]  # (raw, filename, *, now, progress, saving, **options), as import_in_child


class ImportJobs:
    """The server's background imports, each made by ``importer``."""

    def __init__(self, importer: Importer, *, keep_seconds: float = KEEP_FINISHED_SECONDS, keep_jobs: int = KEEP_FINISHED_JOBS):
        self.importer = importer
        self._keep_seconds = keep_seconds
        self._keep_jobs = keep_jobs
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def start(self, raw: bytes, filename: str, *, now: datetime, **options: Any) -> ImportJob:
        """Start importing ``raw`` (``options`` as for import_contacts: mapping, activities, activity_mapping).
        Raises ImportRunning while another import runs."""
        with self._lock:
            self._forget_old()
            running = next((job for job in self._jobs.values() if job.status == "running"), None)
            if running is not None:
                raise ImportRunning(
                    f"Another import ({running.filename}) is still running. Wait until it has finished, then import this file."
                )
            job = ImportJob(secrets.token_hex(8), filename, now)
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, raw, options), name=f"contact-import-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> ImportJob:
        with self._lock:
            self._forget_old()
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound("There is no such import: finished imports are kept for an hour, and not after ReviewDesk restarts. "
                           "Look the contacts up on the Contacts page, or import the file again (nothing is imported twice).")
        return job

    def _run(self, job: ImportJob, raw: bytes, options: dict[str, Any]) -> None:
        try:
            job.report = self.importer(raw, job.filename, now=job.started_at, progress=job.progress, saving=job.saving, **options)
            job.status = "done"
        except DomainError as error:
            job.error, job.message, job.status = error.code, error.message, "failed"
        except Exception:
            log.exception("the contact import %s failed", job.id)
            job.message = ("Something went wrong inside ReviewDesk while importing; nothing was imported. Try again; "
                           "if it keeps happening, the server's log has the details for your administrator.")
            job.error, job.status = "internal_error", "failed"
        finally:
            job.finished = time.monotonic()

    def _forget_old(self) -> None:
        """Drop finished jobs older than the keeping time, and all but the newest finished ones (lock held)."""
        finished = sorted((job for job in self._jobs.values() if job.finished is not None), key=lambda job: job.finished)
        cutoff = time.monotonic() - self._keep_seconds
        for index, job in enumerate(finished):
            if job.finished < cutoff or index < len(finished) - self._keep_jobs:
                del self._jobs[job.id]


__all__ = ["ImportJob", "ImportJobs", "ImportRunning"]
