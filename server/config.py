"""Settings of a ReviewDesk server: defaults, the data directory's config file, environment, tests.

Precedence (later wins): DEFAULTS, then ``config.json`` in the data directory, then ``REVIEWDESK_*``
environment variables, then the test config given to ``create_app``. The config file also holds the
pairing token and the session secret; it is created readable by its owner only.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "ReviewDesk"
CONFIG_FILENAME = "config.json"
DATABASE_FILENAME = "reviewdesk.sqlite3"
MODELS_FOLDER = "models"  # the practice's retrained triage and checker models (reviewdesk retrain)
ENV_PREFIX = "REVIEWDESK_"


@dataclass(frozen=True)
class ServerSetting:
    """One setting of the server: its name (``config.json`` key in lower case, ``REVIEWDESK_<NAME>`` in
    the environment), its default (whose type the value takes), what it means, and for a number that
    must be positive, its unit."""

    name: str
    default: Any
    help: str
    positive_unit: str | None = None


SERVER_SETTINGS: tuple[ServerSetting, ...] = (
    ServerSetting("PORT", 5151, "port of `reviewdesk serve`"),
    ServerSetting("HOST", "127.0.0.1", "address to listen on (see `--allow-network`)"),
    ServerSetting("THREADS", 8, "request threads", positive_unit="threads"),
    # A captured page of 200 reviews is about 2 MB; 10 MB leaves room and refuses the absurd.
    ServerSetting("MAX_BODY_MB", 10, "largest request body accepted, in MB", positive_unit="megabytes"),
    # Extension ids allowed to call the API. Empty: any extension origin, never a web page.
    ServerSetting("EXTENSION_IDS", [], "extension ids allowed to call the API: Chrome's 32-letter id, Firefox's internal "
                                       "UUID (`moz-extension://<uuid>`); comma-separated in the environment"),
    # Contact exports are larger: 100,000 contacts are about 10 MB of CSV.
    ServerSetting("IMPORT_MAX_MB", 100, "largest contact export accepted by `POST /api/contacts/import`, in MB",
                  positive_unit="megabytes"),
    # Host names besides the loopback names that requests may carry (only for --allow-network).
    ServerSetting("ALLOWED_HOSTS", [], "extra `Host` names to accept besides 127.0.0.1, localhost and ::1"),
)
DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SERVER_SETTINGS}

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# Keys of the config file that are secrets, not settings.
SECRET_KEYS = ("token", "secret_key")


class ConfigError(Exception):
    """A setting has a value ReviewDesk cannot use; the message says which and how to fix it."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where ReviewDesk keeps what it can always build again (tables derived from its libraries' data, never
    patient data): ``REVIEWDESK_CACHE_DIR``, else the platform's user cache directory."""
    chosen = os.environ.get(ENV_PREFIX + "CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME, appauthor=False)
    return Path(chosen).expanduser()


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """``--data-dir``, else ``REVIEWDESK_DATA_DIR``, else the platform's user data directory."""
    chosen = explicit or os.environ.get(ENV_PREFIX + "DATA_DIR") or default_data_dir()
    return Path(chosen).expanduser().resolve()


def ensure_private_dir(path: Path) -> None:
    """The folder, created if need be, and open to its owner only (made so, with a warning, if it was not)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    make_owner_only(path, 0o700)


def make_owner_only(path: Path, mode: int) -> bool:
    """Give ``path`` ``mode`` when others or the group may read it (it holds the token and patient data);
    True when it had to, with a warning in the log. Only on POSIX systems, where modes mean this."""
    if os.name != "posix" or not path.exists():
        return False
    current = stat.S_IMODE(path.stat().st_mode)
    if not current & 0o077:
        return False
    path.chmod(mode)
    log.warning("%s was open to other users of this computer (mode %o); it is now open to its owner only (mode %o).",
                path, current, mode)
    return True


def write_private_file(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` atomically, readable and writable by the owner only."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# A Host header as RFC 9110 has it: a name or an IPv4 address, or an IPv6 address in brackets, then an optional port.
HOST_HEADER = re.compile(r"(?:\[(?P<ipv6>[0-9a-f:.]{2,45})\]|(?P<name>[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9.])?))(?::\d{1,5})?")


def host_name(host_header: str) -> str:
    """The name in a Host header, without port, brackets or a trailing dot, lower case; "" for anything
    that is not a host and an optional port ("localhost:5151@evil", "127.0.0.1:evil.example")."""
    text = host_header.strip().lower()
    if text.count(":") > 1 and not text.startswith("["):  # a bare IPv6 address, as --host and the settings give it
        text = f"[{text}]"
    found = HOST_HEADER.fullmatch(text)
    if found is None:
        return ""
    return found.group("ipv6") or found.group("name").rstrip(".")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ConfigFile:
    """The data directory's ``config.json``: settings the owner may edit, the token and the secret.

    The server re-reads it when it changes on disk, so ``reviewdesk token --rotate`` takes effect
    while the server runs.
    """

    def __init__(self, data_dir: Path):
        self.path = data_dir / CONFIG_FILENAME
        self._lock = threading.Lock()
        self._mtime_ns: int | None = None
        self._values: dict[str, Any] = {}

    def load(self) -> dict[str, Any]:
        """The file's values, creating the file (with a fresh token and secret) when missing."""
        return dict(self._current())

    def _current(self) -> dict[str, Any]:
        try:
            mtime_ns = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            mtime_ns = None
        if mtime_ns is not None and mtime_ns == self._mtime_ns:
            return self._values  # the fast path of every request: one stat, no lock
        with self._lock:
            if not self.path.exists():
                self._create()
            mtime_ns = self.path.stat().st_mtime_ns
            if mtime_ns != self._mtime_ns:
                self._values = self._read()
                self._mtime_ns = mtime_ns
            return self._values

    def token(self) -> str:
        return self._current()["token"]

    def rotate_token(self) -> str:
        values = self.load()
        values["token"] = new_token()
        self._write(values)
        return values["token"]

    def protect(self) -> None:
        """Make the file owner-only if it was made readable by others (it holds the token); done at every start."""
        make_owner_only(self.path, 0o600)

    def _create(self) -> None:
        ensure_private_dir(self.path.parent)
        self._write({"token": new_token(), "secret_key": secrets.token_hex(32)})
        log.info("created %s with a new pairing token", self.path)

    def _read(self) -> dict[str, Any]:
        try:
            values = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(
                f"Cannot read {self.path}: {exc}. Fix the file, or move it away and ReviewDesk "
                "will create a new one (with a new pairing token)."
            ) from exc
        if not isinstance(values, dict):
            raise ConfigError(f"{self.path} must hold a JSON object; move it away to start afresh.")
        changed = False
        for key, make in (("token", new_token), ("secret_key", lambda: secrets.token_hex(32))):
            if not isinstance(values.get(key), str) or len(values[key]) < 16:
                values[key] = make()
                changed = True
        if changed:
            self._write(values)
        return values

    def _write(self, values: dict[str, Any]) -> None:
        write_private_file(self.path, json.dumps(values, indent=2, sort_keys=True) + "\n")
        self._mtime_ns = None


def _coerce(key: str, raw: Any, default: Any, source: str) -> Any:
    """Give ``raw`` (from a file or the environment) the type of the default value."""
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            if isinstance(raw, bool):
                raise ValueError(raw)
            return int(raw)
        if isinstance(default, list):
            if isinstance(raw, list):
                return [str(item).strip() for item in raw if str(item).strip()]
            return [part.strip() for part in str(raw).split(",") if part.strip()]
        return str(raw)
    except (TypeError, ValueError):
        kind = {bool: "true or false", int: "whole number", list: "comma-separated list"}.get(type(default), "text")
        raise ConfigError(f"{source}: {key} must be a {kind}, got {raw!r}.") from None


def load_settings(data_dir: Path, config_file: ConfigFile, test_config: dict | None) -> dict[str, Any]:
    """Merge defaults, the config file, the environment and the test config into Flask config."""
    settings = dict(DEFAULTS)
    file_values = config_file.load()
    for key, value in file_values.items():
        upper = key.upper()
        if key in SECRET_KEYS:
            continue
        if upper not in DEFAULTS:
            log.warning("%s: unknown setting %r ignored", config_file.path, key)
            continue
        settings[upper] = _coerce(upper, value, DEFAULTS[upper], str(config_file.path))
    for upper, default in DEFAULTS.items():
        raw = os.environ.get(ENV_PREFIX + upper)
        if raw is not None:
            settings[upper] = _coerce(upper, raw, default, f"environment {ENV_PREFIX}{upper}")
    settings["SECRET_KEY"] = file_values["secret_key"]
    settings["DATA_DIR"] = str(data_dir)
    settings["DATABASE"] = str(data_dir / DATABASE_FILENAME)
    if test_config:
        settings.update(test_config)
    for setting in SERVER_SETTINGS:
        if setting.positive_unit and settings[setting.name] <= 0:
            raise ConfigError(f"{setting.name} must be a positive number of {setting.positive_unit}.")
    settings["MAX_CONTENT_LENGTH"] = settings["MAX_BODY_MB"] * 1024 * 1024
    return settings
