"""Each alert rule fires on a planted pattern and not on a look-alike, on both databases, run as
a real security administrator's login (PostgreSQL: the definer facts of 0037, the grants).

The demo's own events stay behind every watermark (history); planted users are fresh names."""

from __future__ import annotations

import datetime as dt

import pytest
from govdesk.db.engine import Database
from govdesk.db.models import MonitorCalendarDay, SharingGrant
from govdesk.monitoring.rules import edit_rule
from govdesk.monitoring.run import run_rules
from monitor_world import Plant, cst


@pytest.fixture
def plant(demo_db: Database, accounts_for):  # type: ignore[no-untyped-def]
    p = Plant(demo_db)
    p.behind()
    p.login = accounts_for(demo_db).login("secadmin")  # type: ignore[attr-defined]
    return p


def run(p: Plant, *rules: str):  # type: ignore[no-untyped-def]
    return run_rules(*p.login, rules=list(rules) or None)  # type: ignore[attr-defined]


def test_after_hours_follows_the_official_calendar(plant: Plant) -> None:
    g = plant.graded[0]
    plant.events(
        {"username": plant.user("makeup_saturday"), "ts": cst(2026, 2, 14, 10), "resource_id": g},
        {"username": plant.user("national_day"), "ts": cst(2026, 10, 1, 10), "resource_id": g},
        {"username": plant.user("late_weekday"), "ts": cst(2026, 12, 2, 20), "resource_id": g},
        {"username": plant.user("early_weekday"), "ts": cst(2026, 12, 2, 7), "resource_id": g},
        {"username": plant.user("office_hours"), "ts": cst(2026, 12, 2, 10), "resource_id": g},
        {"username": plant.user("sunday_low_grade"), "ts": cst(2026, 12, 6, 10),
         "resource_id": plant.low[0]},
        {"username": plant.user("sunday_failed"), "ts": cst(2026, 12, 6, 10), "resource_id": g,
         "success": False},
    )
    run(plant, "after_hours")
    # 2026-02-14 is a Saturday made a working day (调休) for the Spring Festival; 10-01 a holiday
    assert plant.fired("after_hours") == {"national_day", "late_weekday", "early_weekday"}


def test_a_calendar_correction_wins_over_the_official_day(plant: Plant) -> None:
    with plant.db.session() as s:
        s.add(MonitorCalendarDay(day=dt.date(2026, 12, 3), kind="holiday", note="单位调休"))
        s.add(MonitorCalendarDay(day=dt.date(2026, 12, 5), kind="workday", note="加班日"))
    g = plant.graded[0]
    plant.events({"username": plant.user("corrected_off"), "ts": cst(2026, 12, 3, 10),
                  "resource_id": g},
                 {"username": plant.user("corrected_on"), "ts": cst(2026, 12, 5, 10),
                  "resource_id": g})
    run(plant, "after_hours")
    assert plant.fired("after_hours") == {"corrected_off"}


def test_a_year_the_calendar_does_not_know_falls_back_to_weekends(plant: Plant) -> None:
    g = plant.graded[0]
    plant.events({"username": plant.user("new_year_2027"), "ts": cst(2027, 1, 1, 10),
                  "resource_id": g},
                 {"username": plant.user("saturday_2027"), "ts": cst(2027, 1, 2, 10),
                  "resource_id": g})
    run(plant, "after_hours")
    assert plant.fired("after_hours") == {"saturday_2027"}
    (alert,) = plant.alerts("after_hours")
    assert '"weekend_only_years": [2027]' in str(alert.detail)


def test_denial_burst_counts_within_the_window(plant: Plant) -> None:
    def denials(name: str, n: int, every_s: int) -> list[dict[str, object]]:
        start = cst(2026, 12, 2, 10)
        return [{"username": plant.user(name), "ts": start + dt.timedelta(seconds=i * every_s),
                 "success": False} for i in range(n)]

    plant.events(*denials("ten_fast", 10, 25), *denials("nine_fast", 9, 25),
                 *denials("ten_slow", 10, 120))
    run(plant, "denial_burst")
    assert plant.fired("denial_burst") == {"ten_fast"}  # 10 in 225 s; 9; 10 over 18 minutes


def test_denial_burst_split_across_two_runs(plant: Plant) -> None:
    start = cst(2026, 12, 2, 10)
    rows = [{"username": plant.user("split"), "ts": start + dt.timedelta(seconds=i * 20),
             "success": False} for i in range(10)]
    plant.events(*rows[:6])
    run(plant, "denial_burst")
    assert plant.fired("denial_burst") == set()
    plant.events(*rows[6:])
    run(plant, "denial_burst")
    assert plant.fired("denial_burst") == {"split"}


def test_volume_above_the_users_own_baseline(plant: Plant) -> None:
    day = dt.date(2026, 11, 20)
    history = []
    for name, per_day in (("quiet", 10), ("busy", 100)):
        for back in range(1, 31):
            d = day - dt.timedelta(days=back)
            history += [{"username": plant.user(name), "ts": cst(d.year, d.month, d.day, 9, i)}
                        for i in range(per_day % 60)] + [
                {"username": plant.user(name), "ts": cst(d.year, d.month, d.day, 11, i % 60)}
                for i in range(per_day - per_day % 60)]
    plant.events(*history)
    plant.behind()
    today = [{"username": plant.user(name), "ts": cst(2026, 11, 20, 10) + dt.timedelta(seconds=i)}
             for name in ("quiet", "busy", "newcomer") for i in range(250)]
    today += [{"username": plant.user("few"), "ts": cst(2026, 11, 20, 10)}] * 50
    plant.events(*today)
    run(plant, "volume_baseline")
    # quiet: 250 against 10 a day; busy: 250 < 3 x 100; newcomer: no history, 250 >= 200
    assert plant.fired("volume_baseline") == {"quiet", "newcomer"}


def test_first_access_to_a_high_grade_resource(plant: Plant) -> None:
    high = plant.high[0]
    plant.events({"username": plant.user("knew_it"), "ts": cst(2026, 11, 1), "resource_id": high})
    plant.behind()
    plant.events({"username": plant.user("knew_it"), "ts": cst(2026, 12, 1), "resource_id": high},
                 {"username": plant.user("first"), "ts": cst(2026, 12, 1), "resource_id": high},
                 {"username": plant.user("first"), "ts": cst(2026, 12, 2), "resource_id": high},
                 {"username": plant.user("low_first"), "ts": cst(2026, 12, 1),
                  "resource_id": plant.low[0]})
    run(plant, "first_high_grade")
    assert plant.fired("first_high_grade") == {"first"}
    (alert,) = plant.alerts("first_high_grade")
    assert alert.count == 2 and alert.resource_id == high  # both reads since the first


def test_bulk_export_above_the_threshold(plant: Plant) -> None:
    plant.events({"username": plant.user("big"), "ts": cst(2026, 12, 1), "action": "export",
                  "row_count": 5001},
                 {"username": plant.user("at_limit"), "ts": cst(2026, 12, 1), "action": "export",
                  "row_count": 5000},
                 {"username": plant.user("big_query"), "ts": cst(2026, 12, 1), "action": "query",
                  "row_count": 90000})
    run(plant, "bulk_export")
    assert plant.fired("bulk_export") == {"big"}


def test_access_with_no_active_grant(plant: Plant) -> None:
    rid, region, _ = plant.high
    outsider, granted = plant.orgs_reading(region, own=False)[:2]
    insider = plant.orgs_reading(region, own=True)[0]
    with plant.db.session() as s:
        s.add(SharingGrant(resource_id=rid, grantee_org_id=granted, sharing_type="conditional",
                           method="platform", purpose_code="statistics", status="approved",
                           conditions_accepted=True, requested_by="demo_data_admin",
                           requested_at=cst(2026, 10, 30), valid_from=dt.date(2026, 11, 1),
                           valid_until=dt.date(2026, 12, 31)))
    plant.events(
        {"username": plant.user("outsider"), "ts": cst(2026, 12, 1), "resource_id": rid,
         "organisation_id": outsider},
        {"username": plant.user("granted"), "ts": cst(2026, 12, 1), "resource_id": rid,
         "organisation_id": granted},
        {"username": plant.user("before_grant"), "ts": cst(2026, 10, 20), "resource_id": rid,
         "organisation_id": granted},
        {"username": plant.user("insider"), "ts": cst(2026, 12, 1), "resource_id": rid,
         "organisation_id": insider},
        {"username": plant.user("outsider_denied"), "ts": cst(2026, 12, 1), "resource_id": rid,
         "organisation_id": outsider, "success": False})
    run(plant, "no_active_grant")
    assert plant.fired("no_active_grant") == {"outsider", "before_grant"}


def test_login_from_a_new_host(plant: Plant) -> None:
    plant.events({"username": plant.user("moved"), "ts": cst(2026, 11, 1), "client_host": "h1", "action": "login"},
                 {"username": plant.user("stayed"), "ts": cst(2026, 11, 1), "client_host": "h1", "action": "login"})
    plant.behind()
    plant.events({"username": plant.user("moved"), "ts": cst(2026, 12, 1), "client_host": "h2", "action": "login"},
                 {"username": plant.user("stayed"), "ts": cst(2026, 12, 1), "client_host": "h1", "action": "login"},
                 {"username": plant.user("brand_new"), "ts": cst(2026, 12, 1),
                  "client_host": "h9", "action": "login"},
                 # a query from another host is no login from it
                 {"username": plant.user("stayed"), "ts": cst(2026, 12, 1), "client_host": "h5"})
    run(plant, "new_host")
    assert plant.fired("new_host") == {"moved"}


def test_dormant_account_suddenly_active(plant: Plant) -> None:
    plant.events({"username": plant.user("sleeper"), "ts": cst(2026, 9, 1)},
                 {"username": plant.user("regular"), "ts": cst(2026, 11, 20)})
    plant.behind()
    plant.events({"username": plant.user("sleeper"), "ts": cst(2026, 12, 1)},
                 {"username": plant.user("regular"), "ts": cst(2026, 12, 1)},
                 {"username": plant.user("newcomer"), "ts": cst(2026, 12, 1)})
    run(plant, "dormant_active")
    assert plant.fired("dormant_active") == {"sleeper"}


def test_a_raised_threshold_stops_the_rule_firing(plant: Plant) -> None:
    edit_rule(*plant.login, "bulk_export", parameters={"rows": 10000})  # type: ignore[attr-defined]
    plant.events({"username": plant.user("big"), "ts": cst(2026, 12, 1), "action": "export",
                  "row_count": 6000})
    run(plant, "bulk_export")
    assert plant.fired("bulk_export") == set()
