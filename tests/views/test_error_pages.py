"""Error pages: the portal's layout, the reader's language, a way back, never a stack trace."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.urls("tests.views.error_urls"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _production_like(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False


def _assert_portal_page(response, status: int) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    html = response.content.decode()
    assert 'class="portal-header"' in html, "the page is in the portal's layout"
    assert f'data-status="{status}"' in html
    assert 'href="/"' in html and 'data-testid="error-home"' in html, "a way back"
    assert "Traceback" not in html and "secret-internal-detail" not in html
    return html


def test_unknown_address_is_the_portals_404(client, reference):
    html = _assert_portal_page(client.get("/no/such/page/"), 404)
    assert "Page not found" in html and "Not Found</h1>" not in html


def test_forbidden_is_the_portals_403(client, reference):
    html = _assert_portal_page(client.get("/test-errors/403/"), 403)
    assert "You may not open this page" in html


def test_bad_request_is_the_portals_400(client, reference):
    html = _assert_portal_page(client.get("/test-errors/400/"), 400)
    assert "could not be understood" in html


def test_server_error_is_the_portals_500_without_a_trace(reference):
    client = Client(raise_request_exception=False)
    html = _assert_portal_page(client.get("/test-errors/500/"), 500)
    assert "Something went wrong on our side" in html and "RuntimeError" not in html


def test_csrf_failure_is_the_portals_page(reference):
    client = Client(enforce_csrf_checks=True)
    html = _assert_portal_page(client.post("/test-errors/form/", {"x": "1"}), 403)
    assert "This form has expired" in html and "CSRF cookie not set" not in html


def test_error_page_for_a_signed_in_user_keeps_the_navigation(client, secretariat):
    client.force_login(secretariat)
    html = _assert_portal_page(client.get("/secretariat/no-such-page/"), 404)
    assert secretariat.username in html


@pytest.mark.parametrize("path,status", [("/no/such/page/", 404), ("/test-errors/403/", 403), ("/test-errors/500/", 500)])
def test_error_pages_read_right_to_left_in_arabic(reference, path, status):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ar")
    html = _assert_portal_page(client.get(path), status)
    assert 'lang="ar" dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html
    assert "العودة إلى البوابة" in html, "the way back is in Arabic"


def test_500_falls_back_to_a_plain_page_when_the_layout_fails(reference, monkeypatch):
    from reports.views import errors

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("layout broken")

    monkeypatch.setattr(errors.loader, "render_to_string", broken)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ar")
    response = client.get("/test-errors/500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'href="/"' in html and "layout broken" not in html
