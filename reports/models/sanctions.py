"""The ISIL (Da'esh) & Al-Qaida Sanctions List, imported from the Council's Consolidated List XML.

Every import is a `SanctionsSnapshot` (exactly one is current). An entry (`SanctionsEntry`, one per
reference such as QDi.335) is kept across snapshots and remembers the first and the last snapshot
that carried it; each import records what it added, amended, delisted or relisted as
`SanctionsChange` rows. Name forms (primary, original script, aliases) are `SanctionsName` rows
with a normalised copy the search and the suggestions use.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SanctionsSnapshot(models.Model):
    generated_at = models.DateTimeField(_("list generated"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    added = models.PositiveIntegerField(_("added"), default=0)
    amended = models.PositiveIntegerField(_("amended"), default=0)
    delisted = models.PositiveIntegerField(_("delisted"), default=0)
    relisted = models.PositiveIntegerField(_("relisted"), default=0)
    entries_count = models.PositiveIntegerField(_("entries"), default=0)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        ordering = ["-imported_at", "-id"]
        get_latest_by = "imported_at"
        verbose_name = _("Sanctions List snapshot")
        verbose_name_plural = _("Sanctions List snapshots")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_sanctions_snapshot")
        ]

    def __str__(self) -> str:
        return f"{self.generated_at:%Y-%m-%d %H:%M} ({self.sha256[:12]})"

    @classmethod
    def current(cls) -> SanctionsSnapshot | None:
        return cls.objects.filter(is_current=True).first()


class EntryKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ENTITY = "entity", _("Entity")


class SanctionsEntry(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    dataid = models.CharField(_("data id"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    primary_name = models.CharField(_("name"), max_length=500)
    name_original_script = models.CharField(_("name in original script"), max_length=500, blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    last_updated = models.DateField(_("last updated"), null=True, blank=True)
    nationalities = models.JSONField(_("nationality"), default=list, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    first_snapshot = models.ForeignKey(SanctionsSnapshot, on_delete=models.PROTECT, related_name="+")
    last_snapshot = models.ForeignKey(SanctionsSnapshot, on_delete=models.PROTECT, related_name="entries")

    class Meta:
        ordering = ["reference"]
        verbose_name = _("Sanctions List entry")
        verbose_name_plural = _("Sanctions List entries")

    def __str__(self) -> str:
        return f"{self.reference} {self.primary_name}"

    def is_listed_in(self, snapshot: SanctionsSnapshot | None) -> bool:
        """Listed: still carried by the current list and not delisted."""
        return snapshot is not None and self.last_snapshot_id == snapshot.pk and self.delisted_on is None


class NameKind(models.TextChoices):
    PRIMARY = "primary", _("Name")
    ORIGINAL_SCRIPT = "original_script", _("Original script")
    ALIAS = "alias", _("Alias")


class NameQuality(models.TextChoices):
    GOOD = "good", _("Good")
    LOW = "low", _("Low")
    AKA = "aka", _("a.k.a.")
    FKA = "fka", _("f.k.a.")
    NONE = "", _("Not stated")


class SanctionsName(models.Model):
    entry = models.ForeignKey(SanctionsEntry, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=NameKind.choices)
    quality = models.CharField(_("quality"), max_length=4, choices=NameQuality.choices, blank=True)
    normalised = models.CharField(_("normalised name"), max_length=500, db_index=True)

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("Sanctions List name")
        verbose_name_plural = _("Sanctions List names")

    def __str__(self) -> str:
        return self.name


class ChangeKind(models.TextChoices):
    ADDED = "added", _("Added")
    AMENDED = "amended", _("Amended")
    DELISTED = "delisted", _("Delisted")
    RELISTED = "relisted", _("Relisted")


class SanctionsChange(models.Model):
    snapshot = models.ForeignKey(SanctionsSnapshot, on_delete=models.CASCADE, related_name="changes")
    entry = models.ForeignKey(SanctionsEntry, on_delete=models.CASCADE, related_name="changes")
    change = models.CharField(_("change"), max_length=10, choices=ChangeKind.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["snapshot", "change", "entry__reference"]
        verbose_name = _("Sanctions List change")
        verbose_name_plural = _("Sanctions List changes")
        constraints = [models.UniqueConstraint(fields=["snapshot", "entry"], name="one_change_per_entry_and_snapshot")]

    def __str__(self) -> str:
        return f"{self.change} {self.entry_id}"
