"""Read settings from the environment, refusing bad values loudly.

A typo in production configuration must stop the process at start-up with a message
that names the variable, never fall back silently to a default.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


def env_str(name: str, default: str | object = _MISSING) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return str(default)
    return value


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name ("America/New_York"); an unknown one stops the process."""
    value = os.environ.get(name, "").strip() or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ImproperlyConfigured(f"{name}={value!r} is not a time zone; use an IANA name such as America/New_York.") from None
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, *, schemes: tuple[str, ...]) -> str:
    """A URL from the environment, or "" when unset; a set but malformed URL is refused."""
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    parsed = urlparse(value)
    if parsed.scheme not in schemes:
        raise ImproperlyConfigured(f"{name} must start with one of {', '.join(s + '://' for s in schemes)}; got {value!r}.")
    if not parsed.hostname and parsed.scheme not in {"sqlite"}:
        raise ImproperlyConfigured(f"{name}={value!r} names no host.")
    return value


_CRONTAB_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def env_crontab(name: str, default: str) -> dict[str, str] | None:
    """A cron line ("minute hour day month weekday") as celery.schedules.crontab kwargs; "off" or "" -> None."""
    value = os.environ.get(name, default).strip()
    if value.lower() in ("", "off", "none"):
        return None
    fields = value.split()
    if len(fields) != len(_CRONTAB_FIELDS):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a cron line of five fields (minute hour day month weekday), or 'off'."
        )
    kwargs = dict(zip(_CRONTAB_FIELDS, fields, strict=True))
    try:
        from celery.schedules import crontab

        crontab(**kwargs)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r}: {exc}") from None
    return kwargs
