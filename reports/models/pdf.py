"""Background PDF jobs for the Council."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reports.storage import get_private_storage

from .reference import MemberState, ReportingCycle


class PdfKind(models.TextChoices):
    SUMMARY = "summary", _("Council summary for a cycle")
    PROFILE = "profile", _("State profile")
    COMPENDIUM = "compendium", _("Compendium of State profiles")
    RECEIPT = "receipt", _("Submission receipt")


class Distribution(models.TextChoices):
    """A document's distribution, as UN documents print it ("Distr.: General"). The values are
    the audiences of reports.selectors.access.Audience, which decides what each may contain."""

    GENERAL = "general", _("General")
    RESTRICTED = "restricted", _("Restricted")
    INTERNAL = "internal", pgettext_lazy("distribution", "Internal")


class DocumentLanguage(models.TextChoices):
    """The six official languages a Council document is issued in (the portal's language codes)."""

    AR = "ar", _("Arabic")
    ZH = "zh-hans", _("Chinese")
    EN = "en", _("English")
    FR = "fr", _("French")
    RU = "ru", _("Russian")
    ES = "es", _("Spanish")


# The letter a UN document's job number carries for its language version: "26-01234 (F)".
LANGUAGE_VERSION_LETTER = {"ar": "A", "zh-hans": "C", "en": "E", "fr": "F", "ru": "R", "es": "S"}
# Each language's name in that language, as the language version's line prints it.
LANGUAGE_OWN_NAME = {"ar": "العربية", "zh-hans": "中文", "en": "English", "fr": "Français", "ru": "Русский", "es": "Español"}


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobMessage(models.TextChoices):
    """What a running job is doing. The job stores the code and its figures (`message_args`);
    the words are chosen when someone looks, in that person's language, not the worker's."""

    WAITING = "waiting", _("Waiting for a worker")
    STARTED = "started", _("Started")
    READING = "reading", _("Reading the data")
    LAYING_OUT = "laying_out", _("Laying out the pages")
    RENDERING_PARTS = "rendering_parts", _("Rendering %(n)d parts")
    PARTS_RENDERED = "parts_rendered", _("%(done)d of %(total)d parts rendered")
    MERGING = "merging", _("Merging the parts")
    RETRYING = "retrying", _("Retrying after a temporary error")
    REQUEUED = "requeued", _("Re-queued: the worker stopped responding (attempt %(n)d of %(max)d failed)")


class JobError(models.TextChoices):
    """Why a job failed. The job stores the code and its figures (`error_args`), like JobMessage,
    and an exception's own text, if any, in `error_detail`: exception messages are not translatable,
    so they are shown as written, after the reason."""

    QUEUE_UNREACHABLE = "queue_unreachable", _("The task queue could not be reached; ask again later.")
    NO_WORKER = "no_worker", _("No worker took this job; check that the Celery workers are running.")
    WORKER_SILENT = (
        "worker_silent",
        _("The worker building this document stopped responding (no sign of life for %(s)d seconds) %(n)d times."),
    )
    BUILD_FAILED = "build_failed", _("The document could not be built.")
    PART_FAILED = "part_failed", _("Part %(n)d of the compendium could not be built.")
    MERGE_FAILED = "merge_failed", _("The parts of the compendium could not be merged.")
    GAVE_UP = "gave_up", _("The document could not be built: the database or the task queue kept failing.")
    DATA_CHANGED = (
        "data_changed",
        _(
            "The reports changed after this set of language versions was asked for, so this version would not show "
            "the same data as the others; ask for the set again."
        ),
    )


def _in_words(label: Any, args: dict[str, Any]) -> str:
    try:
        return str(label) % args
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder: the English words
        with translation.override(None):
            return str(label) % args


def job_error_reason(error: str, args: dict[str, Any]) -> str:
    """A failure reason in the active language; an error written before reasons were codes, as written."""
    if error not in JobError.values:
        return error
    return _in_words(JobError(error).label, args or {})


class PdfJob(models.Model):
    kind = models.CharField(_("document"), max_length=12, choices=PdfKind.choices)
    distribution = models.CharField(_("distribution"), max_length=12, choices=Distribution.choices, default=Distribution.GENERAL)
    language = models.CharField(_("language"), max_length=7, choices=DocumentLanguage.choices, default=DocumentLanguage.EN)
    # The language versions asked for together share a batch: one request, one data_as_of, one progress bar.
    batch = models.UUIDField(_("set of language versions"), null=True, blank=True, db_index=True)
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    state = models.ForeignKey(MemberState, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    params = models.JSONField(_("filters"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("state"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("progress message"), max_length=200, blank=True)  # a JobMessage code
    message_args = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)  # a JobError code; free text in jobs failed before codes
    error_args = models.JSONField(default=dict, blank=True)
    error_detail = models.TextField(blank=True)  # an exception's own text, shown as written after the reason
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("file"), upload_to="pdf/", max_length=200, blank=True, storage=get_private_storage)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("PDF job")
        verbose_name_plural = _("PDF jobs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="pdfjob_progress_at_most_100"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(sha256=""), name="pdfjob_done_has_hash"),
        ]

    @property
    def language_letter(self) -> str:
        return LANGUAGE_VERSION_LETTER.get(self.language, "")

    @property
    def message_text(self) -> str:
        """The progress message in the active language: the reader's, whatever the worker spoke."""
        if self.message not in JobMessage.values:
            return self.message  # a job from before messages were codes: its text as written
        return _in_words(JobMessage(self.message).label, self.message_args)

    @property
    def error_reason(self) -> str:
        """Why the job failed, in the active language: the reader's, whatever the worker spoke."""
        return job_error_reason(self.error, self.error_args)

    @property
    def error_text(self) -> str:
        """The reason, then the technical detail (an exception's words) as written."""
        return " ".join(part for part in (self.error_reason, self.error_detail) if part)
