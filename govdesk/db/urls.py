"""Database URLs as plain parts, for screens that edit a connection profile without handling
SQLAlchemy objects (the UI never imports SQLAlchemy: pyproject's import contracts)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import make_url


@dataclass(frozen=True)
class UrlParts:
    """The parts of a database URL a login screen shows (no password)."""

    host: str | None
    port: int | None
    database: str | None
    username: str | None


def url_parts(url: str) -> UrlParts:
    """``url`` split into host, port, database and user name."""
    parsed = make_url(url)
    return UrlParts(parsed.host, parsed.port, parsed.database, parsed.username)


def with_login(url: str, *, host: str | None, port: int | None, database: str,
               username: str, password: str | None) -> str:
    """``url`` (its driver and query options kept) pointed at another server, database and
    login; the password is in the returned URL, so never log or show it."""
    return make_url(url).set(host=host, port=port, database=database, username=username,
                             password=password).render_as_string(hide_password=False)
