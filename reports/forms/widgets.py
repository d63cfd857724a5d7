"""Widgets that render in Python rather than through templates.

A register can hold hundreds of rows of fifteen fields; Django's template-rendered widgets
(one template per widget and per option) made such a page take seconds. These produce the
same HTML as Django's templates, escaped through format_html.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Escaped (value, label) pairs of a choice list, per language: labels are lazy translations,
# and turning thousands of them into text again on every register row was the page's cost.
_OPTIONS: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = {}


def _escaped_options(choices: Any) -> list[tuple[str, str]] | None:
    pairs = list(choices)
    if any(isinstance(label, (list, tuple)) for _value, label in pairs):
        return None  # option groups: left to Django
    key = (get_language() or "", tuple(str(value) for value, _label in pairs))
    cached = _OPTIONS.get(key)
    if cached is None:
        cached = [(str(escape(value)), str(escape(label))) for value, label in pairs]
        if len(_OPTIONS) < 200:
            _OPTIONS[key] = cached
    return cached


class FastRenderMixin:
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        if isinstance(self, forms.Select) and not self.allow_multiple_selected:
            options = _escaped_options(self.choices)
            if options is not None:
                final = {k: v for k, v in self.build_attrs(self.attrs, attrs).items() if v is not False and v is not None}
                selected = self.format_value(value)[:1]
                body = "".join(
                    f'<option value="{v}"{" selected" if v in selected else ""}>{label}</option>' for v, label in options
                )
                return mark_safe(f'<select name="{escape(name)}"{flatatt(final)}>{body}</select>')  # noqa: S308 (escaped above)
        return super().render(name, value, attrs, renderer)  # type: ignore[misc,no-any-return]

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        widget = context["widget"]
        attrs = flatatt({k: v for k, v in widget["attrs"].items() if v is not False and v is not None})
        name = widget["name"]
        if isinstance(self, forms.Select):
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], SafeString(" selected") if option["selected"] else "", option["label"])
                    for _group, group_options, _index in widget["optgroups"]
                    for option in group_options
                ),
            )
            return format_html('<select name="{}"{}>{}</select>', name, attrs, options)
        if isinstance(self, forms.Textarea):
            return format_html('<textarea name="{}"{}>\n{}</textarea>', name, attrs, widget["value"] or "")
        value = widget["value"]
        value_attr = format_html(' value="{}"', value) if value not in (None, "") else ""
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], name, value_attr, attrs)


_FAST: dict[type[forms.Widget], type[forms.Widget]] = {}


def fast_widget(widget: forms.Widget) -> forms.Widget:
    """A copy of `widget` that renders in Python (multi-value widgets are left as they are)."""
    base = type(widget)
    if isinstance(widget, (forms.SelectMultiple, forms.MultiWidget, forms.RadioSelect, forms.ClearableFileInput)):
        return widget
    fast = _FAST.get(base)
    if fast is None:
        fast = type(f"Fast{base.__name__}", (FastRenderMixin, base), {})
        _FAST[base] = fast
    clone = copy.copy(widget)
    clone.attrs = dict(widget.attrs)
    clone.__class__ = fast
    return clone
