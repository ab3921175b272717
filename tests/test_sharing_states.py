"""The sharing workflow's transition table and the state of a grant by its dates (pure: no
database), and the sharing vocabularies in both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from govdesk import vocab
from govdesk.db.models.sharing import grant_day
from govdesk.sharing.states import PENDING, TRANSITIONS, Side, Step, lapse_due, may_leave, state_of

DAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize("status, start, end, state", [
    ("approved", DAY, DAY, "active"),
    ("approved", None, None, "active"),
    ("approved", DAY + dt.timedelta(days=1), None, "scheduled"),
    ("approved", None, DAY - dt.timedelta(days=1), "expired"),
    ("revoked", DAY, DAY, "revoked"),
    ("requested", DAY, DAY, "requested"),
])
def test_the_state_is_the_status_told_apart_by_the_dates(status: str, start: dt.date | None,
                                                         end: dt.date | None, state: str) -> None:
    assert state_of(status, start, end, DAY) == state
    assert state in vocab.GRANT_STATE.codes


def test_every_status_and_state_is_reachable_and_final_ones_are_final() -> None:
    reached = {t for rule in TRANSITIONS.values() for t in rule.targets}
    assert reached == set(vocab.GRANT_STATUS.codes)
    final = {"rejected", "revoked", "released", "lapsed"}
    assert not any(set(rule.sources) & final for rule in TRANSITIONS.values())
    assert all(rule.reason_required for step, rule in TRANSITIONS.items()
               if step in (Step.REJECT, Step.REVOKE))
    assert TRANSITIONS[Step.APPROVE].side is Side.PROVIDING_SECURITY
    assert TRANSITIONS[Step.APPROVE].not_requester and TRANSITIONS[Step.REJECT].not_requester
    assert set(TRANSITIONS[Step.APPROVE].sources) == set(PENDING)


def test_living_grants_only_are_ended_or_renewed() -> None:
    yesterday = DAY - dt.timedelta(days=1)
    for step in (Step.REVOKE, Step.RELEASE, Step.RENEW):
        assert may_leave(step, "approved", DAY, DAY)
        assert not may_leave(step, "approved", yesterday, DAY)
        assert not may_leave(step, "requested", DAY, DAY)
    assert may_leave(Step.APPROVE, "first_approved", yesterday, DAY)  # refused later: ended


def test_lapse_after_the_configured_days() -> None:
    asked = dt.datetime(2026, 12, 1, 9, tzinfo=dt.timezone.utc)
    assert not lapse_due(asked, asked + dt.timedelta(days=13, hours=23), 14)
    assert lapse_due(asked, asked + dt.timedelta(days=14), 14)


def test_the_grant_day_is_china_standard_time() -> None:
    utc = dt.timezone.utc
    assert grant_day(dt.datetime(2026, 12, 3, 15, 59, tzinfo=utc)) == dt.date(2026, 12, 3)
    assert grant_day(dt.datetime(2026, 12, 3, 16, 0, tzinfo=utc)) == dt.date(2026, 12, 4)


def test_sharing_vocabularies_in_both_languages() -> None:
    for v in (vocab.GRANT_STATUS, *vocab.SHARING):
        for t in v.terms:
            assert t.zh and t.en and v.lookup(t.zh) == t.code and v.lookup(t.en.upper()) == t.code
