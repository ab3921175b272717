from __future__ import annotations

import datetime as dt

import pytest

from govdesk.catalog.profiling.identifiers import (
    check_digit,
    citizen_id_problem,
    disability_cert_problem,
    is_citizen_id,
    is_disability_cert,
    make_citizen_id,
    make_disability_cert,
)


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014", "11010519491231002x"])
def test_domain_test_values_are_valid(value: str) -> None:
    assert is_citizen_id(value)


@pytest.mark.parametrize(("value", "reason"), [
    ("110105194912310021", "check digit is 1, should be X"),
    ("11010519491331002X", "birth date 19491331 is not a date"),
    ("1101051949123100", "must have 18 characters, has 16"),
    ("11010519491231A02X", "must be 17 digits followed by a digit or X"),
])
def test_invalid_ids_say_why(value: str, reason: str) -> None:
    assert citizen_id_problem(value) == reason


def test_generated_ids_validate_and_encode_sex() -> None:
    for seq in range(0, 1000, 37):
        value = make_citizen_id("330106", dt.date(1980, 5, 17), seq)
        assert is_citizen_id(value)
        assert int(value[16]) % 2 == seq % 2


def test_check_digit_matches_gb11643() -> None:
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"


def test_disability_certificate() -> None:
    cert = make_disability_cert("11010519491231002X", 4, 2)
    assert cert == "11010519491231002X42"
    assert is_disability_cert(cert)
    assert disability_cert_problem("11010519491231002X82") == "disability category 8 is not 1–7"
    assert disability_cert_problem("11010519491231002X45") == "disability grade 5 is not 1–4"
    assert disability_cert_problem("110105194912310021" + "42").startswith("citizen ID part")
