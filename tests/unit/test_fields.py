"""Field rules: the plain-address shortcut never accepts what email_validator refuses."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_domain.errors import InvalidValueError
from customer_domain.fields import _PLAIN_EMAIL, check_value, plainly_valid_email


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(_PLAIN_EMAIL, fullmatch=True))
def test_every_plain_address_is_one_email_validator_accepts(address):
    if plainly_valid_email(address):
        validate_email(address, check_deliverability=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="aZ09_+-.@-xn", min_size=3, max_size=40))
def test_the_shortcut_agrees_with_email_validator_on_near_misses(address):
    if plainly_valid_email(address):
        validate_email(address, check_deliverability=False)


@pytest.mark.parametrize(
    "address", ["desk1@example.com", "a.b+c@mail-1.example.org", "x_y@a.co"]
)
def test_plain_addresses_are_accepted(address):
    assert plainly_valid_email(address)
    assert check_value("email", address) == address


@pytest.mark.parametrize(
    "address",
    [
        "a@localhost",
        "a@b.test",
        "a@home.arpa",
        "a@ab--cd.com",
        "a@-a.com",
        "a@a-.com",
        "a..b@example.com",
        ".a@example.com",
        "a@example",
        "a@example.c0m",
        f"{'a' * 65}@example.com",
        f"a@{'b' * 64}.com",
        "a b@example.com",
    ],
)
def test_addresses_outside_the_plain_form_go_to_email_validator(address):
    assert not plainly_valid_email(address)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        with pytest.raises(InvalidValueError):
            check_value("email", address)
    else:
        assert check_value("email", address) == address


def test_unicode_addresses_are_still_judged_by_email_validator():
    assert not plainly_valid_email("josé@example.com")
    assert check_value("email", "josé@example.com") == "josé@example.com"


def test_an_address_of_254_characters_is_the_longest_accepted():
    labels = ["a" * 63, "b" * 63, "c" * 63]
    longest = "x@" + ".".join([*labels, "d" * 56, "com"])
    too_long = "x@" + ".".join([*labels, "d" * 57, "com"])
    assert (len(longest), len(too_long)) == (254, 255)
    assert check_value("email", longest) == longest
    with pytest.raises(InvalidValueError, match="not a valid address"):
        check_value("email", too_long)


def test_a_name_of_200_characters_is_the_longest_accepted():
    assert check_value("name", "n" * 200) == "n" * 200
    with pytest.raises(InvalidValueError, match="1 to 200 characters"):
        check_value("name", "n" * 201)
