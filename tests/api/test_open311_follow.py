"""An extension of Open311: the partner that sent a request follows it with its api_key on
GET requests/{id}, even when the citizen did not agree to publication; nobody else does."""

import pytest

from portal.api import partners
from portal.cases.models import Case
from portal.extensions import db
from tests.api.test_open311 import BASE, FORMATS, both
from tests.api.test_open311_post import COMPLAINT, PETITION, api, created, errors_of, post
from tests.apps import other_app
from tests.factories import create_user

__all__ = ["api"]  # the fixture, shared with the POST tests

NOT_PUBLIC = {k: v for k, v in PETITION.items() if k != "attribute[publish_consent]"}


@pytest.fixture
def keys(app):
    """Two partners' live keys, and a revoked key of the first."""
    with app.app_context():
        admin = create_user(role="admin")
        first = partners.create_partner(name="Tổng đài 1022", contact="CNTT", by=admin)
        second = partners.create_partner(name="Ứng dụng tỉnh", contact="CNTT", by=admin)
        _k, mine = partners.issue_key(first, by=admin)
        _k, theirs = partners.issue_key(second, by=admin)
        revoked_key, revoked = partners.issue_key(first, by=admin)
        partners.revoke_key(revoked_key, by=admin)
    return {"mine": mine, "theirs": theirs, "revoked": revoked}


def _request_url(number, key=None):
    url = f"{BASE}/requests/{number}.{{fmt}}"
    return url + (f"?api_key={key}" if key else "")


def test_the_partner_reads_its_own_request_that_is_not_public(app, api, keys):
    number = created(post(api, {**NOT_PUBLIC, "api_key": keys["mine"]}), "json")[
        "service_request_id"
    ]
    for fmt in FORMATS:  # not public: nobody without the key finds it
        errors_of(api.get(_request_url(number).format(fmt=fmt)), 404, fmt)
    _root, (document,) = both(api, _request_url(number, keys["mine"]))
    assert document["service_request_id"] == number
    assert document["service_code"] == "petition-procedure"
    answer = api.get(_request_url(number, keys["mine"]).format(fmt="json"))
    assert answer.headers["Cache-Control"] == "no-store"
    assert document["status"] == "open"
    for personal in ("Lò Thị", "Xuyến", "xuyen.lo", "Nà Cạn"):
        assert personal not in str(document)


def test_another_partners_key_does_not_open_it(app, api, keys):
    number = created(post(api, {**NOT_PUBLIC, "api_key": keys["mine"]}), "json")[
        "service_request_id"
    ]
    for fmt in FORMATS:
        errors_of(api.get(_request_url(number, keys["theirs"]).format(fmt=fmt)), 404, fmt)


def test_a_batch_request_is_followed_once_it_has_a_number(app, api, keys):
    token = created(post(api, {**COMPLAINT, "api_key": keys["mine"]}), "json")["token"]
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        number = case.number
    _root, (document,) = both(api, _request_url(number, keys["mine"]))
    assert document["service_request_id"] == number
    assert token not in str(document)


@pytest.mark.parametrize("which", ["revoked", "wrong", "empty"])
def test_a_key_that_is_given_must_be_good(app, api, keys, which):
    number = created(post(api, {**PETITION, "api_key": keys["mine"]}), "json")["service_request_id"]
    bad = {"revoked": keys["revoked"], "wrong": "o311_" + "x" * 43, "empty": ""}[which]
    for fmt in FORMATS:
        url = f"{BASE}/requests/{number}.{fmt}?api_key={bad}"
        assert errors_of(api.get(url), 403, fmt) == ["api_key was not provided or is not valid"]
    # Without a key the public request is there as before.
    both(api, _request_url(number))


def test_refused_keys_on_get_count_towards_the_same_limit(app, keys):
    with other_app(
        app,
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "OPEN311_REFUSED_KEY_LIMIT": "2 per day",
        },
    ) as limited:
        client = limited.test_client()
        url = f"{BASE}/requests/PA-2026-000001.json?api_key=nope"
        assert client.get(url).status_code == 403
        assert client.get(url).status_code == 403
        assert errors_of(client.get(url), 429) == ["Too many requests"]
        # A good key is not held up by the refused ones.
        assert (
            client.get(f"{BASE}/requests/PA-2026-000001.json?api_key={keys['mine']}").status_code
            == 404
        )


@pytest.mark.parametrize("fields", [PETITION, COMPLAINT], ids=["petition", "complaint"])
def test_a_confidential_request_is_sealed_like_the_web_forms_and_never_public(
    app, api, keys, fields
):
    answer = created(
        post(api, {**fields, "attribute[confidential]": "yes", "api_key": keys["mine"]}), "json"
    )
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        assert case.confidential is True and case.identity is not None
        number = case.number
    if "token" not in answer:
        assert answer["service_request_id"] == number
    # Consent or not, it is never in the public answers; its partner still follows it.
    for fmt in FORMATS:
        errors_of(api.get(_request_url(number).format(fmt=fmt)), 404, fmt)
    both(api, _request_url(number, keys["mine"]))


def test_a_denunciation_does_not_take_the_attribute(app, api, keys):
    from tests.api.test_open311_post import DENUNCIATION

    answer = post(api, {**DENUNCIATION, "attribute[confidential]": "yes", "api_key": keys["mine"]})
    assert errors_of(answer, 400) == [
        "attribute[confidential] is not an attribute of denunciation-public-finance"
    ]
