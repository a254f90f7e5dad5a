"""Signing in through the real forms, as a browser would."""

from tests.factories import PASSWORD, totp_code


def sign_in(client, user, *, password: str = PASSWORD):
    """Sign a staff user in (TOTP step included); return the final response."""
    response = client.submit("/staff/login", {"email": user.email, "password": password})
    if user.totp_secret:
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert response.headers["Location"].endswith("/staff/login/code")
        response = client.submit("/staff/login/code", {"code": totp_code(user)})
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"
    return response
