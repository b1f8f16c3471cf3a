"""ReviewDesk's local server: the Flask application, its API, the dashboard and storage."""

__version__ = "0.1.0"

from server.app import create_app  # noqa: E402  (re-exported for `from server import create_app`)

__all__ = ["create_app", "__version__"]
