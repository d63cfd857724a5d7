"""The five roles of the brief as Django groups with their permissions."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from reports.models import Role

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.FOCAL_POINT: ["view_report", "change_report", "add_attachment", "view_attachment"],
    Role.SIGNATORY: ["view_report", "change_report", "add_attachment", "view_attachment", "submit_report"],
    Role.SECRETARIAT: [
        "view_report", "view_all_reports", "review_report", "assess_measure", "send_reminder", "view_attachment",
        "view_auditevent", "generate_pdf", "change_followup", "view_followup",
        # reference data: an officer who is also staff corrects paragraphs in the admin (its history keeps who)
        "view_resolution", "change_resolution", "view_obligation", "change_obligation",
        "view_measure", "change_measure", "view_reportingcycle", "change_reportingcycle",
    ],
    Role.MONITORING: ["view_report", "view_all_reports", "generate_pdf", "view_attachment", "view_pdfjob", "add_pdfjob"],
    Role.COMMITTEE: ["view_accepted_reports"],
}  # fmt: skip


def roles_ensure() -> dict[Role, Group]:
    """Create or refresh the role groups; idempotent."""
    groups = {}
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="reports")}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set([perms[c] for c in codenames if c in perms])
        groups[role] = group
    return groups
