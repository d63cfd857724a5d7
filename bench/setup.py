"""The set-up every database bench shares: test settings, a scratch folder, the database
(DATABASE_URL, or a SQLite file in the scratch folder, made anew unless kept), Django, migrations."""

from __future__ import annotations

import os
from pathlib import Path


def django_on_scratch(scratch: Path, *, keep: bool = False, env: dict[str, str] | None = None) -> None:
    """Configure and start Django for a bench; `env` adds settings read from the environment."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "sanctions_portal.settings.test"
    os.environ.setdefault("PORTAL_VAR_DIR", str(scratch))
    os.environ["AXES_ENABLED_IN_TESTS"] = "0"
    os.environ.update(env or {})
    scratch.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        db_file = scratch / "db.sqlite3"
        if not keep:
            db_file.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # No setup_test_environment(): its instrumented template rendering would inflate the page times.
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
