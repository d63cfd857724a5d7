"""Reference data carries its labels in the six UN languages as a JSON dict per field."""

from __future__ import annotations

from django.utils.translation import get_language

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def pick(labels: dict[str, str] | None, language: str | None = None) -> str:
    """The label in the active language, falling back to English, then to any label."""
    if not labels:
        return ""
    lang = (language or get_language() or "en").split("-")[0].lower()
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), "")
