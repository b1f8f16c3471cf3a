"""The application factory: settings, storage, security, the API and the dashboard."""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

from flask import Flask

from server.config import MODELS_FOLDER, ConfigFile, ensure_private_dir, load_settings, resolve_data_dir
from server.contacts.import_jobs import ImportJobs
from server.contacts.import_process import import_in_child
from server.contacts.keys import key_unkeyed_contacts
from server.replies.learned import use_practice_models
from server.storage import Store, StorePool, initialise
from server.web import api, dashboard, security, workbench
from server.web.context import release_store
from server.web.errors import register_error_handlers
from server.workflow.events import derive_missing_progress

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None, *, data_dir: str | os.PathLike | None = None) -> Flask:
    """Build the ReviewDesk server for the data directory ``data_dir`` (see :mod:`server.config`).

    ``test_config`` overrides every other setting; its ``DATA_DIR`` (if any) picks the data directory.
    """
    chosen_dir = resolve_data_dir((test_config or {}).get("DATA_DIR") or data_dir)
    ensure_private_dir(chosen_dir)
    config_file = ConfigFile(chosen_dir)
    config_file.protect()

    app = Flask(__name__)
    app.config.update(load_settings(chosen_dir, config_file, test_config))
    app.extensions["reviewdesk.config_file"] = config_file
    app.json.sort_keys = False

    initialise(Path(app.config["DATABASE"]))
    use_practice_models(chosen_dir / MODELS_FOLDER)
    with Store.connect(app.config["DATABASE"]) as store:
        derive_missing_progress(store)
        key_unkeyed_contacts(store)
    app.extensions["reviewdesk.store_pool"] = StorePool(app.config["DATABASE"], keep=app.config["THREADS"])
    app.teardown_appcontext(release_store)
    app.extensions["reviewdesk.contact_importer"] = partial(import_in_child, app.config["DATABASE"])
    app.extensions["reviewdesk.import_jobs"] = ImportJobs(app.extensions["reviewdesk.contact_importer"])

    register_error_handlers(app)
    security.init_app(app)
    api.register(app)
    app.register_blueprint(dashboard.bp)
    workbench.init_app(app)
    log.debug("ReviewDesk app created for %s", chosen_dir)
    return app
