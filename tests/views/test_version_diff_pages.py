"""Every page that shows what changed between two versions answers whatever the versions hold."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import Confidentiality
from tests.review_world import amend, filed_report

pytestmark = pytest.mark.django_db


def test_an_addendum_that_changes_a_sections_confidentiality_does_not_break_the_history(
    client, state_a, cycle, focal_a, signatory_a
) -> None:
    """It answered 500: `TypeError: unhashable type: 'dict'` in diff_tables."""
    report = amend(filed_report(state_a, cycle, focal=focal_a, signatory=signatory_a),
                   levels={"oil": Confidentiality.SECRETARIAT}, signatory=signatory_a)  # fmt: skip
    client.force_login(focal_a)
    page = client.get(reverse("delegation:history", args=[report.pk]), {"a": "1", "b": "2"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Secretariat and Monitoring Team only" in text
