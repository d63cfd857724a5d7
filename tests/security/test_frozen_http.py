"""No request alters a submitted version: the editor, uploads and removals all refuse it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Attachment, ChecklistAnswer, OilInterdiction, ReportVersion
from tests.security.world import PDF_BYTES, World, world  # noqa: F401  (fixture)


def snapshot(version_pk: int) -> tuple:  # type: ignore[type-arg]
    version = ReportVersion.objects.get(pk=version_pk)
    return (
        version.content_sha256, version.note, version.confidentiality, version.updated_at, version.revision,
        list(ChecklistAnswer.objects.filter(version_id=version_pk).values_list("answer", "narrative")),
        list(OilInterdiction.objects.filter(version_id=version_pk).values_list("place", "quantity")),
        list(Attachment.objects.filter(version_id=version_pk).values_list("sha256", flat=True)),
    )  # fmt: skip


def test_no_request_alters_a_submitted_version(client, world: World, focal_a, signatory_a):  # noqa: F811
    tokens = world.tokens("A")
    frozen = tokens["version"]
    before = snapshot(frozen)
    attachment = Attachment.objects.get(pk=tokens["attachment"])
    for user in (focal_a, signatory_a):
        client.force_login(user)
        for section in ("checklist", "oil", "assets", "cultural", "ransom", "str", "settings"):
            response = client.post(
                f"/delegation/drafts/{frozen}/{section}/",
                {"revision": "0", "note": "rewritten", "form-0-place": "forged", "form-TOTAL_FORMS": "1"},
            )
            assert response.status_code == 409, (section, response.status_code)
        upload = SimpleUploadedFile("x.pdf", PDF_BYTES, "application/pdf")
        added = client.post(reverse("delegation:attachment_upload", args=[frozen]), {"file": upload})
        removed = client.post(reverse("delegation:attachment_remove", args=[frozen, attachment.pk]))
        assert added.status_code in (302, 404, 409) and removed.status_code in (302, 404, 409)
    assert snapshot(frozen) == before
    # The database refuses it too, whatever a future view might try: tests/security/test_db_guards.py.
