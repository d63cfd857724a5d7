"""Benchmarks that print figures (never timed unit tests). Run: `python -m bench <name>`."""
