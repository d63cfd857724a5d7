"""Files leave the portal as downloads: attachment disposition, no sniffing, generated names."""

from __future__ import annotations

from reports.models import Attachment
from tests.security.world import World, world  # noqa: F401  (fixture)


def download_headers_ok(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachments_pdfs_and_receipts_are_downloads(client, world: World, focal_a, monitoring):  # noqa: F811
    tokens = world.tokens("A")
    client.force_login(focal_a)
    download_headers_ok(client.get(f"/delegation/attachments/{tokens['attachment']}/"))
    download_headers_ok(client.get(f"/delegation/reports/{tokens['report']}/versions/1/receipt.pdf"))
    client.force_login(monitoring)
    download_headers_ok(client.get(f"/monitoring/jobs/{tokens['job']}/download/"))


def test_uploads_are_stored_under_generated_names(world: World):  # noqa: F811
    for attachment in Attachment.objects.all():
        stored = attachment.file.name.rsplit("/", 1)[-1]
        assert attachment.original_name not in attachment.file.name
        assert stored not in ("law.pdf", "annex.pdf") and len(stored) >= 16
