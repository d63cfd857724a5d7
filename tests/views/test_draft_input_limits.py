"""Text is kept whole up to its field's limit; beyond it the save is refused with the reason, never cut."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from reports.models import Measure, ReportVersion
from reports.services.drafts import RAW_VALUE_LIMIT, DraftValueTooLong, SectionInput, draft_save
from tests.delegation import checklist_post, draft_of

pytestmark = pytest.mark.django_db
NARRATIVE_LIMIT = 20_000  # reports/forms/checklist.py, the longest field of the editor


def stored_narratives(version_id: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT length(narrative) FROM reports_checklistanswer WHERE version_id = %s", [version_id])
        return [row[0] for row in cursor.fetchall()]


def revision_of(version_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT revision FROM reports_reportversion WHERE id = %s", [version_id])
        return int(cursor.fetchone()[0])


def post_narrative(client, draft, measure, text: str, **extra):  # type: ignore[no-untyped-def]
    data = checklist_post([measure], {measure.code: {"answer": "in_place", "narrative": text}}, revision=draft.revision)
    return client.post(reverse("delegation:editor", args=[draft.pk, "checklist"]), data, **extra)


@pytest.fixture
def measure(report_a) -> Measure:  # type: ignore[no-untyped-def]
    return Measure.objects.filter(resolution=report_a.cycle.obligation.resolution, active=True).order_by("pk").first()


def test_a_narrative_at_its_limit_is_kept_whole(client, focal_a, report_a, measure):
    draft = draft_of(report_a)
    client.force_login(focal_a)
    text = "é" * (NARRATIVE_LIMIT - 1) + "Z"
    assert post_narrative(client, draft, measure, text).status_code == 302
    assert stored_narratives(draft.pk) == [NARRATIVE_LIMIT]


def test_a_narrative_over_its_limit_is_refused_with_the_text_still_in_the_page(client, focal_a, report_a, measure):
    draft = draft_of(report_a)
    client.force_login(focal_a)
    before = revision_of(draft.pk)
    text = "a" * NARRATIVE_LIMIT + "TAIL-OF-THE-TEXT"
    response = post_narrative(client, draft, measure, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page and "at most 20000 characters" in page
    assert text in page  # the whole text comes back in its field, to be shortened, not cut
    assert revision_of(draft.pk) == before and stored_narratives(draft.pk) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reports_draftinput WHERE version_id = %s", [draft.pk])
        assert cursor.fetchone()[0] == 0


def test_an_autosave_over_the_limit_says_so_and_saves_nothing(client, focal_a, report_a, measure):
    draft = draft_of(report_a)
    client.force_login(focal_a)
    before = revision_of(draft.pk)
    response = post_narrative(client, draft, measure, "b" * (NARRATIVE_LIMIT + 5), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Not saved" in response.content.decode() and "20005" in response.content.decode()
    assert revision_of(draft.pk) == before


def test_the_service_refuses_a_value_beyond_any_field_instead_of_cutting_it(focal_a, report_a):
    draft = ReportVersion.objects.get(pk=draft_of(report_a).pk)
    data = SectionInput(section="checklist", raw={"m1-narrative": ["c" * (RAW_VALUE_LIMIT + 1)]}, error_count=1)
    with pytest.raises(DraftValueTooLong):
        draft_save(version=draft, actor=focal_a, revision=draft.revision, data=data)
    assert revision_of(draft.pk) == draft.revision


def test_a_register_row_with_a_text_beyond_its_limit_is_refused_and_the_stored_rows_stay(client, focal_a, report_a):
    from reports.models import OilInterdiction
    from tests.delegation import OIL_ROW, formset_post

    client.force_login(focal_a)
    draft = draft_of(report_a)
    url = reverse("delegation:editor", args=[draft.pk, "oil"])
    assert client.post(url, formset_post("oil", [OIL_ROW], revision=revision_of(draft.pk))).status_code == 302
    stored = OilInterdiction.objects.get(version=draft)
    before = revision_of(draft.pk)
    huge = {**OIL_ROW, "row_id": str(stored.pk), "place": "x" * 1_000_000}
    response = client.post(url, formset_post("oil", [huge], revision=before))
    assert response.status_code == 400 and "Nothing was saved" in response.content.decode()
    assert revision_of(draft.pk) == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT place FROM reports_oilinterdiction WHERE version_id = %s", [draft.pk])
        assert cursor.fetchall() == [("Port of Ceyhan",)]
        cursor.execute("SELECT count(*) FROM reports_draftinput WHERE version_id = %s", [draft.pk])
        assert cursor.fetchone()[0] == 0
