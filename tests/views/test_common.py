import pytest


def test_login_page_renders(client, reference):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="login"' in response.content


def test_home_requires_login(client, reference):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_demo_login_works(client, reference):
    from reports.services.demo import demo_users_ensure
    from tests.mfa import login_with_totp

    demo_users_ensure()
    response = login_with_totp(client, "focal-fra", "demo-pass-2253")  # demo users have a fixed TOTP secret
    assert response.status_code == 302
    page = client.get("/", follow=True)
    assert page.redirect_chain == [("/delegation/", 302)]
    assert page.status_code == 200 and "focal-fra" in page.content.decode()


@pytest.mark.parametrize(
    "role,landing",
    [
        ("focal_a", "/delegation/"),
        ("signatory_a", "/delegation/"),
        ("secretariat", "/secretariat/"),
        ("monitoring", "/secretariat/"),
        ("committee", "/committee/"),
    ],
)
def test_each_role_lands_on_its_own_first_page(client, request, role, landing):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == landing


def test_an_account_without_a_role_is_told_so(client, reference, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="a-long-enough-password-1")
    client.force_login(nobody)
    response = client.get("/")
    assert response.status_code == 200 and "no role yet" in response.content.decode()


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert "broker" in body["checks"]
    assert response.status_code == (200 if body["checks"]["broker"]["ok"] else 503)


def test_healthz_is_503_when_the_broker_is_down(client, db, settings, monkeypatch):
    from sanctions_portal.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.parametrize("lang,direction", [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_pages_carry_language_and_direction(client, reference, lang, direction):
    client.cookies["django_language"] = lang
    html = client.get("/accounts/login/").content.decode()
    assert f'lang="{lang}"' in html and f'dir="{direction}"' in html
