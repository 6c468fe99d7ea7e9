"""How long the client waits when the server asks it to."""

from __future__ import annotations

import pytest
import requests

from client.api import MAX_RETRY_AFTER, retry_after


def answer(retry_after_header: str | None) -> requests.Response:
    response = requests.Response()
    response.status_code = 503
    if retry_after_header is not None:
        response.headers["Retry-After"] = retry_after_header
    return response


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("2", 2.0),
        (None, 0.0),
        ("", 0.0),
        ("-5", 0.0),
        ("86400", MAX_RETRY_AFTER),
        ("Wed, 21 Oct 2026 07:28:00 GMT", 0.0),
        ("nan", 0.0),
        ("inf", 0.0),
    ],
)
def test_retry_after_is_read_in_seconds_and_bounded(header, seconds):
    assert retry_after(answer(header)) == seconds


def test_an_answer_that_is_not_the_apis_json_is_refused_not_returned():
    from client.api import Api, Refused

    page = requests.Response()
    page.status_code, page._content = 200, b"<html>a web server</html>"
    with pytest.raises(Refused, match="not this API's JSON"):
        Api._answer(page)
    page._content = b'{"items": []}'
    assert Api._answer(page) == {"items": []}
