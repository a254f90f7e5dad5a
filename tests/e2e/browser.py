"""Helpers for the browser tests: the app's own wording, signing in, axe reports."""

from flask_babel import force_locale, gettext

from tests.factories import PASSWORD, totp_code


def translate(app, message: str, locale: str = "vi", **variables) -> str:
    """The text the app shows for `message` in `locale` (English while untranslated)."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **variables)


def submit_login(page, app, email: str, password: str) -> None:
    """Fill the sign-in form by its labels, as a person would, and submit it."""
    page.get_by_label(translate(app, "E-mail address"), exact=True).fill(email)
    page.get_by_label(translate(app, "Password"), exact=True).fill(password)
    page.get_by_role("button", name=translate(app, "Sign in"), exact=True).click()


def submit_code(page, app, code: str) -> None:
    page.get_by_label(translate(app, "6-digit code from your authenticator app")).fill(code)
    page.get_by_role("button", name=translate(app, "Continue"), exact=True).click()


def sign_in(page, app, user, *, password: str = PASSWORD) -> None:
    """Sign in through the real forms (TOTP step included) and wait for the dashboard."""
    page.goto("/staff/login")
    submit_login(page, app, user.email, password)
    if user.totp_secret:
        page.wait_for_url("**/staff/login/code")
        submit_code(page, app, totp_code(user))
    page.wait_for_url("**/staff/")


def format_violations(violations: list[dict]) -> str:
    """One block per axe violation: rule, impact, help, and each failing element."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact')}] {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    target: {' '.join(map(str, node['target']))}")
            lines.append(f"      html: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").strip()
            for line in summary.splitlines():
                if line.strip():
                    lines.append(f"      {line.strip()}")
    return "\n".join(lines)
