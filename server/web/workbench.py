"""Serves the review-workbench UI components (ES modules and their style sheet) at ``/workbench/<file>``.

One copy, shared with the browser toolbar: ``extension/workbench/`` in the repository, copied into the
installed package as ``server/web/workbench/`` when it is built (``setup.py``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, send_from_directory

log = logging.getLogger(__name__)

bp = Blueprint("workbench", __name__, url_prefix="/workbench")

CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css"}
PACKAGED = Path(__file__).resolve().parent / "workbench"
IN_REPOSITORY = Path(__file__).resolve().parents[2] / "extension" / "workbench"


def workbench_folder() -> Path | None:
    """The installed package's copy when present, else the repository's (source tree, editable install)."""
    for folder in (PACKAGED, IN_REPOSITORY):
        if folder.is_dir() and any(folder.glob("*.js")):
            return folder
    return None


@bp.get("/<filename>")
def workbench_file(filename: str):
    folder = current_app.extensions.get("reviewdesk.workbench")
    content_type = CONTENT_TYPES.get(Path(filename).suffix)
    if folder is None or content_type is None or filename.startswith("."):
        abort(404)
    return send_from_directory(folder, filename, mimetype=content_type, max_age=0)


def init_app(app: Flask) -> None:
    folder = workbench_folder()
    if folder is None:
        log.warning("The review-workbench files were not found (%s or %s): the dashboard's review page cannot load them.",
                    PACKAGED, IN_REPOSITORY)
    app.extensions["reviewdesk.workbench"] = folder
    app.register_blueprint(bp)
