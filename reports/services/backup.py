"""Backups that restore: one archive holding a data dump and the private files.

The archive (``portal-backup-<UTC time>.tar.gz``) holds
- ``manifest.json``: when, from which database, the applied migrations, how many rows of
  each model, and the SHA-256 of every private file;
- ``data.json``: ``dumpdata`` of everything but sessions (natural keys, so it loads into
  PostgreSQL or SQLite alike);
- ``private/...``: the uploaded attachments and generated PDFs.

Restoring replaces the database content in ONE transaction (the immutability triggers are
suspended inside it only: reports/db_guards.py), checks the row counts against the manifest,
and only then puts the private files back. A failed restore leaves the portal as it was.

The private files are read and written through the private storage (reports/storage.py), so a
backup taken on any host holds the files of an S3 bucket as well as of the local folder. On the
local folder the restored files are swapped in whole; on another store each archived file is
written back first and only then are files that the backup does not know removed, so a restore
that stops half-way leaves every file of the backup and of the present in place.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from reports.db_guards import guards_suspended
from reports.services.audit import audit_log
from reports.storage import private_storage

FORMAT_VERSION = 1
# Sessions die with a restore: everyone signs in again.
EXCLUDED = ("sessions.session", "usersessions.usersession")


class BackupError(Exception):
    pass


@dataclass
class RestoreResult:
    rows: dict[str, int]
    files: int
    created_at: str


def _private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def _is_local_folder() -> bool:
    """The private storage is the local folder PRIVATE_MEDIA_ROOT (not an S3 bucket)."""
    store = storages["private"]
    return isinstance(store, FileSystemStorage) and Path(store.location).resolve() == _private_root().resolve()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_names(folder: str = "") -> list[str]:
    """Every file in the private storage, relative names, walking its folders (S3 prefixes)."""
    try:
        folders, files = private_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        if not folder and sub.startswith(".restore-"):
            continue  # a restore's leftovers on the local folder
        names += _stored_names(f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def _copy_out(name: str, target: Path) -> str:
    """Copy one stored file to target, returning its SHA-256."""
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with private_storage.open(name, "rb") as source, target.open("wb") as out:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def private_files() -> dict[str, str]:
    """Every private file (relative name -> SHA-256), read through the private storage."""
    found = {}
    for name in _stored_names():
        digest = hashlib.sha256()
        with private_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        found[name] = digest.hexdigest()
    return found


def _dumped_models() -> list[Any]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED and not model._meta.proxy and model._meta.managed
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in _dumped_models()}


def _applied_migrations(alias: str) -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def backup_create(*, out_dir: Path, using: str = DEFAULT_DB_ALIAS) -> Path:
    """Write a backup archive into out_dir and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    archive = out_dir / f"portal-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as tmp:
        data = Path(tmp) / "data.json"
        # One snapshot of the data: the counts and the dump see the same rows.
        with transaction.atomic(using=using):
            counts = row_counts()
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=list(EXCLUDED),
                output=str(data),
                database=using,
                verbosity=0,
            )
        files = {name: _copy_out(name, Path(tmp) / "private" / name) for name in _stored_names()}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "vendor": connections[using].vendor,
            "migrations": _applied_migrations(using),
            "rows": counts,
            "files": files,
            "data_sha256": _sha256(data),
        }
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            tar.add(data, arcname="data.json")
            for relative in files:
                tar.add(Path(tmp) / "private" / relative, arcname=f"private/{relative}")
        partial.rename(archive)  # a half-written archive never looks like a backup
    audit_log(action="backup_created", archive=archive.name, rows=sum(counts.values()), files=len(files))
    return archive


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Refusing a suspicious archive member: {member.name!r}")
        members.append(member)
    return members


def backup_restore(*, archive: Path, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Replace the database content and the private files with the archive's."""
    if not archive.is_file():
        raise BackupError(f"No such archive: {archive}")
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as tmp:
        staging = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, members=_safe_members(tar), filter="data")
        manifest = json.loads((staging / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        data = staging / "data.json"
        if _sha256(data) != manifest["data_sha256"]:
            raise BackupError("The data dump does not match its checksum: the archive is damaged.")
        for relative, digest in manifest["files"].items():
            if _sha256(staging / "private" / relative) != digest:
                raise BackupError(f"{relative} does not match its checksum: the archive is damaged.")
        missing = set(manifest["migrations"]) - set(_applied_migrations(using))
        if missing:
            raise BackupError(f"Run `manage.py migrate` first: {len(missing)} migrations of the backup are not applied.")

        with transaction.atomic(using=using):
            _flush(connection)
            with guards_suspended(connection):
                call_command("loaddata", str(data), database=using, verbosity=0)
            counts = row_counts()
            expected = manifest["rows"]
            wrong = {label: (counts.get(label), n) for label, n in expected.items() if counts.get(label) != n}
            if wrong:
                raise BackupError(f"Row counts differ after loading (now, backup): {wrong}")
            audit_log(action="backup_restored", archive=archive.name, backup_created_at=manifest["created_at"])
        if _is_local_folder():
            _swap_private_files(staging / "private")
        else:
            _put_back_stored_files(staging / "private", set(manifest["files"]))
    return RestoreResult(rows=counts, files=len(manifest["files"]), created_at=manifest["created_at"])


def _flush(connection: Any) -> None:
    """Empty every table inside the current transaction."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred constraint checks pending in this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, database=connection.alias, inhibit_post_migrate=True, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # loaddata relies on deferred checks


def _swap_private_files(source: Path) -> None:
    """Replace the private files with the restored ones, the old ones kept aside until the end."""
    root = _private_root()
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    old = root / f".restore-old-{stamp}"
    old.mkdir()
    for entry in list(root.iterdir()):
        if entry != old and not entry.name.startswith(".restore-"):
            entry.rename(old / entry.name)
    if source.exists():
        for entry in source.iterdir():
            shutil.move(str(entry), root / entry.name)
    shutil.rmtree(old, ignore_errors=True)


def _put_back_stored_files(source: Path, names: set[str]) -> None:
    """On a store without folders to swap (S3): write every archived file back under its own name,
    then remove the files the backup does not know. Stopping half-way loses no file."""
    for name in sorted(names):
        if private_storage.exists(name):
            private_storage.delete(name)
        with (source / name).open("rb") as handle:
            saved = private_storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The store saved {name} as {saved}: restore stopped, nothing removed.")
    for name in _stored_names():
        if name not in names:
            private_storage.delete(name)
