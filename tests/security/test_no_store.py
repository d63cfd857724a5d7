"""`Cache-Control: no-store` on everything that is not public; static files stay cacheable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.world import World, world  # noqa: F401  (fixture)


def no_store(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response.get("Cache-Control", "")


def test_files_and_pages_of_signed_in_users_are_not_stored(client, world: World, focal_a, monitoring):  # noqa: F811
    tokens = world.tokens("A")
    client.force_login(focal_a)
    for url in (
        "/",
        reverse("delegation:report", args=[tokens["report"]]),
        f"/delegation/attachments/{tokens['attachment']}/",
        f"/delegation/reports/{tokens['report']}/versions/1/receipt.pdf",
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert no_store(response) and "max-age" not in response["Cache-Control"], url
    client.force_login(monitoring)
    download = client.get(f"/monitoring/jobs/{tokens['job']}/download/")
    assert download.status_code == 200 and no_store(download)


def test_a_not_found_for_a_signed_in_user_is_not_stored_either(client, world: World, focal_b):  # noqa: F811
    client.force_login(focal_b)
    response = client.get(f"/delegation/attachments/{world.tokens('A')['attachment']}/")
    assert response.status_code == 404 and no_store(response)


@pytest.mark.django_db
def test_the_sign_in_page_and_sign_out_are_not_stored(client, focal_a):
    login = client.get("/accounts/login/")
    assert login.status_code == 200 and no_store(login)  # it carries a CSRF token and sets its cookie
    client.force_login(focal_a)
    logout = client.post("/accounts/logout/")
    assert logout.status_code == 302 and no_store(logout)


@pytest.mark.django_db
def test_static_files_stay_cacheable(client, focal_a):
    client.force_login(focal_a)
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert not no_store(response)
