"""Factories for the domain. Reference data (States, measures, cycles) comes from the real files."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth.models import Group

from reports.models import MemberState, ReportingCycle, Role, User
from reports.services.reports import report_get_or_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery-2253")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs: object) -> None:
        if extracted:
            group, _ = Group.objects.get_or_create(name=extracted.value)
            self.groups.add(group)


def make_user(role: Role, state: MemberState | None = None, username: str | None = None) -> User:
    kwargs: dict[str, object] = {"role": role, "state": state}
    if username:
        kwargs["username"] = username
    return UserFactory(**kwargs)


def make_report(state: MemberState, cycle: ReportingCycle, actor: User | None = None):  # type: ignore[no-untyped-def]
    actor = actor or make_user(Role.FOCAL_POINT, state)
    return report_get_or_create(state=state, cycle=cycle, actor=actor)


def open_cycle(code: str = "test-cycle", *, due: datetime.date | None = None) -> ReportingCycle:
    from reports.models import Obligation

    obligation = Obligation.objects.get(code="committee-periodic-update")
    due = due or datetime.date(2026, 12, 30)
    cycle, _ = ReportingCycle.objects.get_or_create(
        code=code,
        defaults={"obligation": obligation, "opens": due - datetime.timedelta(days=120), "due": due, "label": {"en": code}},
    )
    return cycle


def at(day: datetime.date) -> datetime.datetime:
    """Noon UTC on a day: when a test world files or acts."""
    return datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC)


def signatory_of(state: MemberState, *, prefix: str = "sig") -> User:
    """The State's signatory in a test world (made once, found after)."""
    username = f"{prefix}-{state.iso3.lower()}"
    return User.objects.filter(username=username).first() or make_user(Role.SIGNATORY, state, username)
