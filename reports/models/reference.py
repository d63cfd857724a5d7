"""Reference data: States, resolutions, obligations, cycles and the measure catalogue.

Everything here is data (fixtures, editable in the admin), never code: the brief warns
that paragraph numbers and deadlines still have to be confirmed against official texts.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reports.collation import collation_key

from .i18n import pick


class RegionalGroup(models.TextChoices):
    AFRICAN = "AFRICAN", _("African States")
    APAC = "APAC", _("Asia-Pacific States")
    EEG = "EEG", _("Eastern European States")
    GRULAC = "GRULAC", _("Latin American and Caribbean States")
    WEOG = "WEOG", _("Western European and other States")
    NONE = "NONE", _("No regional group")


class MemberState(models.Model):
    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.CharField(_("M49 code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=120)
    names = models.JSONField(_("names in the UN languages"), default=dict, blank=True)
    # The UN order of `name` (reports.collation), filled on save: order by this, never by name.
    sort_key = models.CharField(_("sort key"), max_length=2000, blank=True, editable=False, db_index=True)
    regional_group = models.CharField(_("regional group"), max_length=8, choices=RegionalGroup.choices)
    group_observer = models.BooleanField(
        _("attends its group as an observer"), default=False, help_text=_("The United States attends WEOG as an observer.")
    )

    class Meta:
        ordering = ["sort_key", "name"]
        verbose_name = _("Member State")
        verbose_name_plural = _("Member States")
        constraints = [
            models.CheckConstraint(condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="memberstate_iso3_format"),
            models.CheckConstraint(condition=Q(iso2__regex=r"^[A-Z]{2}$"), name="memberstate_iso2_format"),
            models.CheckConstraint(condition=Q(regional_group__in=RegionalGroup.values), name="memberstate_group_valid"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = collation_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return pick(self.names) or self.name


class Resolution(models.Model):
    number = models.PositiveIntegerField(_("number"), unique=True)
    adopted = models.DateField(_("adopted on"))
    title = models.JSONField(_("title"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self) -> str:
        return f"S/RES/{self.number} ({self.adopted.year})"

    @property
    def display_title(self) -> str:
        return pick(self.title) or str(self)


class ObligationKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off report")
    RECURRING = "recurring", _("Recurring report")
    EVENT = "event", _("Event-triggered notification")
    OPEN_ENDED = "open_ended", _("Open-ended")


class DueFrom(models.TextChoices):
    ADOPTION = "adoption", _("days after adoption")
    EVENT = "event", _("days after the event")
    CYCLE_OPEN = "cycle_open", _("days after the cycle opens")


class Obligation(models.Model):
    """Something States are asked to report, and on what basis.

    `resolution` is the resolution whose measures the report's checklist covers. Most
    obligations also rest on one of its paragraphs; one that rests on no paragraph (the
    periodic update the Committee requests) leaves `paragraph` blank and states its
    `basis` instead, so nobody reads an invented paragraph into it.
    """

    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        related_name="obligations",
        help_text=_("The resolution whose measures the report's checklist covers."),
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    paragraph = models.CharField(
        _("operative paragraph"),
        max_length=40,
        blank=True,
        help_text=_("Blank when no paragraph of a resolution creates the obligation; then say why in the basis."),
    )
    paragraph_confirmed = models.BooleanField(_("paragraph confirmed against the official text"), default=False)
    kind = models.CharField(_("kind"), max_length=12, choices=ObligationKind.choices)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    basis = models.JSONField(
        _("basis"),
        default=dict,
        blank=True,
        help_text=_("Why States are asked to report, in the six languages, when no operative paragraph says so."),
    )
    due_days = models.PositiveIntegerField(_("due within (days)"))
    due_from = models.CharField(_("counted from"), max_length=12, choices=DueFrom.choices)
    period_months = models.PositiveIntegerField(_("period (months)"), null=True, blank=True)

    class Meta:
        ordering = ["resolution__number", "code"]
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")
        constraints = [models.CheckConstraint(condition=Q(kind__in=ObligationKind.values), name="obligation_kind_valid")]

    def __str__(self) -> str:
        if self.paragraph:
            return f"{self.resolution.number} {self.paragraph}: {self.display_title}"
        return self.display_title

    @property
    def display_title(self) -> str:
        return pick(self.title) or self.code

    @property
    def display_basis(self) -> str:
        return pick(self.basis)


class ReportingCycle(models.Model):
    """One obligation's window: opens on a date, due on another; late reports are still accepted.

    Event-triggered notifications get a cycle of their own per State and event, so the rule
    "one report per State and cycle" holds for every kind of obligation.
    """

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="cycles")
    code = models.SlugField(_("code"), max_length=80, unique=True)
    label = models.JSONField(_("label"), default=dict, blank=True)
    opens = models.DateField(_("opens on"))
    due = models.DateField(_("due on"))
    state = models.ForeignKey(
        MemberState,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_cycles",
        help_text=_("Only for event-triggered notifications: the State whose event opened the cycle."),
    )
    event_date = models.DateField(_("date of the event"), null=True, blank=True)

    class Meta:
        ordering = ["-due", "code"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [models.CheckConstraint(condition=Q(due__gte=models.F("opens")), name="cycle_due_after_opening")]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return pick(self.label) or self.code

    def days_left(self, today: datetime.date) -> int:
        return (self.due - today).days


class MeasureArea(models.TextChoices):
    OIL = "oil", _("Oil and oil products")
    FINANCE = "finance", _("Finance and banking")
    CULTURAL = "cultural", _("Cultural property")
    RANSOM = "ransom", _("Ransom and donations")
    TRAVEL = "travel", _("Travel ban")
    ARMS = "arms", _("Arms embargo")
    LISTING = "listing", _("Listing proposals")


class Measure(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="measures")
    paragraph = models.CharField(_("operative paragraph"), max_length=40, blank=True)
    paragraph_confirmed = models.BooleanField(_("paragraph confirmed against the official text"), default=False)
    area = models.CharField(_("area"), max_length=10, choices=MeasureArea.choices)
    required = models.BooleanField(_("answer required"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.JSONField(_("title"), default=dict)
    guidance = models.JSONField(_("guidance"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["resolution__number", "order", "code"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [models.CheckConstraint(condition=Q(area__in=MeasureArea.values), name="measure_area_valid")]

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}"

    @property
    def display_title(self) -> str:
        return pick(self.title) or self.code

    @property
    def display_guidance(self) -> str:
        return pick(self.guidance)
