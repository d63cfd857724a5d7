"""Read settings from the environment, refusing bad values loudly.

A typo in production configuration must stop the process at start-up with a message
that names the variable, never fall back silently to a default.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import unquote, urlparse
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


_EMAIL_SCHEMES = {"smtp": (25, False, False), "smtp+tls": (587, True, False), "smtps": (465, False, True)}
_EMAIL_PARTS = ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "EMAIL_USE_SSL")


def env_email() -> dict[str, Any]:
    """Outgoing mail from EMAIL_URL, or from EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER /
    EMAIL_HOST_PASSWORD / EMAIL_USE_TLS / EMAIL_USE_SSL: Django's settings of those names, plus
    "configured" (whether any was given). One way or the other, never both.

    EMAIL_URL: smtp://[user:password@]host[:port] (plain, 25), smtp+tls:// (STARTTLS, 587) or
    smtps:// (TLS from the start, 465); user and password percent-encoded. EMAIL_TIMEOUT (s)
    bounds a send, so a dead relay stalls a worker for seconds, not forever.
    """
    url = os.environ.get("EMAIL_URL", "").strip()
    parts = [name for name in _EMAIL_PARTS if os.environ.get(name, "").strip()]
    timeout = env_int("EMAIL_TIMEOUT", 10, minimum=1, maximum=600)
    if url and parts:
        raise ImproperlyConfigured(f"Set EMAIL_URL or {', '.join(parts)}, not both.")
    if url:
        parsed = urlparse(url)
        if parsed.scheme not in _EMAIL_SCHEMES:
            raise ImproperlyConfigured(
                f"EMAIL_URL must start with one of {', '.join(s + '://' for s in _EMAIL_SCHEMES)}; got {(parsed.scheme + '://') if parsed.scheme else 'no scheme'}."
            )
        if not parsed.hostname:
            raise ImproperlyConfigured("EMAIL_URL names no host (smtp://user:password@host:port).")
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfigured("EMAIL_URL has a port that is not a number from 1 to 65535.") from None
        if parsed.query or parsed.path.strip("/"):
            raise ImproperlyConfigured("EMAIL_URL takes no path or query; choose TLS by the scheme (smtp+tls://, smtps://).")
        default_port, use_tls, use_ssl = _EMAIL_SCHEMES[parsed.scheme]
        user, password = unquote(parsed.username or ""), unquote(parsed.password or "")
        if password and not user:
            raise ImproperlyConfigured("EMAIL_URL has a password but no user name.")
        return {
            "configured": True,
            "EMAIL_HOST": parsed.hostname,
            "EMAIL_PORT": port or default_port,
            "EMAIL_HOST_USER": user,
            "EMAIL_HOST_PASSWORD": password,
            "EMAIL_USE_TLS": use_tls,
            "EMAIL_USE_SSL": use_ssl,
            "EMAIL_TIMEOUT": timeout,
        }
    if parts and "EMAIL_HOST" not in parts:
        raise ImproperlyConfigured(f"{', '.join(parts)} set without EMAIL_HOST (or use one EMAIL_URL).")
    use_tls, use_ssl = env_bool("EMAIL_USE_TLS", False), env_bool("EMAIL_USE_SSL", False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (TLS from the start) exclude each other.")
    host = env_str("EMAIL_HOST", "localhost").strip()
    if not host or any(c in host for c in "/:@ "):
        raise ImproperlyConfigured(
            f"EMAIL_HOST={host!r} is not a host name (no scheme, port or user: those have their own variables)."
        )
    user, password = env_str("EMAIL_HOST_USER", ""), env_str("EMAIL_HOST_PASSWORD", "")
    if password and not user:
        raise ImproperlyConfigured("EMAIL_HOST_PASSWORD is set but EMAIL_HOST_USER is not.")
    return {
        "configured": "EMAIL_HOST" in parts,
        "EMAIL_HOST": host,
        "EMAIL_PORT": env_int("EMAIL_PORT", 465 if use_ssl else 587 if use_tls else 25, minimum=1, maximum=65535),
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": timeout,
    }


_S3_QUERY = {"endpoint_url", "region", "addressing_style", "expire", "verify"}
_BUCKET_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")
# How long a signed URL lives, if anything ever asks the store for one: the portal itself streams
# files through its own views (the access gate), so this only bounds a leaked URL.
S3_SIGNED_URL_SECONDS = 300


def env_storage(*, local_root: Any) -> dict[str, Any]:
    """The private file store, as a STORAGES entry: the local folder ``local_root`` (the default),
    or an S3-protocol store from STORAGE_URL or from the AWS_* variables django-storages knows.

    STORAGE_URL: ``s3://[access_key:secret_key@]bucket[/prefix]?endpoint_url=http://host:9000&region=us-east-1``
    (query keys: endpoint_url, region, addressing_style=path|virtual|auto, expire (signed URLs'
    seconds), verify=0|1); without credentials in the URL, boto3 finds them (AWS_ACCESS_KEY_ID /
    AWS_SECRET_ACCESS_KEY, a profile, an instance role). Or, instead: AWS_STORAGE_BUCKET_NAME with
    AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_LOCATION. Objects are private (ACL "private",
    signed URLs only), never overwritten in place.
    """
    url = os.environ.get("STORAGE_URL", "").strip()
    bucket_env = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if url and bucket_env:
        raise ImproperlyConfigured("Set STORAGE_URL or AWS_STORAGE_BUCKET_NAME, not both.")
    if not url and not bucket_env:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": local_root, "base_url": None}}
    if url:
        options = _s3_options_from_url(url)
    else:
        _check_bucket("AWS_STORAGE_BUCKET_NAME", bucket_env)
        endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None
        if endpoint:
            _check_endpoint("AWS_S3_ENDPOINT_URL", endpoint)
        options = {
            "bucket_name": bucket_env,
            "endpoint_url": endpoint,
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "").strip() or None,
            "location": os.environ.get("AWS_LOCATION", "").strip().strip("/"),
            "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", S3_SIGNED_URL_SECONDS, minimum=1, maximum=604800),
        }
    from botocore.config import Config

    # Short timeouts: /readyz and a page waiting on a dead store answer in seconds, not minutes.
    options["client_config"] = Config(
        s3={"addressing_style": options.pop("addressing_style", None)},
        connect_timeout=env_int("STORAGE_CONNECT_TIMEOUT", 5, minimum=1, maximum=300),
        read_timeout=env_int("STORAGE_READ_TIMEOUT", 60, minimum=1, maximum=3600),
        retries={"max_attempts": 3, "mode": "standard"},
    )
    options.update(default_acl="private", querystring_auth=True, file_overwrite=False, custom_domain=None)
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def _check_bucket(name: str, bucket: str) -> None:
    if not (3 <= len(bucket) <= 63 and set(bucket) <= _BUCKET_CHARS and bucket[0].isalnum() and bucket[-1].isalnum()):
        raise ImproperlyConfigured(
            f"{name}: {bucket!r} is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)."
        )


def _check_endpoint(name: str, endpoint: str) -> None:
    parsed = urlparse(endpoint)
    try:
        parsed.port  # noqa: B018 (a port that is not a number raises)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: the endpoint {endpoint!r} has a port that is not a number.") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ImproperlyConfigured(f"{name}: the endpoint {endpoint!r} is not an http:// or https:// address.")


def _s3_options_from_url(url: str) -> dict[str, Any]:
    from urllib.parse import parse_qs

    parsed = urlparse(url)
    if parsed.scheme != "s3":
        shown = (parsed.scheme + "://") if parsed.scheme else "no scheme"
        raise ImproperlyConfigured(f"STORAGE_URL must start with s3:// (an S3-protocol store); got {shown}.")
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if port is not None:
        raise ImproperlyConfigured("STORAGE_URL: s3://bucket takes no port; put the server in ?endpoint_url=http://host:port.")
    bucket = parsed.netloc.rpartition("@")[2]  # as written: hostname would lower-case it
    _check_bucket("STORAGE_URL", bucket)
    try:
        query = parse_qs(parsed.query, keep_blank_values=True, strict_parsing=bool(parsed.query))
    except ValueError:
        raise ImproperlyConfigured("STORAGE_URL: the query is not key=value pairs joined by &.") from None
    unknown = sorted(set(query) - _S3_QUERY)
    if unknown:
        raise ImproperlyConfigured(f"STORAGE_URL: unknown parameter {', '.join(unknown)}; known: {', '.join(sorted(_S3_QUERY))}.")
    twice = sorted(key for key, values in query.items() if len(values) > 1)
    if twice:
        raise ImproperlyConfigured(f"STORAGE_URL: {', '.join(twice)} given more than once.")
    values = {key: found[0].strip() for key, found in query.items()}
    user, password = unquote(parsed.username or ""), unquote(parsed.password or "")
    if bool(user) != bool(password):
        raise ImproperlyConfigured(
            "STORAGE_URL: give both the access key and the secret key (s3://key:secret@bucket), or neither."
        )
    endpoint = values.get("endpoint_url") or None
    if endpoint:
        _check_endpoint("STORAGE_URL", endpoint)
    style = values.get("addressing_style") or None
    if style not in (None, "path", "virtual", "auto"):
        raise ImproperlyConfigured(f"STORAGE_URL: addressing_style={style!r}; use path, virtual or auto.")
    expire = values.get("expire", str(S3_SIGNED_URL_SECONDS))
    if not expire.isdigit() or not 1 <= int(expire) <= 604800:
        raise ImproperlyConfigured(f"STORAGE_URL: expire={expire!r} is not a number of seconds from 1 to 604800.")
    verify = values.get("verify", "1").lower()
    if verify not in _TRUE | _FALSE - {""}:
        raise ImproperlyConfigured(f"STORAGE_URL: verify={verify!r}; use 1 or 0.")
    return {
        "bucket_name": bucket,
        "location": unquote(parsed.path).strip("/"),
        "endpoint_url": endpoint,
        "region_name": values.get("region") or None,
        "addressing_style": style,
        "querystring_expire": int(expire),
        "verify": None if verify in _TRUE else False,
        "access_key": user or None,
        "secret_key": password or None,
    }
