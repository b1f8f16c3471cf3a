"""ReviewDesk's local server: web/ (HTTP), the domain packages (reviews, replies, contacts, workflow),
settings and storage. The application factory is :func:`server.web.app.create_app`."""

__version__ = "0.1.0"
