"""The server's contact imports, each in a process of its own.

A 100,000-row export makes millions of short-lived Python objects. In the server's own process they
would stay in its memory after the import (about 250 MB more, which Python's allocator keeps), and every
request would wait while the import holds the interpreter lock. In a child process the import has the
other core to itself, and all its memory goes back to the system when it ends. It writes the same
database file (SQLite allows one writer at a time across processes, as across threads), and the same
:func:`server.contacts.importing.import_contacts` runs in it as in the CLI.

The child is started fresh ("spawn", never a fork of a server with threads); its progress, its report and
an unreadable file come back through a pipe.
"""

from __future__ import annotations

import multiprocessing
import traceback
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from server import errors
from server.contacts.importing import ImportReport, Progress, Saving, import_contacts
from server.storage import Store

STOP_WAIT_SECONDS = 10  # for the child to exit once it has answered


class ImportProcessFailed(RuntimeError):
    """The import process failed or ended without an answer; nothing was imported (its transaction rolled back)."""


def import_in_child(database: str | Path, raw: bytes, filename: str, *, now: datetime, progress: Progress | None = None,
                    saving: Saving | None = None, **options: Any) -> ImportReport:
    """``import_contacts`` on ``database``, run in a child process: the same report, progress calls and errors."""
    context = multiprocessing.get_context("spawn")
    answers, child_end = context.Pipe(duplex=False)
    child = context.Process(target=_import, args=(str(database), raw, filename, now, options, child_end),
                            name="reviewdesk-contact-import", daemon=True)
    child.start()
    child_end.close()  # the child holds its own copy: the pipe ends (EOFError) when the child does
    try:
        while True:
            try:
                answer = answers.recv()
            except EOFError:
                child.join(STOP_WAIT_SECONDS)
                raise ImportProcessFailed(f"The contact import process ended without an answer (exit code {child.exitcode}).") from None
            kind, *data = answer
            if kind == "progress" and progress is not None:
                progress(*data)
            elif kind == "saving" and saving is not None:
                saving()
            elif kind == "done":
                return ImportReport(**data[0])
            elif kind == "refused":
                raise domain_error(*data)
            elif kind == "failed":
                raise ImportProcessFailed(f"The contact import process failed:\n{data[0]}")
    finally:
        answers.close()
        child.join(STOP_WAIT_SECONDS)
        if child.is_alive():
            child.kill()
            child.join()


def domain_error(kind: str, message: str) -> errors.DomainError:
    """The domain error the child refused the import with (an unreadable file, mostly), as the same kind here:
    the web layer answers it with the same status and code. A kind made otherwise than from a message becomes
    a plain DomainError with that message."""
    error_class = getattr(errors, kind, None)
    if isinstance(error_class, type) and issubclass(error_class, errors.DomainError):
        try:
            return error_class(message)
        except TypeError:
            pass
    return errors.DomainError(message)


def _import(database: str, raw: bytes, filename: str, now: datetime, options: dict[str, Any], answers: Connection) -> None:
    """The child's work: import, telling the parent how far it has got, then what came of it."""
    try:
        with Store.connect(database) as store:
            report = import_contacts(store, raw, filename, now=now, progress=lambda done, total: answers.send(("progress", done, total)),
                                     saving=lambda: answers.send(("saving",)), **options)
        answers.send(("done", report.as_json()))
    except errors.DomainError as error:
        answers.send(("refused", type(error).__name__, error.message))
    except Exception:  # noqa: BLE001 (whatever it is, the parent reports it and logs it)
        answers.send(("failed", traceback.format_exc()))
    finally:
        answers.close()
