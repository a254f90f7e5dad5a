"""Links that leave the site come from PUBLIC_URL, never from a request's Host header."""

import pytest

from portal.core.urls import external_url, public_url_problem


@pytest.mark.parametrize(
    "base, expected",
    [
        ("https://tiepcongdan.example.gov.vn", "https://tiepcongdan.example.gov.vn/tra-cuu"),
        ("https://example.gov.vn/cong/", "https://example.gov.vn/cong/tra-cuu"),
        ("http://10.0.0.5:8080", "http://10.0.0.5:8080/tra-cuu"),
    ],
)
def test_public_url_wins_over_the_host_asked_for(app, monkeypatch, base, expected):
    monkeypatch.setitem(app.config, "PUBLIC_URL", base)
    with app.test_request_context("/", base_url="http://evil.example"):
        assert external_url("cases.lookup") == expected
    with app.app_context():  # outside a request: the same link
        assert external_url("cases.lookup") == expected


def test_values_become_the_path_and_the_query(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://a.gov.vn")
    with app.app_context():
        assert (
            external_url("staff_cases.case", number="KH-2026-000001")
            == "https://a.gov.vn/staff/cases/KH-2026-000001"
        )
        assert external_url("cases.lookup", so="KH 1") == "https://a.gov.vn/tra-cuu?so=KH+1"


def test_without_public_url_the_request_host_or_the_path(app):
    assert app.config["PUBLIC_URL"] is None
    with app.test_request_context("/", base_url="https://portal.test"):
        assert external_url("cases.lookup") == "https://portal.test/tra-cuu"
    with app.app_context():
        assert external_url("cases.lookup") == "/tra-cuu"


@pytest.mark.parametrize(
    "value, fine",
    [
        ("https://tiepcongdan.example.gov.vn", True),
        ("http://127.0.0.1:8000/portal", True),
        (None, False),
        ("", False),
        ("tiepcongdan.example.gov.vn", False),
        ("javascript:alert(1)", False),
        ("https://a.vn/#top", False),
    ],
)
def test_public_url_problem(value, fine):
    assert (public_url_problem(value) is None) is fine
