"""Configuration: production refuses unsafe settings; instance/config.py and PORTAL_* override.

Every test runs with no PORTAL_* variable from the outside and a fresh instance folder.
"""

import os
import secrets
import uuid

import pytest
from cryptography.fernet import Fernet

from portal import create_app
from portal.config import DEV_CASE_IDENTITY_KEY, DEV_SECRET_KEY, ConfigurationError
from tests.apps import other_app
from tests.pages import PageClient

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """Drop PORTAL_* variables and point the instance folder at an empty directory."""
    for name in list(os.environ):
        if name.startswith("PORTAL_"):
            monkeypatch.delenv(name)
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(instance))
    return instance


def good_production_settings(tmp_path):
    return {
        "SECRET_KEY": secrets.token_hex(32),
        "CASE_IDENTITY_KEY": Fernet.generate_key().decode(),
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "production.db"),
        "PUBLIC_URL": "https://tiepcongdan.example.gov.vn",
    }


def test_production_starts_with_a_long_random_key_and_a_database(app, tmp_path):
    with other_app(app, "production", good_production_settings(tmp_path)) as production:
        assert production.config["ENV_NAME"] == "production"


@pytest.mark.parametrize(
    "secret_key",
    [None, "", DEV_SECRET_KEY, "x" * 31],
    ids=["missing", "empty", "development-default", "short"],
)
def test_production_refuses_to_start_with_an_unsafe_secret_key(tmp_path, secret_key):
    settings = {**good_production_settings(tmp_path), "SECRET_KEY": secret_key}

    with pytest.raises(ConfigurationError, match="PORTAL_SECRET_KEY"):
        create_app("production", settings)


@pytest.mark.parametrize("key", [None, "", DEV_CASE_IDENTITY_KEY], ids=["missing", "empty", "dev"])
def test_production_refuses_to_start_without_its_own_identity_key(tmp_path, key):
    settings = {**good_production_settings(tmp_path), "CASE_IDENTITY_KEY": key}

    with pytest.raises(ConfigurationError, match="PORTAL_CASE_IDENTITY_KEY"):
        create_app("production", settings)


@pytest.mark.parametrize(
    "url",
    [None, "", "tiepcongdan.example.gov.vn", "ftp://example.gov.vn", "https://", "https://a.vn/?x=1",
     "https://user:pw@a.vn"],
    ids=["missing", "empty", "no-scheme", "ftp", "no-host", "query", "credentials"],
)  # fmt: skip
def test_production_refuses_to_start_without_a_public_address(tmp_path, url):
    settings = {**good_production_settings(tmp_path), "PUBLIC_URL": url}

    with pytest.raises(ConfigurationError, match="PORTAL_PUBLIC_URL"):
        create_app("production", settings)


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    settings = {**good_production_settings(tmp_path), "SQLALCHEMY_DATABASE_URI": None}

    with pytest.raises(ConfigurationError, match="PORTAL_DATABASE_URL"):
        create_app("production", settings)


def test_production_reads_the_secret_key_and_database_from_the_environment(
    app, tmp_path, monkeypatch
):
    secret_key = secrets.token_hex(32)
    database_url = "sqlite:///" + str(tmp_path / "from-env.db")
    monkeypatch.setenv("PORTAL_SECRET_KEY", secret_key)
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_CASE_IDENTITY_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "https://tiepcongdan.example.gov.vn")

    with other_app(app, "production") as production:
        assert production.config["SECRET_KEY"] == secret_key
        assert production.config["SQLALCHEMY_DATABASE_URI"] == database_url
        assert production.config["PUBLIC_URL"] == "https://tiepcongdan.example.gov.vn"


def test_environment_sets_the_mail_server(app, monkeypatch):
    monkeypatch.setenv("PORTAL_MAIL_SERVER", "smtp.example.vn")

    with other_app(app, "testing") as configured:
        assert configured.config["MAIL_SERVER"] == "smtp.example.vn"


def test_environment_sets_the_database_url(app, tmp_path, monkeypatch):
    database_url = "sqlite:///" + str(tmp_path / "other.db")
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)

    with other_app(app, "testing") as configured:
        assert configured.config["SQLALCHEMY_DATABASE_URI"] == database_url


def test_instance_config_file_is_read(app, clean_environment):
    (clean_environment / "config.py").write_text(
        'MAIL_DEFAULT_SENDER = "x@example.vn"\n', encoding="utf-8"
    )

    with other_app(app, "testing") as configured:
        assert configured.config["MAIL_DEFAULT_SENDER"] == "x@example.vn"


def test_environment_wins_over_the_instance_config_file(app, clean_environment, monkeypatch):
    (clean_environment / "config.py").write_text(
        'MAIL_DEFAULT_SENDER = "x@example.vn"\n', encoding="utf-8"
    )
    monkeypatch.setenv("PORTAL_MAIL_DEFAULT_SENDER", "y@example.vn")

    with other_app(app, "testing") as configured:
        assert configured.config["MAIL_DEFAULT_SENDER"] == "y@example.vn"


def test_development_keeps_its_sqlite_database_in_the_instance_folder(app, clean_environment):
    with other_app(app, "development") as development:
        expected = "sqlite:///" + os.path.join(str(clean_environment), "portal.db")
        assert development.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_development_writes_mail_into_the_instance_folder(app, clean_environment):
    with other_app(app, "development") as development:
        assert development.config["MAIL_TRANSPORT"] == "file"
        assert development.config["MAIL_FILE_DIR"] == os.path.join(str(clean_environment), "mail")


@pytest.fixture
def redis_client():
    """Give a client of the local Redis; skip without one, unless this is CI."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Redis at {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({error}); CI would fail here")
    yield client
    client.close()


def test_rate_limits_are_counted_in_redis_when_configured(app, redis_client, monkeypatch):
    # A prefix of our own: other runs may share this Redis, and we delete only our keys.
    prefix = "portal-test-" + uuid.uuid4().hex
    monkeypatch.setenv("PORTAL_DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("PORTAL_RATELIMIT_ENABLED", "true")
    monkeypatch.setenv("PORTAL_RATELIMIT_STORAGE_URI", REDIS_URL)
    monkeypatch.setenv("PORTAL_RATELIMIT_KEY_PREFIX", prefix)
    monkeypatch.setenv("PORTAL_LOGIN_RATE_LIMIT_PER_IP", "2 per day")
    form = {"email": "khong-co@example.vn", "password": "not the password"}
    try:
        with other_app(app, "testing") as limited:
            client = PageClient(limited.test_client())
            for _ in range(2):
                client.submit("/staff/login", form, expect=401)
            client.submit("/staff/login", form, expect=429)
            assert list(redis_client.scan_iter(match=f"*{prefix}*"))
    finally:
        for key in redis_client.scan_iter(match=f"*{prefix}*"):
            redis_client.delete(key)
