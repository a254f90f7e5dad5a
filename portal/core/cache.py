"""A short-lived in-process cache of public pages for anonymous readers.

Most readers are anonymous and read the same few pages; rendering them again for each request
is most of the portal's cost (see tests/bench). A page is cached only when nothing about the
request is personal: a GET without a session cookie, no flashed messages, a 200 answer. The key
is the host asked for, the full path with its query string and the reader's language (feeds and
the API carry absolute links: a request sent with another Host header must not put its host in
what other readers are served). Entries live
PUBLIC_PAGE_CACHE_SECONDS (0 turns the cache off); a change an editor publishes shows within
that time on every instance. The response also says `Cache-Control: public, max-age=…` so a
reverse proxy may cache it for the same time.

A view whose data has a cheap version (e.g. the newest row id of an append-only table) passes
`version=`: the version is part of the key, so a change shows at once on this instance.
"""

import threading
import time
from collections import OrderedDict
from functools import wraps

from flask import current_app, request, session
from flask_babel import get_locale

_MAX_ENTRIES = 512
_lock = threading.Lock()
_entries: OrderedDict = OrderedDict()


def _cacheable_request() -> bool:
    return (
        request.method == "GET"
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and not request.authorization
    )


def clear() -> None:
    with _lock:
        _entries.clear()


def public_page(view=None, *, version=None):
    """Serve the view from the cache for anonymous readers (see the module docstring).

    Use as `@public_page`, or `@public_page(version=f)` where f() returns a cheap value that
    changes whenever the page's data does.
    """
    if view is None:
        return lambda inner: public_page(inner, version=version)

    @wraps(view)
    def wrapped(*args, **kwargs):
        seconds = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
        if not seconds or not _cacheable_request():
            return view(*args, **kwargs)
        key = (current_app.name, request.host, request.full_path, str(get_locale()))
        if version is not None:
            key += (version(),)
        now = time.monotonic()
        with _lock:
            hit = _entries.get(key)
            if hit and hit[0] > now:
                _entries.move_to_end(key)
                body, headers = hit[1], hit[2]
                return current_app.response_class(body, 200, headers)
        response = current_app.make_response(view(*args, **kwargs))
        # A page that wrote to the session (a CSRF token for a form) or sets a cookie is personal.
        if response.status_code != 200 or session.modified or "Set-Cookie" in response.headers:
            return response
        response.headers["Cache-Control"] = f"public, max-age={int(seconds)}"
        response.headers["Vary"] = "Cookie"
        with _lock:
            _entries[key] = (now + seconds, response.get_data(), list(response.headers.items()))
            while len(_entries) > _MAX_ENTRIES:
                _entries.popitem(last=False)
        return response

    return wrapped
