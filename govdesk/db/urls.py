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
    has_password: bool = False


def url_parts(url: str) -> UrlParts:
    """``url`` split into host, port, database and user name (and whether it holds a
    password, never the password itself)."""
    parsed = make_url(url)
    return UrlParts(parsed.host, parsed.port, parsed.database, parsed.username,
                    parsed.password is not None)


def with_password(url: str, password: str) -> str:
    """``url`` with ``password``: never log or show the result."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def with_login(url: str, *, host: str | None, port: int | None, database: str,
               username: str, password: str | None) -> str:
    """``url`` (its driver and query options kept) pointed at another server, database and
    login; the password is in the returned URL, so never log or show it."""
    return make_url(url).set(host=host, port=port, database=database, username=username,
                             password=password).render_as_string(hide_password=False)


def replica_url(primary_url: str, replica: str) -> str:
    """The URL of the read replica named by ``replica`` ("host", "host:port" or a
    ``postgresql://`` URL whose host, port and database count) for ``primary_url``: the
    primary's driver, database, login and password (roles replicate, so the same login works
    on the standby) at the replica's address. The password is in the result: never log or
    show it. "" when ``replica`` is empty."""
    replica = replica.strip()
    if not replica:
        return ""
    primary = make_url(primary_url)
    if "://" in replica:
        given = make_url(replica)
        host, port, database = given.host, given.port, given.database or primary.database
    else:
        host, _, port_text = replica.partition(":")
        if port_text and not port_text.isdigit():
            from govdesk.errors import UsageError

            raise UsageError("replica_address_bad", value=replica)
        port = int(port_text) if port_text else None
        database = primary.database
    # URL.set leaves a part given as None unchanged: a replica without a port must not keep
    # the primary's
    return primary._replace(host=host or None, port=port, database=database) \
        .render_as_string(hide_password=False)


#: database back-ends GovDesk works with
SUPPORTED = ("sqlite", "postgresql")


def database_url(value: str) -> str:
    """``value`` as a database URL GovDesk can open: a URL of a supported back-end, or the path
    of an SQLite file (existing, or ending in .sqlite3/.sqlite/.db), which becomes
    ``sqlite:///PATH``.

    Raises :class:`~govdesk.errors.UsageError` naming the value and what to write instead.
    """
    from pathlib import Path

    from sqlalchemy.exc import ArgumentError

    from govdesk.errors import UsageError

    if "://" not in value:
        path = Path(value).expanduser()
        if path.is_file():
            return f"sqlite:///{path.resolve()}"
        if path.suffix.lower() in (".sqlite3", ".sqlite", ".db"):  # a typo, or a new file
            raise UsageError("url_no_such_file", path=str(path),
                             url=f"sqlite:///{path.resolve()}")
        raise UsageError("url_not_url_or_file", value=value)
    try:
        parsed = make_url(value)
    except (ArgumentError, ValueError):
        raise UsageError("url_unparsable", value=value) from None
    if parsed.get_backend_name() not in SUPPORTED:
        raise UsageError("url_backend", backend=parsed.get_backend_name())
    if parsed.get_backend_name() == "sqlite":
        if parsed.host or not parsed.database:  # sqlite://tmp/x: two slashes, "tmp" a host
            raise UsageError("url_no_file", value=value)
        file = Path(parsed.database)
        if (not file.is_absolute() and not file.exists() and parsed.database != ":memory:"
                and Path("/" + parsed.database).exists()):  # sqlite:///tmp/x meant /tmp/x
            raise UsageError("url_sqlite_relative", value=value,
                             url=f"sqlite:////{parsed.database}")
    return value
