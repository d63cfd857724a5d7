"""What a delegation typed that could not be stored yet: nothing typed is ever lost.

A draft section is saved even when some of it is invalid: the valid part goes into the
version's answers and register rows, and the raw input of the whole section is kept here,
so the editor shows it again, with the errors beside the fields, after a reload. A section
with input kept here cannot be submitted until it is corrected.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reports import ReportVersion, Section


class DraftInput(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="pending_inputs")
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    data = models.JSONField(_("input as typed"), default=dict)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("input kept with errors")
        verbose_name_plural = _("inputs kept with errors")
        constraints = [models.UniqueConstraint(fields=["version", "section"], name="one_pending_input_per_section")]

    def __str__(self) -> str:
        return f"{self.version} · {self.section}"


class DraftSectionSave(models.Model):
    """The draft revision at which a section was last saved.

    The draft's revision moves with every save of any section; this tells whether a save that
    carries an older revision really collides (the same section was saved since, from another
    page) or only follows someone's work on another section, or its own page's earlier save,
    which it may safely be applied after.
    """

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="section_saves")
    section = models.CharField(_("section"), max_length=16)
    revision = models.PositiveIntegerField(_("revision"))
    # The editor page that made the save (a random token per page load): a page's later save
    # never collides with its own earlier one, e.g. an autosave whose answer was lost on a slow
    # link, or the save sent as the page closes while an autosave is still under way.
    editor = models.CharField(_("editor page"), max_length=64, blank=True, default="")
    # Register rows that saves from that page created, by the key the page gave each new row
    # ({"n3f...": row id}): a later save from the page that has not learnt a row's id yet (its
    # autosave's answer was lost, or the page closed before it came) edits the row instead of
    # adding it twice.
    new_rows = models.JSONField(_("rows created by the editor page"), default=dict, blank=True)

    class Meta:
        verbose_name = _("section save")
        verbose_name_plural = _("section saves")
        constraints = [models.UniqueConstraint(fields=["version", "section"], name="one_save_mark_per_section")]

    def __str__(self) -> str:
        return f"{self.version} · {self.section} @ {self.revision}"
