"""PostgreSQL announces committed changes (migration 0019) and every client hears the others
(govdesk/db/notify.py): as real logins, a save in one client reaches another within 2 seconds,
a rolled-back write is never announced, psql writes are announced too, payloads carry kinds and
ids only, a client ignores its own writes, and a dropped listener reconnects."""

from __future__ import annotations

import dataclasses
import json
import queue
import select
import time
from collections.abc import Iterator

import pytest

from govdesk.catalog.editing.resources import load_draft, save_resource
from govdesk.changes import KINDS, RESOURCES, SETTINGS, Changes
from govdesk.db.engine import Database
from govdesk.db.notify import CHANNEL, ChangeListener
from govdesk.security.settings import update_setting
from conftest import superuser_db

pytestmark = pytest.mark.postgres

#: the promise: a change saved in one client shows in another within this many seconds
WITHIN = 2.0


def heard(conn, seconds: float = WITHIN) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """The payloads a plain LISTENing psycopg2 connection receives within ``seconds``."""
    got: list[dict] = []  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if select.select([conn], [], [], left)[0]:
            conn.poll()
            got += [json.loads(n.payload) for n in conn.notifies]
            conn.notifies.clear()
    return got


def listening(accounts, role: str = "viewer"):  # type: ignore[no-untyped-def]
    who = accounts.add(role)
    conn = accounts.connect(who.username)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"LISTEN {CHANNEL}")
    return conn


def test_a_committed_save_is_announced_with_kind_and_ids_only(pg_demo_db: Database,  # type: ignore[no-untyped-def]
                                                              accounts_for) -> None:
    accounts = accounts_for(pg_demo_db)
    handle, who = accounts.login("data_admin")
    ear = listening(accounts)
    draft, version = load_draft(handle, who, 1)
    save_resource(handle, who, dataclasses.replace(draft, summary="通知测试"), resource_id=1,
                  base_version=version)
    got = heard(ear)
    assert {"kind": "resources", "ids": [1]} in got
    assert all(set(p) == {"kind", "ids"} and p["kind"] in KINDS for p in got)
    assert "通知测试" not in json.dumps(got, ensure_ascii=False)
    ear.close()


def test_a_rolled_back_write_is_never_announced_and_psql_writes_are(pg_demo_db: Database,  # type: ignore[no-untyped-def]
                                                                     accounts_for) -> None:
    accounts = accounts_for(pg_demo_db)
    writer = accounts.add("data_admin")
    ear = listening(accounts)
    conn = accounts.connect(writer.username)  # plain psycopg2: psql as that login
    with conn.cursor() as cur:
        cur.execute("UPDATE data_resources SET summary = 'rolled back' WHERE id = 2")
    conn.rollback()
    assert heard(ear, 1.0) == []
    with conn.cursor() as cur:
        cur.execute("UPDATE data_resources SET summary = 'psql' WHERE id IN (2, 3)")
        cur.execute("UPDATE data_items SET description = 'psql' WHERE resource_id = 4")
    assert heard(ear, 0.5) == []  # not before the commit
    conn.commit()
    got = heard(ear)
    assert {"kind": "resources", "ids": [2, 3]} in got and {"kind": "resources", "ids": [4]} in got
    with conn.cursor() as cur:  # a bulk statement: "any resource" instead of 300 ids
        cur.execute("UPDATE data_items SET description = description")
    conn.commit()
    assert {"kind": "resources", "ids": None} in heard(ear)
    conn.close()
    ear.close()


def test_settings_and_accounts_are_announced(pg_demo_db: Database, accounts_for) -> None:  # type: ignore[no-untyped-def]
    accounts = accounts_for(pg_demo_db)
    officer_db, officer = accounts.login("secadmin")
    ear = listening(accounts)
    update_setting(officer_db, officer, "security.lockout_attempts", "6")
    accounts.add("viewer")  # through govdesk_account_create, a definer function
    got = heard(ear)
    assert {"kind": "settings", "ids": ["security.lockout_attempts"]} in got
    assert any(p["kind"] == "users" for p in got)
    ear.close()


class Inbox:
    """What a ChangeListener delivers, for waiting on from the test's thread."""

    def __init__(self) -> None:
        self.q: queue.Queue[Changes] = queue.Queue()

    def __call__(self, changes: Changes) -> None:
        self.q.put(changes)

    def next(self, seconds: float = WITHIN) -> Changes | None:
        try:
            return self.q.get(timeout=seconds)
        except queue.Empty:
            return None

    def drain(self) -> None:
        while self.next(0.3) is not None:
            pass


@pytest.fixture
def two_clients(pg_demo_db: Database, accounts_for):  # type: ignore[no-untyped-def]
    """Client A (a 杭州 data administrator, listening) and client B (a province data
    administrator), each a real login with its own connections."""
    accounts = accounts_for(pg_demo_db)
    a_db, a_who = accounts.login("data_admin", "330100")
    b_db, b_who = accounts.login("data_admin")
    yield (a_db, a_who), (b_db, b_who)


@pytest.fixture
def listener(two_clients) -> Iterator[tuple[ChangeListener, Inbox]]:  # type: ignore[no-untyped-def]
    (a_db, _a), _b = two_clients
    inbox = Inbox()
    ear = ChangeListener(a_db, inbox).start()
    assert ear.connected.wait(10)
    yield ear, inbox
    ear.stop()


def hangzhou_resource(db: Database) -> int:
    with db.engine.connect() as c:
        from sqlalchemy import text

        return int(c.execute(text("SELECT min(id) FROM data_resources "
                                  "WHERE region_code LIKE '3301%'")).scalar_one())


def test_another_client_hears_a_save_within_two_seconds(two_clients, listener) -> None:  # type: ignore[no-untyped-def]
    (a_db, a_who), (b_db, b_who) = two_clients
    ear, inbox = listener
    rid = hangzhou_resource(b_db)
    draft, version = load_draft(b_db, b_who, rid)
    started = time.monotonic()
    save_resource(b_db, b_who, dataclasses.replace(draft, summary="另一个客户端保存的"),
                  resource_id=rid, base_version=version)
    got = inbox.next()
    assert got is not None and got.remote, "client A heard nothing within 2 s"
    assert time.monotonic() - started < WITHIN
    assert got.ids(RESOURCES) == {rid}
    # and what A then reads is the saved state, through its own login's row-level security
    assert load_draft(a_db, a_who, rid)[0].summary == "另一个客户端保存的"


def test_a_client_does_not_hear_its_own_writes(two_clients, listener) -> None:  # type: ignore[no-untyped-def]
    (a_db, a_who), (b_db, b_who) = two_clients
    ear, inbox = listener
    rid = hangzhou_resource(a_db)
    draft, version = load_draft(a_db, a_who, rid)
    save_resource(a_db, a_who, dataclasses.replace(draft, summary="自己保存的"), resource_id=rid,
                  base_version=version)
    assert inbox.next(1.0) is None  # its runner published it already
    assert ear.own_pids()
    draft, version = load_draft(b_db, b_who, rid)
    save_resource(b_db, b_who, dataclasses.replace(draft, summary="别人保存的"), resource_id=rid,
                  base_version=version)
    got = inbox.next()
    assert got is not None and got.ids(RESOURCES) == {rid}


def test_a_dropped_listener_reconnects_and_says_it_may_have_missed_something(  # type: ignore[no-untyped-def]
        pg_demo_db: Database, two_clients, listener) -> None:
    (_a_db, _a_who), (b_db, b_who) = two_clients
    ear, inbox = listener
    first = ear.backend_pid
    admin = superuser_db(pg_demo_db)
    try:
        with admin.engine.connect() as c:
            from sqlalchemy import text

            assert c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": first}).scalar_one()
    finally:
        admin.dispose()
    missed = inbox.next(10.0)
    assert missed is not None and missed.kinds == set(KINDS) and missed.ids(SETTINGS) is None
    assert ear.connected.wait(10) and ear.backend_pid not in (None, first)
    assert ear.reconnects == 1
    rid = hangzhou_resource(b_db)
    draft, version = load_draft(b_db, b_who, rid)
    save_resource(b_db, b_who, dataclasses.replace(draft, summary="重连之后"), resource_id=rid,
                  base_version=version)
    got = inbox.next()
    assert got is not None and got.ids(RESOURCES) == {rid}
