"""Users and their roles. Roles are Django groups; a delegation user belongs to one State."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .reference import MemberState


class Role(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Delegation focal point")
    SIGNATORY = "signatory", _("Delegation signatory")
    SECRETARIAT = "secretariat", _("Secretariat officer")
    MONITORING = "monitoring", _("Monitoring Team expert")
    COMMITTEE = "committee", _("Committee member")


DELEGATION_ROLES = frozenset({Role.FOCAL_POINT, Role.SIGNATORY})
# Strongest first: a user in several groups acts with the first one found here.
ROLE_PRECEDENCE = (Role.SECRETARIAT, Role.MONITORING, Role.COMMITTEE, Role.SIGNATORY, Role.FOCAL_POINT)


class User(AbstractUser):
    state = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("Member State"),
        help_text=_("Delegation users only: the one State whose reports this user works on."),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def role(self) -> Role | None:
        for role in ROLE_PRECEDENCE:
            if role.value in self.role_names:
                return role
        return None

    @property
    def is_delegation(self) -> bool:
        return self.role in DELEGATION_ROLES and self.state_id is not None

    @property
    def is_signatory(self) -> bool:
        return Role.SIGNATORY.value in self.role_names and self.state_id is not None
