"""Backups with the private files in an S3 bucket (a real moto_server): the archive holds the
bucket's files, and a restore puts back exactly those bytes under the same names, removing what
the backup does not know, with nothing written to this host's disk."""

from __future__ import annotations

import hashlib
import json
import tarfile

import pytest
from django.core.files.base import ContentFile

from reports.services.backup import backup_create, backup_restore
from reports.storage import private_storage
from tests.storage.conftest import local_files, objects

pytestmark = pytest.mark.django_db

FILES = {
    "attachments/2026/12/Loi 2015-912.pdf": b"%PDF-1.7 law" + b"x" * 300_000,
    "council/summary-fr.pdf": b"%PDF-1.7 summary",
    "receipts/FRA/receipt-ar.pdf": "%PDF-1.7 إيصال".encode(),
}


def test_backup_holds_the_buckets_files_and_restore_puts_them_back(
    s3_store, s3_endpoint, s3_bucket, settings, reference, tmp_path
):
    for name, content in FILES.items():
        assert private_storage.save(name, ContentFile(content)) == name
    before = objects(s3_endpoint, s3_bucket)
    assert before == {f"portal/{name}": content for name, content in FILES.items()}  # the oracle: boto3 itself

    archive = backup_create(out_dir=tmp_path / "backups")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        archived = {
            m.name.removeprefix("private/"): tar.extractfile(m).read()
            for m in tar.getmembers()
            if m.isfile() and m.name.startswith("private/")
        }  # type: ignore[union-attr]
    assert archived == FILES
    assert manifest["files"] == {name: hashlib.sha256(content).hexdigest() for name, content in FILES.items()}

    # The bucket drifts: one file lost, one replaced, one that the backup never saw.
    private_storage.delete("council/summary-fr.pdf")
    private_storage.delete("receipts/FRA/receipt-ar.pdf")
    private_storage.save("receipts/FRA/receipt-ar.pdf", ContentFile(b"tampered"))
    private_storage.save("attachments/2026/12/later.pdf", ContentFile(b"%PDF later"))

    result = backup_restore(archive=archive)
    assert result.files == len(FILES)
    assert objects(s3_endpoint, s3_bucket) == before
    assert local_files(settings) == []  # staged in a temporary folder, never in PRIVATE_MEDIA_ROOT
