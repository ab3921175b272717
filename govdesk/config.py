"""Paths and database selection.

The database URL is chosen, first match wins, from: the ``--db`` option, the ``GOVDESK_DB_URL``
environment variable, then the embedded SQLite demo database in the user data directory.
Passwords never live here: database profile passwords go to the OS keyring (security package).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "GovDesk"
APP_ORG = "GovDesk"
ENV_DB_URL = "GOVDESK_DB_URL"
ENV_DATA_DIR = "GOVDESK_DATA_DIR"
#: the read replica (a hot standby) for the heavy reads: host:port or a URL (see
#: :func:`govdesk.db.urls.replica_url`); the GUI keeps it in the connection profile
ENV_REPLICA = "GOVDESK_REPLICA"


def data_dir() -> Path:
    """The per-user data directory (created on demand); ``GOVDESK_DATA_DIR`` overrides it."""
    override = os.environ.get(ENV_DATA_DIR)
    path = Path(override) if override else user_data_path(APP_NAME, APP_ORG)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_sqlite_path() -> Path:
    """Where the embedded single-user demo database lives."""
    return data_dir() / "govdesk.sqlite3"


def default_db_url() -> str:
    """URL of the embedded SQLite database."""
    return f"sqlite:///{default_sqlite_path()}"


def resolve_db_url(cli_value: str | None = None) -> str:
    """Pick the database URL: ``--db`` beats ``GOVDESK_DB_URL`` beats the embedded SQLite file."""
    if cli_value:
        return cli_value
    env = os.environ.get(ENV_DB_URL)
    if env:
        return env
    return default_db_url()


def resolve_replica(cli_value: str | None = None) -> str:
    """The read replica's address: ``cli_value`` beats ``GOVDESK_REPLICA``; "" for none."""
    return (cli_value or os.environ.get(ENV_REPLICA, "")).strip()


def is_default_db(url: str) -> bool:
    """True when ``url`` is the embedded demo database (created and seeded on first launch)."""
    return url == default_db_url()


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
