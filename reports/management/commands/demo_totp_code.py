from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.models import User
from reports.services.mfa import totp_code, totp_secret_of


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user (refused in production settings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo TOTP codes are never printed with production settings.")
        user = User.objects.filter(username=options["username"]).first()
        secret = totp_secret_of(user) if user is not None else None
        if not secret:
            raise CommandError(f"{options['username']!r} has no TOTP authenticator (run seed_demo first).")
        self.stdout.write(totp_code(secret))
