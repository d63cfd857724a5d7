from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.services.demo import DEMO_STATES, demo_seed
from reports.services.mfa import demo_totp_secret


def demo_usernames() -> list[str]:
    names = ["secretariat", "monitoring", "committee"]
    for iso3 in DEMO_STATES:
        names += [f"focal-{iso3.lower()}", f"signatory-{iso3.lower()}"]
    return names


class Command(BaseCommand):
    help = "Create the demo users and plausible reports (idempotent; refused in production settings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--print-logins", action="store_true", help="Print the demo logins at the end.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is never created with production settings.")
        result = demo_seed()
        self.stdout.write(
            f"Demo data: {len(result.users_created)} users created, {result.reports_created} reports created"
            + (f", a made-up Sanctions List of {result.sanctions_entries} entries." if result.sanctions_entries else ".")
        )
        if options["print_logins"]:
            self.stdout.write("\nDemo logins (password: DEMO_PASSWORD, default demo-pass-2253):")
            self.stdout.write("  secretariat   Secretariat officer (also the admin)")
            self.stdout.write("  monitoring    Monitoring Team expert")
            self.stdout.write("  committee     Committee member")
            for iso3 in DEMO_STATES:
                self.stdout.write(f"  focal-{iso3.lower()} / signatory-{iso3.lower()}   delegation of {iso3}")
            self.stdout.write(
                "\nTwo-factor authentication: every demo user has a fixed TOTP secret (add it to an"
                "\nauthenticator app, or compute the code: python manage.py demo_totp_code <username>):"
            )
            for username in demo_usernames():
                self.stdout.write(f"  {username:<16} {demo_totp_secret(username)}")
