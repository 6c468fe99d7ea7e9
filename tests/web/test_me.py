"""GET /me: whose token this is."""

from __future__ import annotations


def test_me_names_the_employee_of_the_token(api):
    assert api.get("/me").json == {"employee": "alice"}
    assert api.as_("bob-token").get("/me").json == {"employee": "bob"}


def test_me_needs_a_valid_token(api):
    assert api.client.get("/me").status_code == 401
    assert api.as_("nobody-token").get("/me").status_code == 401
