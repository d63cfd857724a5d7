"""The review page's hook for carried-over answers: one include, this one tag."""

from __future__ import annotations

from django import template

from reports.models import ChecklistAnswer, ReportVersion
from reports.selectors.carry_over import carried_over_answers

register = template.Library()


@register.simple_tag
def carried_over_unchanged(version: ReportVersion) -> list[ChecklistAnswer]:
    return list(carried_over_answers(version))
