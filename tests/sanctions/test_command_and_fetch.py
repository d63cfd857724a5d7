"""`import_sanctions_list FILE_OR_URL` and the daily fetch, against a file and a local http.server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from reports.models import SanctionsSnapshot
from reports.tasks.sanctions import sanctions_list_fetch_task
from tests.sanctions.conftest import DEMO_1, DEMO_2

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "demo-1.xml").write_bytes(DEMO_1.read_bytes())
    (tmp_path / "demo-2.xml").write_bytes(DEMO_2.read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_command_imports_a_file_then_says_unchanged(capsys):
    call_command("import_sanctions_list", str(DEMO_1))
    out = capsys.readouterr().out
    assert "30 entries, 30 added, 0 amended, 0 delisted" in out
    call_command("import_sanctions_list", str(DEMO_1))
    assert "Unchanged" in capsys.readouterr().out
    assert SanctionsSnapshot.objects.count() == 1


def test_command_refuses_a_hostile_file_with_its_reason(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><CONSOLIDATED_LIST/>')
    with pytest.raises(CommandError, match=r"Refused: .*document type"):
        call_command("import_sanctions_list", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_sanctions_list", str(tmp_path / "missing.xml"))


def test_command_refuses_an_oversize_file_from_its_size_alone(tmp_path):
    big = tmp_path / "big.xml"
    with big.open("wb") as f:  # a sparse 200 MB file: nothing is written, nothing is read
        f.truncate(200 * 1024 * 1024)
    with pytest.raises(CommandError, match="larger than 50 MB"):
        call_command("import_sanctions_list", str(big))
    assert not SanctionsSnapshot.objects.exists()


def test_command_fetches_an_explicit_url(server, capsys):
    call_command("import_sanctions_list", f"{server}/demo-1.xml")
    call_command("import_sanctions_list", f"{server}/demo-2.xml")
    out = capsys.readouterr().out
    assert "3 added, 3 amended, 2 delisted" in out
    assert SanctionsSnapshot.objects.get(is_current=True).source == f"{server}/demo-2.xml"
    with pytest.raises(CommandError, match="could not be downloaded"):
        call_command("import_sanctions_list", f"{server}/missing.xml")


def test_fetch_refuses_a_response_over_the_cap(server):
    with override_settings(SANCTIONS_LIST_MAX_BYTES=4096), pytest.raises(CommandError, match="larger than"):
        call_command("import_sanctions_list", f"{server}/demo-1.xml")


def test_daily_task_is_off_without_a_url_and_imports_once_with_one(server):
    with override_settings(SANCTIONS_LIST_URL=""):
        assert sanctions_list_fetch_task() == "off"
    with override_settings(SANCTIONS_LIST_URL=f"{server}/demo-1.xml"):
        assert sanctions_list_fetch_task() == "imported"
        assert sanctions_list_fetch_task() == "unchanged"
    assert sanctions_list_fetch_task(f"{server}/nothing.xml") == "refused"
    assert SanctionsSnapshot.objects.count() == 1


def test_beat_schedules_the_fetch_only_when_the_url_is_set():
    import subprocess
    import sys

    code = "from django.conf import settings; print('sanctions-list-fetch' in settings.CELERY_BEAT_SCHEDULE)"
    base = {"DJANGO_SETTINGS_MODULE": "sanctions_portal.settings.base", "PATH": "/usr/bin:/bin"}
    run = functools.partial(
        subprocess.run, [sys.executable, "-c", f"import django; django.setup(); {code}"], capture_output=True, text=True
    )
    assert run(env=base).stdout.strip() == "False"
    assert run(env={**base, "SANCTIONS_LIST_URL": "https://lists.example/consolidated.xml"}).stdout.strip() == "True"
