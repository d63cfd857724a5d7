"""Hardening: check --deploy, security headers, cookies, escaping, secrets from the environment."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "DJANGO_SETTINGS_MODULE": "sanctions_portal.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example",
}


def run_manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env or PROD_ENV, capture_output=True, text=True, timeout=120
    )


def production_settings(*names: str) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=PROD_ENV, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_refuses_a_missing_secret_and_has_no_demo_data():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    assert "SECRET_KEY" in run_manage("check", env=env).stderr
    values = production_settings("DEMO_DATA_ALLOWED", "DEBUG", "MFA_TOTP_INSECURE_BYPASS_CODE")
    assert values == {"DEMO_DATA_ALLOWED": False, "DEBUG": False, "MFA_TOTP_INSECURE_BYPASS_CODE": None}


PROD_SECURITY = (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SECURE",
    "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
)  # fmt: skip


def test_production_security_settings():
    values = production_settings(*PROD_SECURITY)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000  # type: ignore[call-overload]
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"


def test_headers_with_production_security_settings(client, settings, focal_a):
    for name, value in production_settings(*PROD_SECURITY).items():
        setattr(settings, name, value)
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")  # HTTPS everywhere
    page = client.get("/accounts/login/", secure=True)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    response = client.post("/accounts/login/", {"login": focal_a.username, "password": "correct-horse-battery-2253"}, secure=True)
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] and session_cookie["httponly"] and session_cookie["samesite"] == "Lax"
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"]


def test_content_security_policy_allows_no_inline_script_or_style(client, focal_a):
    client.force_login(focal_a)
    response = client.get("/")
    policy = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def page_templates() -> list[Path]:
    # E-mails (no CSP: mail clients need inline styles) and PDFs (WeasyPrint runs no script) aside.
    return [
        p for p in (ROOT / "templates").rglob("*.html") if p.relative_to(ROOT / "templates").parts[0] not in ("emails", "pdf")
    ]


def test_page_templates_have_no_inline_script_handler_or_style():
    offenders = []
    for path in page_templates():
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text) or STYLE_ATTR.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders


# Every place that turns off escaping, and why it is safe. A new one fails until it is justified here.
UNESCAPED_ALLOWED = {
    "templates/pdf/summary.html": "charts are SVG built by pygal (an XML serializer escapes every label), "
    "with <script> removed by reports.charts._finish; rendered only by WeasyPrint, which runs no script",
    "reports/templatetags/wrapping.py": "breakable: the text is escaped piece by piece (django.utils.html.escape, or kept as "
    "it is when already safe) and only the constant <wbr> is added between pieces",
    "reports/html.py": "escaped_join: every piece and the separator through conditional_escape before joining",
    "reports/forms/registers.py": "SafeString of a constant required-field mark; every other part through format_html",
    "templates/emails/clarification-subject.txt": "plain text (an e-mail subject): nothing renders HTML there",
    "templates/emails/clarification-body.txt": "plain-text e-mail body: nothing renders HTML there; the HTML alternative "
    "(clarification-body.html) escapes the officer's comment",
    "templates/emails/thread-subject.txt": "plain text (an e-mail subject): nothing renders HTML there",
    "templates/emails/thread-body.txt": "plain-text e-mail body: nothing renders HTML there; the HTML alternative "
    "(thread-body.html) escapes the message",
    "templates/emails/assessments_shared-subject.txt": "plain text (an e-mail subject): nothing renders HTML there",
    "templates/emails/assessments_shared-body.txt": "plain-text e-mail body: nothing renders HTML there; the HTML "
    "alternative (assessments_shared-body.html) escapes the officer's notes",
}
# reports/tables.py needs no entry: its rows, cells, follow-up forms and matrix are put together by
# format_html / format_html_join / escaped_join, which escape whatever is not already safe.
UNESCAPE = re.compile(r"\|\s*safe\b|\{%\s*autoescape\s+off|mark_safe\(|SafeString\(|\|safeseq")


def test_no_unjustified_unescaped_output():
    found = {}
    for path in [*(ROOT / "templates").rglob("*.html"), *(ROOT / "templates").rglob("*.txt"), *(ROOT / "reports").rglob("*.py")]:
        rel = str(path.relative_to(ROOT))
        if UNESCAPE.search(path.read_text()):
            found[rel] = True
    # SafeString(" selected") in the fast widgets is a constant, not user text.
    found.pop("reports/forms/widgets.py", None)
    assert set(found) <= set(UNESCAPED_ALLOWED), sorted(set(found) - set(UNESCAPED_ALLOWED))


def test_hostile_party_names_stay_text_in_charts():
    from reports.charts import named_parties_chart

    svg = named_parties_chart([('<script>alert(1)</script>"><img src=x onerror=alert(2)>', 3)])
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg or "&lt;img" in svg


@pytest.mark.parametrize("setting", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_BACKEND", "DEMO_PASSWORD"])
def test_secrets_come_from_the_environment(setting):
    source = (ROOT / "sanctions_portal/settings/base.py").read_text() + (
        ROOT / "sanctions_portal/settings/production.py"
    ).read_text()
    assert re.search(rf"{setting}\s*=\s*env_(str|url)\(\s*\"{setting}\"", source), setting


def test_no_secret_literals_in_production_settings():
    source = (ROOT / "sanctions_portal/settings/production.py").read_text()
    assert not re.search(r"(KEY|PASSWORD|TOKEN)\s*=\s*[\"']", source)
    assert django_settings.SECRET_KEY != production_settings("SECRET_KEY")["SECRET_KEY"]
