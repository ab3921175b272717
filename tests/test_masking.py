"""One masking module for every view and export."""

from __future__ import annotations

import pytest

from govdesk.security.masking import (
    mask,
    mask_address,
    mask_bank_card,
    mask_citizen_id,
    mask_disability_cert,
    mask_name,
    mask_phone,
)


def test_citizen_id_keeps_region_and_tail() -> None:
    assert mask_citizen_id("11010519491231002X") == "110105********002X"
    assert mask_citizen_id("110105491231002") == "110105******002"  # old 15-digit numbers
    assert mask_citizen_id("12345") == "*****"  # not an ID: hidden whole, never leaked


def test_certificate_keeps_category_and_grade() -> None:
    assert mask_disability_cert("11010519491231002X42") == "110105********002X42"


@pytest.mark.parametrize(("value", "expected"), [
    ("13812345678", "138****5678"), ("138-1234-5678", "138****5678"),
    ("0571-87654321", "********4321"), ("123", "***"),
])
def test_phone(value: str, expected: str) -> None:
    assert mask_phone(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("张三", "张*"), ("王小明", "王**"), ("欧阳娜娜", "欧阳**"), ("", ""),
])
def test_name(value: str, expected: str) -> None:
    assert mask_name(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("浙江省杭州市西湖区文三路90号", "浙江省杭州市西湖区****"),
    ("庆元县新华路84号", "庆元县****"),
    ("杭州市西湖区文三路", "杭州市西湖区****"),
])
def test_address_keeps_up_to_the_county(value: str, expected: str) -> None:
    assert mask_address(value) == expected


def test_bank_card_and_dispatch() -> None:
    assert mask_bank_card("6228480402564890018") == "622848*********0018"
    assert mask("citizen_id", "11010519491231002X") == "110105********002X"
    assert mask("other", 1234.5) == "****"
    # a masked column never shows a number in clear, whatever its masker or check digit
    assert mask("citizen_id", 110105194912310021) == "****" == mask("phone", 13812345678)
    assert mask("citizen_id", "110105194912310021") == "110105********0021"
    assert mask("person_name", True) == "****"
    assert mask("phone", None) is None
    assert mask("unknown-kind", "secret") == "******"
