"""The admin: reference data is edited here (paragraphs, deadlines, labels are data)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reports import models


@admin.register(models.User)
class PortalUserAdmin(UserAdmin):
    list_display = ("username", "email", "state", "is_active", "last_login")
    list_filter = ("groups", "is_active", "state__regional_group")
    list_select_related = ("state",)
    autocomplete_fields = ("state",)
    fieldsets = (*UserAdmin.fieldsets, ("Portal", {"fields": ("state", "preferred_language")}))  # type: ignore[misc]
    actions = ["unlock_accounts"]

    @admin.action(description=_("Unlock the selected accounts (after too many failed sign-ins)"))
    def unlock_accounts(self, request: HttpRequest, queryset: Any) -> None:
        from reports.services.security import accounts_unlock

        count = accounts_unlock(users=list(queryset), actor=request.user, request=request)  # type: ignore[arg-type]
        self.message_user(request, _("%(count)d locked sign-in record(s) cleared.") % {"count": count})


@admin.register(models.MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ("name", "iso3", "iso2", "regional_group", "group_observer")
    list_filter = ("regional_group",)
    search_fields = ("name", "iso3", "iso2")


class ObligationInline(admin.TabularInline):
    model = models.Obligation
    extra = 0
    fields = ("code", "paragraph", "paragraph_confirmed", "kind", "due_days", "due_from", "period_months")
    show_change_link = True


# Reference data is corrected here (a paragraph checked against the official text, a deadline):
# every change goes through ModelAdmin's save, so the admin's history (LogEntry) records who
# changed which fields and when.


@admin.register(models.Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ("number", "adopted")
    search_fields = ("number",)
    inlines = [ObligationInline]


@admin.register(models.Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ("code", "resolution", "paragraph", "paragraph_confirmed", "kind", "due_days", "due_from", "period_months")
    list_filter = ("kind", "paragraph_confirmed", "resolution")
    list_select_related = ("resolution",)
    search_fields = ("code",)
    fieldsets = (
        (None, {"fields": ("code", "kind", "title", "description")}),
        (_("Where it comes from"), {"fields": ("resolution", "paragraph", "paragraph_confirmed", "basis")}),
        (_("Deadline"), {"fields": ("due_days", "due_from", "period_months")}),
    )


@admin.register(models.ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ("code", "obligation", "opens", "due", "state")
    list_filter = ("obligation",)
    list_select_related = ("obligation__resolution", "state")
    search_fields = ("code",)
    raw_id_fields = ("state",)


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("code", "resolution", "paragraph", "paragraph_confirmed", "area", "required", "active")
    list_filter = ("paragraph_confirmed", "area", "resolution", "required", "active")
    list_editable = ("paragraph", "paragraph_confirmed")
    list_select_related = ("resolution",)
    search_fields = ("code",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reports, versions and the audit trail change only through services, never the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("state", "cycle", "status", "first_submitted_at", "is_late")
    list_filter = ("status", "cycle", "is_late")
    list_select_related = ("state", "cycle")


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "actor_role", "action", "object_type", "object_id", "state", "ip")
    list_filter = ("action", "actor_role")
    search_fields = ("actor_name", "object_id")


@admin.register(models.PdfJob)
class PdfJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "status", "progress", "requested_by")
