"""Tokens are compared in constant time: every configured token, whichever matches."""

from __future__ import annotations

import hmac

import pytest

from tests.web.conftest import TOKENS


@pytest.mark.parametrize("token", ["alice-token", "carol-token", "mallory-token"])
def test_every_token_is_compared_whichever_matches(api, monkeypatch, token):
    compared, real_compare_digest = [], hmac.compare_digest

    def counting_compare_digest(presented, known):
        compared.append(known)
        return real_compare_digest(presented, known)

    monkeypatch.setattr("web.auth.hmac.compare_digest", counting_compare_digest)
    response = api.as_(token).get("/customers")
    assert response.status_code == (401 if token == "mallory-token" else 200)
    configured = [item.partition("=")[0].encode() for item in TOKENS.split(",")]
    assert sorted(compared) == sorted(configured)  # each once, the first match included
