"""Configuration: one class per environment, then instance/config.py, then PORTAL_* variables.

Values that the law or the organisation may change (names, periods, limits) live here or in the
database, never as literals in views.
"""

import os
from datetime import timedelta

from portal.core.urls import public_url_problem

DEV_SECRET_KEY = "development-only-secret-key-never-use-in-production"


class Config:
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None
    # Parameters stay out of error messages and logs: they can hold citizens' personal data.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Languages: Vietnamese first, English second. Dates are local to Vietnam.
    LANGUAGES = ("vi", "en")
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

    # Static URLs carry a content hash (core.filters.add_static_version): cache them long.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600

    # Anonymous readers get public pages from a short in-process cache (core/cache.py).
    PUBLIC_PAGE_CACHE_SECONDS = 30
    # The staff dashboard's PAPI figures are kept this long (and until a case changes state):
    # at a million cases they take about a second to count.
    PAPI_CACHE_SECONDS = 300

    # Uploads and bodies: anything bigger is refused with a 413 page.
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # one file
    UPLOAD_FOLDER = None  # defaults to <instance>/uploads

    # Cookies. Production tightens these (Secure, __Host- names).
    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_NAME = "portal_remember"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    LANGUAGE_COOKIE_NAME = "portal_lang"
    WTF_CSRF_TIME_LIMIT = 4 * 3600

    # Rate limits (Flask-Limiter). Several app instances must share one storage: use Redis,
    # e.g. PORTAL_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT_PER_IP = "30 per 10 minutes"
    LOGIN_RATE_LIMIT_PER_ACCOUNT = "10 per 10 minutes"
    # Comments on drafts open for consultation, per client address.
    DRAFT_COMMENT_RATE_LIMIT = "5 per hour"

    # Staff sign-in.
    PASSWORD_MIN_LENGTH = 12
    LOCKOUT_THRESHOLD = 5
    LOCKOUT_DURATION = timedelta(minutes=15)
    STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
    STAFF_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    LOGIN_PENDING_TIMEOUT = timedelta(minutes=5)
    ROLES_REQUIRING_2FA = ("admin", "head")
    TOTP_ISSUER = "Cong thong tin"

    # Mail. "file" writes one .eml per message to MAIL_FILE_DIR (development);
    # "smtp" sends through MAIL_SERVER. Every message goes through the outbox first.
    MAIL_TRANSPORT = "smtp"
    MAIL_FILE_DIR = None  # defaults to <instance>/mail
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "no-reply@localhost"
    MAIL_TIMEOUT = 10
    OUTBOX_MAX_ATTEMPTS = 8
    # Sent and given-up messages hold citizens' addresses and case text: `flask outbox prune`
    # deletes them this many days after their last attempt (pending mail is never deleted).
    OUTBOX_KEEP_DAYS = 30

    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    # The portal's public address, for links in e-mail and outside requests (core/urls.py);
    # required in production.
    PUBLIC_URL = None

    DEMO_ACCOUNTS_FILE = "demo-accounts.txt"

    # Cases. The submitter's identity is sealed with this Fernet key (cryptography), kept in
    # configuration and never in the database: `python -c "from cryptography.fernet import
    # Fernet; print(Fernet.generate_key().decode())"`.
    CASE_IDENTITY_KEY = None
    # Working days to accept (or give notice), counted from the day after receipt (DOMAIN.md).
    CASE_ACCEPTANCE_WORKING_DAYS = {
        "reflection": 10,
        "petition": 10,
        "complaint": 10,
        "denunciation": 7,
    }
    # Resolution periods from acceptance (DOMAIN.md), per kind: (days, "working"|"calendar").
    # Complaints: by (second complaint, remote area, complex); denunciations: one period and
    # extensions of the same length (one if complex, two if especially complex).
    CASE_RESOLUTION_PERIODS = {
        "reflection": {"days": 15, "unit": "working"},
        "petition": {"days": 15, "unit": "working"},
        "complaint": {
            "unit": "working",
            "first": {"normal": 30, "complex": 45, "remote": 45, "remote_complex": 60},
            "second": {"normal": 45, "complex": 60, "remote": 60, "remote_complex": 70},
        },
        "denunciation": {"days": 30, "unit": "calendar", "extension_days": 30},
    }
    # Denunciations whose verification needs several places: acceptance in 10 working days.
    CASE_ACCEPTANCE_SEVERAL_PLACES_WORKING_DAYS = 10
    # Forwarding a denunciation outside our competence: within 5 working days.
    CASE_TRANSFER_WORKING_DAYS = 5
    # Kept after the case ends, in days, per kind; cases not accepted as not processable are
    # kept 1 year (Thông tư 05/2021). `flask cases purge` deletes what has expired.
    CASE_RETENTION_DAYS = {
        "reflection": 5 * 365,
        "petition": 5 * 365,
        "complaint": 10 * 365,
        "denunciation": 10 * 365,
        "not-accepted": 365,
    }
    # The daily digest (`flask cases remind`) lists cases due within this many working days.
    CASE_REMIND_WORKING_DAYS = 3
    CASE_INBOX_PAGE_SIZE = 50
    # Complaint decisions are published in this disclosure category, public at least this many
    # consecutive days (DOMAIN.md: 15).
    CASE_DECISION_CATEGORY = "giai-quyet-khieu-nai"
    CASE_DECISION_PUBLIC_DAYS = 15
    CASE_COMPLAINT_LIMIT_DAYS = 90  # from learning of the decision: warn, never block
    CASE_MAX_FILES = 5
    CASE_MAX_FILE_BYTES = 10 * 1024 * 1024
    CASE_MAX_TOTAL_BYTES = 25 * 1024 * 1024
    CASE_SUBMIT_RATE_LIMIT = "10 per hour"
    CASE_LOOKUP_RATE_LIMIT = "10 per 10 minutes"
    # A citizen may take an hour or more to write: the public form's token lives long.
    CASE_FORM_TOKEN_SECONDS = 24 * 3600

    # --- Open311 POST (portal/api/open311_post.py) ---
    # A partner key submits at most this often (a call centre relays many citizens, so more
    # than one citizen's web form); a client address whose api_key is refused, this often.
    OPEN311_POST_RATE_LIMIT = "60 per minute;2000 per day"
    OPEN311_REFUSED_KEY_LIMIT = "20 per hour"
    # A POST is a form of text fields: 4,000 characters of description and a few short ones.
    OPEN311_MAX_POST_BYTES = 64 * 1024


# Development and tests only: production refuses to start with it.
DEV_CASE_IDENTITY_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktMDEyMzQ1Njc4OWE="


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = DEV_SECRET_KEY
    CASE_IDENTITY_KEY = DEV_CASE_IDENTITY_KEY
    MAIL_TRANSPORT = "file"
    TEMPLATES_AUTO_RELOAD = True
    PUBLIC_PAGE_CACHE_SECONDS = 0  # what you edit shows at once
    PAPI_CACHE_SECONDS = 0


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-with-enough-length-0123456789"
    CASE_IDENTITY_KEY = DEV_CASE_IDENTITY_KEY
    MAIL_TRANSPORT = "smtp"
    MAIL_SERVER = "127.0.0.1"
    RATELIMIT_ENABLED = False
    PUBLIC_PAGE_CACHE_SECONDS = 0  # tests see every change at once; the cache has its own tests
    PAPI_CACHE_SECONDS = 0
    MAIL_SUPPRESS_SEND = False  # tests read a real SMTP sink
    # Fast hashing keeps the suite quick; the production method is tested on its own.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for the whole site, from this host only.
    SESSION_COOKIE_NAME = "__Host-portal_session"
    REMEMBER_COOKIE_NAME = "__Host-portal_remember"
    LANGUAGE_COOKIE_NAME = "__Host-portal_lang"
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None):
    """Return the configuration class named by the argument or PORTAL_ENV."""
    name = name or os.environ.get("PORTAL_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"PORTAL_ENV={name!r} is not one of {', '.join(sorted(CONFIGS))}"
        ) from None


class ConfigurationError(RuntimeError):
    """The settings cannot run the portal safely; the message names the setting."""


def finalise(config, instance_path: str) -> None:
    """Fill derived defaults and refuse unsafe production settings."""
    if config.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    if not config.get("SQLALCHEMY_DATABASE_URI") and config["ENV_NAME"] != "production":
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(instance_path, "portal.db")
    if not config.get("MAIL_FILE_DIR"):
        config["MAIL_FILE_DIR"] = os.path.join(instance_path, "mail")
    if config["ENV_NAME"] == "production":
        secret = config.get("SECRET_KEY")
        if not secret or secret == DEV_SECRET_KEY:
            raise ConfigurationError(
                "PORTAL_SECRET_KEY is missing or is the development default: set a long random "
                "value (python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if len(secret) < 32:
            raise ConfigurationError("PORTAL_SECRET_KEY is too short: use at least 32 characters.")
        identity_key = config.get("CASE_IDENTITY_KEY")
        if not identity_key or identity_key == DEV_CASE_IDENTITY_KEY:
            raise ConfigurationError(
                "PORTAL_CASE_IDENTITY_KEY is missing or is the development key: set a Fernet key "
                '(python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"). Keep it outside the database.'
            )
        problem = public_url_problem(config.get("PUBLIC_URL"))
        if problem:
            raise ConfigurationError(
                f"{problem}: set the address citizens use, e.g. https://tiepcongdan.example.gov.vn"
                " (links in e-mail are built from it, never from a request's Host header)."
            )
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            raise ConfigurationError(
                "PORTAL_DATABASE_URL is missing: set it, e.g. "
                "postgresql+psycopg://portal@127.0.0.1:5432/portal."
            )
