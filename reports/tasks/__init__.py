"""Celery tasks, one module per area; Celery's autodiscovery imports this package.

Tasks are thin: they take ids, load, call a service, and retry on transient errors.
"""

from .common import ping

__all__ = ["ping"]
