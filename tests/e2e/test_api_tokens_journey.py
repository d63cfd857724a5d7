"""API tokens in the browser: made on the account page, shown once, used, revoked; the reference page under the CSP."""

from __future__ import annotations

from playwright.sync_api import expect

from .helpers import Journey, login, switch_language


def test_delegate_makes_uses_and_revokes_a_token(journey: Journey) -> None:
    page = journey.page
    login(journey, "focal-fra", snap=False)
    journey.goto("/security/account/", "account-before")
    page.locator("#id_name").fill("Customs case system")
    page.locator("#id_scope").select_option("read_write_draft")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("[data-testid=new-token] code").inner_text().strip()
    assert secret.startswith("sp_")
    expect(page.locator("[data-testid=token-row]")).to_contain_text("Customs case system")
    journey.snap("token-shown-once")
    api = page.context.request
    answer = api.get(journey.url("/api/v1/my/cycles/"), headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and answer.json()
    journey.goto("/security/account/", "token-listed")
    expect(page.locator("[data-testid=new-token]")).to_have_count(0)  # never shown again
    switch_language(journey, "ar")
    journey.snap("account-arabic")
    page.locator("[data-testid=token-row] button[type=submit]").click()
    expect(page.locator("[data-testid=token-row]")).to_have_count(0)
    revoked = api.get(journey.url("/api/v1/my/cycles/"), headers={"Authorization": f"Bearer {secret}"})
    assert revoked.status == 401 and revoked.headers["content-type"] == "application/problem+json"
    switch_language(journey, "en")


def test_api_reference_renders_from_static_under_the_csp(journey: Journey) -> None:
    page = journey.page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(journey.url("/api/v1/docs/"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("sanctions reporting portal API")
    expect(page.locator(".opblock").first).to_be_visible()
    journey.snap("api-reference", axe=False)  # Swagger UI's own markup is not the portal's to fix
    assert all(url.startswith(journey.base_url) for url in requests), [u for u in requests if not u.startswith(journey.base_url)]
