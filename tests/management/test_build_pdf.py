"""`manage.py build_pdf`: the same service as the portal, for operators and scripts."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command

from reports.models import AuditEvent, JobStatus, PdfJob
from tests.pdf.world import build_world, pdf_text


@pytest.fixture
def world(reference):  # type: ignore[no-untyped-def]
    return build_world()


def test_builds_a_profile_to_a_file_through_a_recorded_job(world, tmp_path, capsys):
    out = tmp_path / "deu.pdf"
    call_command(
        "build_pdf", "profile", "--state", "deu", "--cycle", world.cycle.code, "--distribution", "internal", "--out", str(out)
    )
    job = PdfJob.objects.get()
    assert job.status == JobStatus.DONE and job.requested_by is None and job.state == world.deu
    assert out.read_bytes()[:5] == b"%PDF-"
    flat = re.sub(r"\s+", " ", pdf_text(out.read_bytes()))
    assert "S/AC.37/" in flat and "PROFILE/DEU" in flat and "7777" in flat  # restricted: the Secretariat-only assets
    assert job.sha256 in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="pdf_job_request", actor_name="system").exists()


def test_builds_a_summary_by_cycle_id(world, tmp_path):
    out = tmp_path / "summary.pdf"
    call_command("build_pdf", "summary", "--cycle", str(world.cycle.pk), "--out", str(out))
    assert "Distr.: General" in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["summary", "--cycle", "no-such-cycle"], "Unknown reporting cycle"),
        (["summary", "--cycle", "999999"], "Unknown reporting cycle"),
        (["profile", "--state", "XXX"], "Unknown State"),
        (["profile"], "--state"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(world, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_pdf", *args, "--out", str(tmp_path / "x.pdf"))
    assert not PdfJob.objects.exists()
