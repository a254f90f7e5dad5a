"""Security headers on every response and the deny-by-default guard of the staff area."""

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
STAFF_PREFIX = "/staff"


# Levels a staff view can declare besides a real permission.
class Level:
    """Pseudo-permissions for views every signed-in (or not yet signed-in) staff member needs."""

    PUBLIC = "public"  # the sign-in pages themselves
    SIGNED_IN = "signed-in"  # any signed-in staff member, 2FA enrolment still pending allowed
    STAFF = "staff"  # any signed-in staff member who has met the 2FA requirement


def requires(permission):
    """Declare what a staff view needs; the guard enforces it, undeclared views get 403."""

    def decorate(view):
        view.staff_permission = permission
        return view

    return decorate


def staff_guard():
    """Refuse every staff request unless its view declared a permission the user holds."""
    view = current_app.view_functions.get(request.endpoint)
    permission = getattr(view, "staff_permission", None)
    if permission is None:
        abort(403)
    if permission == Level.PUBLIC:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if permission == Level.SIGNED_IN:
        return None
    if current_user.must_enrol_2fa:
        return redirect(url_for("accounts.two_factor_setup"))
    if permission == Level.STAFF:
        return None
    if not current_user.can(permission):
        abort(403)
    return None


def register_staff_blueprint(app, blueprint) -> None:
    """Register a staff blueprint with the guard attached before any of its views."""
    app.register_blueprint(blueprint)
    # Attached on the app, keyed by blueprint name, so every app built gets its own guard.
    app.before_request_funcs.setdefault(blueprint.name, []).insert(0, staff_guard)
    app.extensions.setdefault("staff_blueprints", set()).add(blueprint.name)


def is_staff_path(path: str) -> bool:
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")


def set_security_headers(response):
    """Add the security headers to every response, errors included."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if is_staff_path(request.path):
        # Staff pages show personal data: never keep them in any cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def same_site_url(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def init_app(app) -> None:
    if app.config["PROXY_FIX_X_FOR"] or app.config["PROXY_FIX_X_PROTO"]:
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=app.config["PROXY_FIX_X_FOR"],
            x_proto=app.config["PROXY_FIX_X_PROTO"],
        )
    app.after_request(set_security_headers)
