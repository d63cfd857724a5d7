"""The machine API at /api/v1/ (docs/api.md): Django REST framework over the same access gate,
selectors and services as the pages."""
