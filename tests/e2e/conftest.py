"""Browser journeys through Chromium, against the real app served on a local port.

Chromium comes from Debian (`apt-get install -y chromium`); `playwright install` cannot
download anything here. PORTAL_CHROMIUM points at another executable. Without the browser the
tests skip, or fail when REQUIRE_BROWSER=1 (set it in CI so a missing browser is never silent).

The live server runs the suite's `app` fixture, so data made with tests.factories inside
`app.app_context()` is what the browser sees; tests/conftest.py empties the tables after every
test (each e2e test uses `app` through base_url).
"""

import os
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from portal.cli import DEMO_SETTINGS
from portal.core import site
from portal.extensions import db
from tests import factories
from tests.contacts.factories import create_site_hotlines
from tests.e2e.browser import format_violations

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium_present() -> bool:
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items: mark only the ones in this folder.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Check for the browser before any fixture (Playwright's included) is set up."""
    if _chromium_present():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: apt-get install -y chromium",
            pytrace=False,
        )
    pytest.skip(
        f"Chromium not installed at {CHROMIUM}; apt-get install -y chromium, "
        "or set REQUIRE_BROWSER=1 to make this a failure"
    )


# --- Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright(tmp_path_factory):
    """Start Playwright's driver with TMPDIR in pytest's temporary folder.

    The driver creates Chromium's profile and artifact folders in its TMPDIR; in /tmp they
    pile up after failed launches. Only the driver's environment changes.
    """
    scratch = tmp_path_factory.mktemp("browser-tmp")
    previous = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(scratch)
    try:
        pw = sync_playwright().start()
    finally:
        if previous is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = previous
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


# --- The app on a local port ---------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


# --- Data ----------------------------------------------------------------------------------


@pytest.fixture
def site_settings(app):
    """Fill in the agency's name, address and hotlines, as a configured site has them."""
    with app.app_context():
        site.save(DEMO_SETTINGS)
        db.session.commit()
        create_site_hotlines()
    return DEMO_SETTINGS


@pytest.fixture
def admin(app):
    """An administrator with a TOTP secret (the role requires two-step sign-in)."""
    with app.app_context():
        user = factories.create_user(role="admin")
    assert user.totp_secret
    return user


# --- Accessibility -------------------------------------------------------------------------

_axe = Axe()


@pytest.fixture
def axe_check():
    """Return check(page): run axe-core on the page as it is now; fail on any violation.

    The page's CSP (script-src 'self') does not get in the way: axe goes in through
    page.evaluate, which CSP does not govern, so contexts need no bypass_csp.
    """

    def check(page) -> None:
        violations = _axe.run(page).response["violations"]
        assert not violations, (
            f"axe-core found {len(violations)} violation(s) on {page.url}:\n"
            + format_violations(violations)
        )

    return check
