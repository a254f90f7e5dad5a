"""Vietnamese phone numbers are stored in E.164 and refused, with a reason, when not one."""

import pytest

from portal.contacts.phones import InvalidPhone, format_phone, normalise_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("091-234-5678", "+84912345678"),
        ("0327 123 456", "+84327123456"),
        ("0523123456", "+84523123456"),
        ("0701 234 567", "+84701234567"),
        ("0862 345 678", "+84862345678"),
        ("+84 912 345 678", "+84912345678"),
        ("0084 912 345 678", "+84912345678"),
        ("0205 3812 345", "+842053812345"),
        ("(0205) 3812 345", "+842053812345"),
        ("+84 205 3812 345", "+842053812345"),
        ("024 3825 1234", "+842438251234"),
        ("028 3829 1234", "+842838291234"),
    ],
)
def test_vietnamese_numbers_are_stored_in_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "0112 345 678",  # no mobile network uses 01 any more
        "0412 345 678",  # nor 04 (old Hà Nội landlines are 024 now)
        "0612 345 678",
        "091234567",  # a digit short
        "09123456789",  # a digit too many
        "0205 381 234",  # landline a digit short
        "1900 1234",  # premium-rate line
        "18001096",  # toll-free line
        "113",  # emergency short code
        "+1 202 555 0100",  # not Vietnamese
        "912345678",  # without the leading 0
    ],
)
def test_other_numbers_are_refused_with_what_to_type(app_ctx, typed):
    with pytest.raises(InvalidPhone) as refusal:
        normalise_phone(typed)
    assert "0205 3812 345" in str(refusal.value)


@pytest.mark.parametrize("typed", ["0912 abc 678", "０９１２３４５６７８", "091２345678"])
def test_letters_and_full_width_digits_are_refused(app_ctx, typed):
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+84912345678", "0912 345 678"),
        ("+842053812345", "0205 3812 345"),
        ("+842438251234", "024 3825 1234"),
        (None, ""),
        ("+4930123456", "+4930123456"),
    ],
)
def test_stored_numbers_are_shown_as_written_in_vietnam(stored, shown):
    assert format_phone(stored) == shown


def test_what_is_shown_reads_back_as_what_is_stored():
    for number in ("+84912345678", "+842053812345", "+842838291234"):
        assert normalise_phone(format_phone(number)) == number
