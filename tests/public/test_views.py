from tests.factories import create_user


def test_home_page_is_vietnamese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page


def test_smoke_sign_in(app, client):
    from tests.auth import sign_in

    with app.app_context():
        user = create_user(role="admin")
    sign_in(client, user)
    client.get("/staff/")
    client.get("/staff/users")
