"""Backup, wipe, restore: the same rows and the same files come back."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from reports.db_guards import guards_installed
from reports.models import AuditEvent, Report, ReportVersion
from reports.services.backup import BackupError, backup_create, backup_restore, private_files, row_counts
from tests.security.world import World, world  # noqa: F401  (fixture)


def wipe_everything() -> None:
    from reports.services.backup import _flush

    _flush(connection)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    for entry in root.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def manifest_of(archive: Path) -> dict:  # type: ignore[type-arg]
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]


def test_backup_wipe_restore_gives_back_every_row_and_file(world: World, tmp_path):  # noqa: F811
    files_before = private_files()
    assert len(files_before) >= 4  # attachments and PDFs of two States
    archive = backup_create(out_dir=tmp_path)
    manifest = manifest_of(archive)
    assert manifest["rows"]["reports.report"] == Report.objects.count() >= 2
    assert manifest["files"] == files_before

    wipe_everything()
    assert Report.objects.count() == 0 and private_files() == {}

    result = backup_restore(archive=archive)
    after = row_counts()
    expected = dict(manifest["rows"])
    expected["reports.auditevent"] += 1  # the restore itself is on the record
    assert after == expected
    assert result.files == len(files_before)
    assert private_files() == files_before  # same names, same SHA-256
    assert AuditEvent.objects.filter(action="backup_restored").count() == 1

    # The restored record is as protected as the original.
    assert guards_installed(connection) >= 10
    frozen = ReportVersion.objects.filter(is_draft=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.filter(pk=frozen.pk).update(note="rewritten")


def test_a_damaged_archive_changes_nothing(world: World, tmp_path):  # noqa: F811
    archive = backup_create(out_dir=tmp_path)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "data.json":
                data = data.replace(b'"FRA"', b'"XXX"', 1)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    before = row_counts()
    with pytest.raises(BackupError, match="checksum"):
        backup_restore(archive=damaged)
    assert row_counts() == before


def test_a_hostile_archive_member_is_refused(db, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../../escape.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(BackupError, match="suspicious"):
        backup_restore(archive=evil)
    assert not (tmp_path.parent / "escape.txt").exists()


def test_the_commands(world: World, tmp_path):  # noqa: F811
    out = io.StringIO()
    call_command("backup_data", "--out", str(tmp_path), stdout=out)
    archive = Path(out.getvalue().strip())
    assert archive.is_file() and archive.name.startswith("portal-backup-")
    done = io.StringIO()
    call_command("restore_data", str(archive), "--yes", stdout=done)
    assert "Restored the backup" in done.getvalue()
