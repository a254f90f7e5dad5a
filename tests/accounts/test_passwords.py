"""Password policy and hashing."""

import pytest

from portal import create_app
from portal.accounts.passwords import (
    common_passwords,
    hash_password,
    password_problem,
    verify_password,
)


@pytest.mark.parametrize(
    "password",
    [
        "short",
        "elevenchars",  # one short of twelve
        "password1234",  # common
        "QWERTYUIOP123",  # common, compared lower-case
        "matkhau123456",  # common in Vietnamese
        "aaaaaaaaaaaaaaaa",  # too few different characters
        "my name is bientap and more",  # contains the e-mail's local part
    ],
)
def test_weak_passwords_are_refused(app_ctx, password):
    assert password_problem(password, email="bientap@example.vn") is not None


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "Tôi đi làm lúc bảy giờ sáng", "x7#Lq!0pZ@r2"]
)
def test_long_varied_passwords_are_accepted(app_ctx, password):
    assert password_problem(password, email="bientap@example.vn") is None


def test_the_shipped_list_is_loaded():
    assert len(common_passwords()) > 1000
    assert "qwertyuiop" in common_passwords()


def test_hashes_are_salted_and_verify(app_ctx):
    first, second = hash_password("same password here"), hash_password("same password here")
    assert first != second
    assert verify_password(first, "same password here")
    assert not verify_password(first, "other password here")


def test_production_uses_scrypt(tmp_path):
    app = create_app(
        "production",
        {
            "SECRET_KEY": "s" * 64,
            "CASE_IDENTITY_KEY": "k" * 43 + "=",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db",
            "PUBLIC_URL": "https://tiepcongdan.example.gov.vn",
        },
    )
    with app.app_context():
        assert hash_password("a long enough password").startswith("scrypt:")
