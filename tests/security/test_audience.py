"""Three audiences, one rule: no document or export for an audience carries a value from a
section that audience may not see (hypothesis generates the levels).

The oracle below is the rule as the BRIEF states it, written again here on purpose (not read
from reports.selectors.access): General sees "may be published", Restricted adds "Committee
members only", internal sees everything; a section's own level, when set, replaces the report's.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reports.exports import export_bytes, list_refs_dataset, matrix_dataset, named_parties_dataset
from reports.models import (
    Answer,
    ChecklistAnswer,
    Confidentiality,
    CulturalSeizure,
    Distribution,
    FrozenAsset,
    Measure,
    OilInterdiction,
    PartyMention,
    PdfJob,
    PdfKind,
    RansomCase,
    ReportVersion,
    Role,
    Section,
    SuspiciousTransactionCount,
)
from reports.pdf.documents import DocumentRequest, profiles_html, summary_html
from reports.selectors.access import Audience, audience_of, section_q, section_visible_to
from reports.selectors.matrix import implementation_matrix
from reports.selectors.noncompliance import named_list_refs, named_parties
from reports.services.attachments import attachment_add
from reports.services.pdf_jobs import PdfJobError, pdf_job_request, pdf_job_run
from reports.services.reports import report_open_addendum, report_submit_unchecked
from reports.services.review import report_accept, report_start_review
from tests.factories import make_report, make_user
from tests.pdf.world import pdf_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 8, 15)
AUDIENCES = ("general", "restricted", "internal")  # each sees a subset of the next
ORACLE = {"general": {"public"}, "restricted": {"public", "committee"}, "internal": {"public", "committee", "secretariat"}}
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Words no template or reference datum contains, one set per section.
MARKERS: dict[str, tuple[str, ...]] = {
    "checklist": ("Lexquorbatute", "Narrquillaxive"),
    "oil": ("Portzephyrqua", "Tankerquibblefirm"),
    "assets": ("Assetvorpalkin",),
    "cultural": ("Statuequinzelar", "Smugglerjabberwock"),
    "ransom": ("Ransomfrumious",),
    "str": (),  # only a count: checked as the figure below
    "attachments": ("lawbandersnatch",),
}
STR_COUNT = 7919
STR_FIGURE = re.compile(r"7\D{0,3}919")

LEVELS = st.sampled_from(Confidentiality.values)
OVERRIDE = st.sampled_from([None, "", *Confidentiality.values])  # None: no key at all
SECTION_LEVELS = st.fixed_dictionaries(dict.fromkeys(Section.values, OVERRIDE))

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def expected_level(level: str, overrides: dict[str, str | None], section: str) -> str:
    return overrides.get(section) or level


def allowed(audience: str, level: str, overrides: dict[str, str | None], section: str) -> bool:
    return expected_level(level, overrides, section) in ORACLE[audience]


def found(text: str) -> set[str]:
    """The sections whose markers the text carries."""
    lowered = text.lower()
    sections = {section for section, words in MARKERS.items() if any(w.lower() in lowered for w in words)}
    if STR_FIGURE.search(text):
        sections.add("str")
    return sections


def file_report(state, cycle, *, level: str, overrides: dict[str, str | None], accept: bool = True):  # type: ignore[no-untyped-def]
    """A report with one marked row in every section, submitted and (by default) accepted."""
    focal = make_user(Role.FOCAL_POINT, state)
    signatory = make_user(Role.SIGNATORY, state)
    report = make_report(state, cycle, focal)
    draft = report.versions.get(is_draft=True)
    draft.confidentiality = level
    draft.section_confidentiality = {k: v for k, v in overrides.items() if v is not None}
    draft.save(update_fields=["confidentiality", "section_confidentiality"])
    measure = Measure.objects.filter(resolution=cycle.obligation.resolution, active=True).order_by("order", "code").first()
    ChecklistAnswer.objects.create(
        version=draft, measure=measure, answer=Answer.NOT_IN_PLACE, legal_reference="Lexquorbatute Act 12",
        narrative="Narrquillaxive narrative",
    )  # fmt: skip
    day = datetime.date(2026, 1, 5)
    oil = OilInterdiction.objects.create(
        version=draft, date=day, place="Portzephyrqua", commodity="crude", quantity=100, unit="barrels",
        value=1000, currency="USD", direction="to", origin=state, parties="Tankerquibblefirm", proceedings="",
    )  # fmt: skip
    PartyMention.objects.create(
        version=draft, interdiction=oil, name="Tankerquibblefirm", normalized_name="TANKERQUIBBLEFIRM", list_ref="QDe.115"
    )
    FrozenAsset.objects.create(
        version=draft, listed_party="Assetvorpalkin", list_ref="QDi.001", asset_type="bank_account", amount=Decimal(10),
        currency="EUR", date_frozen=day, institution_kind="bank",
    )  # fmt: skip
    seizure = CulturalSeizure.objects.create(
        version=draft, date=day, description="Statuequinzelar", provenance="iraq", count=3, parties="Smugglerjabberwock"
    )
    PartyMention.objects.create(
        version=draft, seizure=seizure, name="Smugglerjabberwock", normalized_name="SMUGGLERJABBERWOCK", list_ref="QDe.137"
    )
    RansomCase.objects.create(version=draft, date=day, kind="ransom", description="Ransomfrumious", prevented=True)
    SuspiciousTransactionCount.objects.create(
        version=draft, period_start=day, period_end=day + datetime.timedelta(days=30), count=STR_COUNT
    )
    upload = SimpleUploadedFile("lawbandersnatch.pdf", PDF_BYTES, "application/pdf")
    attachment_add(version=draft, actor=focal, upload=upload, description="lawbandersnatch decree")
    report_submit_unchecked(report=report, actor=signatory)
    report.refresh_from_db()
    if accept:
        officer = make_user(Role.SECRETARIAT)
        report_start_review(report=report, actor=officer)
        report_accept(report=report, actor=officer)
        report.refresh_from_db()
    return report, signatory


def audience_texts(audience: str, *, cycle, state, reader) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What each document and export for `audience` says, as text."""
    texts = {
        "summary": summary_html(DocumentRequest(kind=PdfKind.SUMMARY, distribution=audience, today=TODAY, cycle=cycle)).html,
        "profile": profiles_html(
            DocumentRequest(kind=PdfKind.PROFILE, distribution=audience, today=TODAY, cycle=cycle, state=state), [state]
        ).html,
    }
    datasets = {
        "matrix": matrix_dataset(implementation_matrix(user=reader, cycle=cycle, audience=audience)),
        "parties": named_parties_dataset(named_parties(user=reader, cycle=cycle, audience=audience)),
        "list_refs": list_refs_dataset(named_list_refs(user=reader, cycle=cycle, audience=audience)),
    }
    for name, dataset in datasets.items():
        texts[f"{name}.csv"] = export_bytes(dataset, "csv").decode()
        texts[f"{name}.json"] = export_bytes(dataset, "json").decode()
        with zipfile.ZipFile(io.BytesIO(export_bytes(dataset, "xlsx"))) as book:
            texts[f"{name}.xlsx"] = " ".join(book.read(n).decode(errors="replace") for n in book.namelist())
    return texts


@SETTINGS
@given(level=LEVELS, overrides=SECTION_LEVELS)
def test_no_document_or_export_carries_a_section_its_audience_may_not_see(
    client, state_a, cycle, monitoring, committee, level, overrides
):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        report, _signatory = file_report(state_a, cycle, level=level, overrides=overrides)
        version = report.current_version
        seen: dict[str, dict[str, set[str]]] = {}
        for audience in AUDIENCES:
            may = {s for s in Section.values if allowed(audience, level, overrides, s)}
            # the gate's own answers agree with the oracle, in Python and in SQL
            assert {s for s in Section.values if section_visible_to(audience, version, s)} == may
            assert {
                s
                for s in Section.values
                if ReportVersion.objects.filter(section_q(audience, s, prefix=""), pk=version.pk).exists()
            } == may
            texts = audience_texts(audience, cycle=cycle, state=state_a, reader=monitoring)
            seen[audience] = {name: found(text) for name, text in texts.items()}
            for name, sections in seen[audience].items():
                assert sections <= may, f"{audience} {name} carries {sections - may}"
            # the profile shows every register and checklist the audience may see (a test that can fail)
            assert seen[audience]["profile"] >= may - {Section.ATTACHMENTS}, (audience, seen[audience]["profile"])
            hidden_checklist = Section.CHECKLIST not in may
            assert ('"not_in_place"' in texts["matrix.json"]) is not hidden_checklist
            assert ('"withheld"' in texts["matrix.json"]) is hidden_checklist
            assert ("Not shared with this audience" in texts["matrix.csv"]) is hidden_checklist
            assert '"accepted"' in texts["matrix.json"]  # who reported is a fact for every audience
        for narrow, wide in itertools.pairwise(AUDIENCES):
            for name in seen[narrow]:
                assert seen[narrow][name] <= seen[wide][name], (narrow, wide, name)

        # The Committee's pages: a Committee member is the restricted audience.
        assert audience_of(committee) == Audience.RESTRICTED
        client.force_login(committee)
        page = client.get(reverse("committee:report", args=[report.pk]))
        may = {s for s in Section.values if allowed("restricted", level, overrides, s)}
        if level == Confidentiality.SECRETARIAT:
            assert page.status_code == 404
        else:
            assert page.status_code == 200
            shown = found(page.content.decode())
            assert shown <= may, shown - may
            assert shown >= may - {Section.STR}  # every section it may read is on the page
        listing = client.get(reverse("committee:reports")).content.decode()
        assert found(listing) <= may
        transaction.set_rollback(True)


@pytest.fixture
def built_summary(state_a, cycle, monitoring):  # type: ignore[no-untyped-def]
    """One real PDF per distribution, of a report whose oil register is Committee-only and
    whose assets are Secretariat-only (the rest may be published)."""
    overrides = dict.fromkeys(Section.values) | {"oil": "committee", "cultural": "committee", "assets": "secretariat"}
    report, signatory = file_report(state_a, cycle, level="public", overrides=overrides)
    jobs = {}
    for audience in AUDIENCES:
        job = pdf_job_request(actor=monitoring, kind=PdfKind.PROFILE, distribution=audience, cycle=cycle, state=state_a,
                              today=TODAY, enqueue=False)  # fmt: skip
        pdf_job_run(job_id=job.pk, attempt=job.attempts)
        job.refresh_from_db()
        jobs[audience] = job
    return report, signatory, jobs


def test_real_pdfs_keep_to_their_audience_and_print_it_on_every_page(built_summary):
    _report, _signatory, jobs = built_summary
    marks = {"general": "Distr.: General", "restricted": "Distr.: Restricted", "internal": "Distr.: Internal"}
    expected = {
        "general": {"checklist", "ransom", "str"},
        "restricted": {"checklist", "ransom", "str", "oil", "cultural"},
        "internal": {"checklist", "ransom", "str", "oil", "cultural", "assets"},
    }
    for audience, job in jobs.items():
        content = job.file.open("rb").read()
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
        assert all(marks[audience] in text for text in pages), audience  # the running footer, every page
        assert found(pdf_text(content)) == expected[audience]


def test_a_stored_document_keeps_its_hash_when_the_state_changes_its_levels(built_summary, state_a, cycle, monitoring):
    report, signatory, jobs = built_summary
    general = jobs["general"]
    before = general.file.open("rb").read()
    assert "oil" not in found(pdf_text(before))
    # The State publishes its oil register in an addendum.
    draft = report_open_addendum(report=report, actor=signatory)
    draft.section_confidentiality = {"oil": Confidentiality.PUBLIC, "cultural": "committee", "assets": "secretariat"}
    draft.save(update_fields=["section_confidentiality"])
    report_submit_unchecked(report=report, actor=signatory)
    stored = PdfJob.objects.get(pk=general.pk)
    after = stored.file.open("rb").read()
    assert (stored.sha256, after) == (general.sha256, before)
    import hashlib

    assert hashlib.sha256(after).hexdigest() == stored.sha256
    job = pdf_job_request(actor=monitoring, kind=PdfKind.PROFILE, distribution=Distribution.GENERAL, cycle=cycle,
                          state=state_a, today=TODAY, enqueue=False)  # fmt: skip
    pdf_job_run(job_id=job.pk, attempt=job.attempts)
    job.refresh_from_db()
    assert job.sha256 != general.sha256
    assert found(pdf_text(job.file.open("rb").read())) == {"checklist", "ransom", "str", "oil"}


def test_committee_may_not_ask_for_a_document(committee, cycle):
    with pytest.raises(PdfJobError):
        pdf_job_request(actor=committee, kind=PdfKind.SUMMARY, distribution=Distribution.RESTRICTED, cycle=cycle, enqueue=False)


def test_each_persona_has_its_audience(focal_a, focal_b, state_a, secretariat, monitoring, committee):
    from django.contrib.auth.models import AnonymousUser

    from reports.selectors.access import audiences_readable_by, audiences_requestable_by

    assert [audience_of(u) for u in (secretariat, monitoring, committee, AnonymousUser())] == [
        "internal", "internal", "restricted", "general",
    ]  # fmt: skip
    assert audience_of(focal_a, state_id=state_a.pk) == "internal"  # its own State's reports
    assert audience_of(focal_b, state_id=state_a.pk) == "general"
    assert audiences_readable_by(committee) == ["general", "restricted"]
    assert audiences_requestable_by(monitoring) == ["general", "restricted", "internal"]
    assert audiences_requestable_by(committee) == audiences_readable_by(focal_a) == []


def test_a_distribution_the_user_may_not_ask_for_is_a_form_error(committee, monitoring, cycle):
    from reports.forms.monitoring import PdfRequestForm

    data = {"kind": "summary", "cycle": cycle.pk, "distribution": "internal"}
    form = PdfRequestForm(data, user=committee)
    assert not form.is_valid()
    assert form.errors["distribution"] == ["Unknown distribution, or one you may not ask for."]
    assert PdfRequestForm(data, user=monitoring).is_valid()


def test_old_restricted_jobs_become_internal(cycle):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("reports.migrations.0014_audience_distribution")
    old_restricted = PdfJob.objects.create(kind=PdfKind.SUMMARY, cycle=cycle, distribution="restricted")
    old_general = PdfJob.objects.create(kind=PdfKind.SUMMARY, cycle=cycle, distribution="general")
    migration.restricted_to_internal(apps, None)
    assert PdfJob.objects.get(pk=old_restricted.pk).distribution == "internal"
    assert PdfJob.objects.get(pk=old_general.pk).distribution == "general"
    migration.internal_to_restricted(apps, None)
    assert PdfJob.objects.get(pk=old_restricted.pk).distribution == "restricted"
