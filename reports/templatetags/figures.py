"""Figures as UN documents print them."""

from __future__ import annotations

from decimal import Decimal

from django import template

from reports.figures import number

register = template.Library()


@register.filter
def un_number(value: Decimal | int | None) -> str:
    """1500.00 -> "1 500" (narrow no-break space), 12.50 -> "12.5"; nothing -> "—"."""
    return number(value)
