from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Implementation reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sanctions_portal.celery import ensure_filesystem_broker_dirs

        from . import signals  # noqa: F401
        from .adapters import totp_used_mark_install

        totp_used_mark_install()

        ensure_filesystem_broker_dirs()
