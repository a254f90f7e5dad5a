"""Absolute links that leave the site: in e-mail, on printed receipts, in cron's digests.

They are built from `PUBLIC_URL` (e.g. `https://tiepcongdan.example.gov.vn`) whenever it is
set, never from the request's Host header: anyone can send a request with another Host, and a
mail the portal sends to someone else (a citizen's new key, a staff member's new account)
must not point them at that host. Production refuses to start without `PUBLIC_URL`. Without
it (development, tests), a request's own host is used, and outside a request the path alone.
"""

from urllib.parse import urlsplit

from flask import current_app, url_for


def public_url_problem(value: str | None) -> str | None:
    """Why `value` cannot be PUBLIC_URL, or None when it can."""
    if not value:
        return "PORTAL_PUBLIC_URL is missing"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "PORTAL_PUBLIC_URL must be an http(s) address with a host"
    if parts.query or parts.fragment or parts.username or parts.password:
        return "PORTAL_PUBLIC_URL must not carry a query, a fragment or credentials"
    return None


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` for someone reading it elsewhere (see the module)."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        parts = urlsplit(base)
        adapter = current_app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
        )
        return adapter.build(endpoint, values, force_external=True)
    try:
        return url_for(endpoint, _external=True, **values)
    except RuntimeError:
        # Outside a request without PUBLIC_URL (development): the path is all there is.
        adapter = current_app.url_map.bind(
            "localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/"
        )
        return adapter.build(endpoint, values)


def init_app(app) -> None:
    app.add_template_global(external_url, "external_url")
