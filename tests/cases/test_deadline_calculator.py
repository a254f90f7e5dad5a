"""The staff deadline calculator: /staff/cases/deadline-calculator, a GET form for everyone who
reads cases, showing the date, its weekday and the days off the period skipped."""

import re
from datetime import date

import pytest
from flask_babel import force_locale, format_date

from portal.core.workdays import DayKind
from tests.auth import sign_in
from tests.cases.wording import say, shown_date
from tests.contacts.factories import declare_day
from tests.factories import create_user
from tests.pages import PageClient

URL = "/staff/cases/deadline-calculator"


def signed_in(app, role):
    client = PageClient(app.test_client())
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    return client


@pytest.fixture
def handler(app):
    return signed_in(app, "handler")


def ask(client, expect=200, **params):
    return client.get(URL, query_string=params, expect=expect).get_data(as_text=True)


def weekday(app, value):
    with app.test_request_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return format_date(value, "EEEE")


@pytest.mark.parametrize("role", ["handler", "head", "leader"])
def test_everyone_who_reads_cases_can_use_it(app, role):
    page = ask(signed_in(app, role))
    assert say(app, "Deadline calculator") in page
    form = page[page.index('<form method="get"') :]
    assert 'name="csrf_token"' not in form[: form.index("</form>")]  # it changes nothing
    # Nothing asked yet: no result and no error.
    assert 'id="h-result"' not in page
    assert "error-summary" not in page


def test_editors_are_refused(app):
    signed_in(app, "editor").get(URL, expect=403)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL, expect=302)
    assert "/staff/login" in response.headers["Location"]


def test_the_deadline_with_its_weekday_and_the_days_not_counted(app, handler):
    # A complaint received Friday 29/01/2027: weekends and Tết 2027 are skipped.
    page = ask(handler, kind="complaint", stage="accept", day="2027-01-29")
    due = date(2027, 2, 19)
    assert f"<strong>{weekday(app, due)}, {shown_date(app, due)}</strong>" in page
    assert (
        say(
            app,
            "%(days)d working days counted from the day after receipt on %(date)s.",
            days=10,
            date=shown_date(app, date(2027, 1, 29)),
        )
        in page
    )
    assert say(app, "Days off not counted") in page
    for day in [date(2027, 1, 30), date(2027, 2, 4), date(2027, 2, 10), date(2027, 2, 14)]:
        assert shown_date(app, day) in page
    # Holidays are named in the page's language.
    assert say(app, "Public holiday: %(name)s", name="Giao thừa Tết Nguyên Đán") in page


def test_dates_can_be_typed_day_first(app, handler):
    page = ask(handler, kind="complaint", stage="accept", day="29/01/2027")
    assert shown_date(app, date(2027, 2, 19)) + "</strong>" in page


def test_a_make_up_saturday_is_shown_as_counted(app, handler):
    page = ask(handler, kind="complaint", stage="accept", day="2026-08-21")
    assert shown_date(app, date(2026, 9, 8)) + "</strong>" in page
    assert say(app, "Weekend days worked, counted as working days") in page
    assert say(app, "Make-up working day announced with the public holidays") in page


def test_the_administrators_days_are_shown_with_their_note(app, handler):
    with app.app_context():
        declare_day(date(2026, 12, 11), DayKind.DAY_OFF, "Nghỉ bù theo thông báo")
    page = ask(handler, kind="complaint", stage="accept", day="2026-12-07")
    assert shown_date(app, date(2026, 12, 22)) + "</strong>" in page
    assert say(app, "Day off recorded by the administrator") + ": Nghỉ bù theo thông báo" in page


def test_an_extended_denunciation_moves_past_the_end_day_off(app, handler):
    # Accepted Friday 25/09/2026, complex, one extension: 60 days end on Tuesday 24/11,
    # Vietnam Cultural Day, so the deadline is Wednesday 25/11.
    page = ask(
        handler,
        kind="denunciation",
        stage="resolve",
        day="2026-09-25",
        complexity="1",
        extensions="1",
    )
    assert shown_date(app, date(2026, 11, 25)) + "</strong>" in page
    assert (
        say(
            app,
            "%(days)d calendar days counted from the day after acceptance on %(date)s.",
            days=60,
            date=shown_date(app, date(2026, 9, 25)),
        )
        in page
    )
    assert say(app, "Days off the end of the period moved over") in page


def test_a_second_remote_complex_complaint(app, handler):
    page = ask(
        handler,
        kind="complaint",
        stage="resolve",
        day="05/10/2026",
        complexity="1",
        remote="y",
        second="y",
    )
    assert shown_date(app, date(2027, 1, 13)) + "</strong>" in page


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"kind": "", "stage": "accept", "day": "2026-10-02"}, "kind", "Choose the kind of case"),
        (
            {"kind": "appeal", "stage": "accept", "day": "2026-10-02"},
            "kind",
            "Choose the kind of case",
        ),
        (
            {"kind": "complaint", "stage": "later", "day": "2026-10-02"},
            "stage",
            "Choose the deadline to work out",
        ),
        (
            {"kind": "complaint", "stage": "accept", "day": ""},
            "day",
            "Enter the date the case was received or accepted",
        ),
        (
            {"kind": "complaint", "stage": "accept", "day": "31/02/2026"},
            "day",
            "Enter a real date, like 15/01/2027",
        ),
        (
            {"kind": "complaint", "stage": "resolve", "day": "2026-10-02", "complexity": "9"},
            "complexity",
            "Choose the complexity from the list",
        ),
        (
            {"kind": "denunciation", "stage": "resolve", "day": "2026-10-02", "extensions": "1"},
            "extensions",
            "Choose 0 extensions: a denunciation can be extended only if it is complex (once) "
            "or especially complex (twice)",
        ),
        (
            {
                "kind": "denunciation",
                "stage": "resolve",
                "day": "2026-10-02",
                "complexity": "1",
                "extensions": "2",
            },
            "extensions",
            "Choose at most 1 extension: a complex denunciation can be extended once, an "
            "especially complex one twice",
        ),
        (
            {"kind": "complaint", "stage": "resolve", "day": "2026-10-02", "complexity": "2"},
            "complexity",
            "Choose Complex: only denunciations can be especially complex",
        ),
        (
            {"kind": "denunciation", "stage": "resolve", "day": "2026-10-02", "remote": "y"},
            "remote",
            "Untick remote area: only a complaint's period depends on it, or choose Complaint",
        ),
        (
            {"kind": "complaint", "stage": "accept", "day": "2026-10-02", "second": "y"},
            "second",
            "Untick second complaint, or choose the resolution deadline: it changes only that one",
        ),
        (
            {
                "kind": "denunciation",
                "stage": "resolve",
                "day": "2026-10-02",
                "several_places": "y",
            },
            "several_places",
            "Untick several places, or choose the acceptance deadline: it changes only that one",
        ),
    ],
)
def test_bad_input_is_explained_and_kept(app, handler, params, field, message):
    page = ask(handler, expect=400, **params)
    assert 'id="h-result"' not in page
    assert "error-summary" in page
    assert f'<a href="#{field}">{say(app, message)}</a>' in page
    assert f'id="{field}-error"' in page
    assert 'aria-invalid="true"' in page
    if field == "day" and params["day"]:
        assert f'value="{params["day"]}"' in page  # what was typed stays


def test_options_are_kept_after_an_error(app, handler):
    page = ask(
        handler,
        expect=400,
        kind="denunciation",
        stage="resolve",
        day="02/10/2026",
        complexity="1",
        extensions="2",
        remote="y",
    )
    assert '<option selected value="denunciation">' in page
    assert '<option selected value="resolve">' in page
    assert '<option selected value="1">' in page
    assert '<option selected value="2">' in page
    assert 'value="02/10/2026"' in page
    assert re.search(r'<input[^>]* checked [^>]*id="remote"', page)
