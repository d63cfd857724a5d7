"""Back-office exports: the tables (tables.py) and how each format writes them (formats.py)."""

from .formats import FORMATS, Column, Table, to_records
from .tables import (
    CommandLineReader,
    export_bytes,
    export_response,
    gaps_dataset,
    incomplete_dataset,
    inconsistencies_dataset,
    list_refs_dataset,
    listed_parties_dataset,
    matrix_dataset,
    named_parties_dataset,
    overdue_dataset,
    reports_dataset,
    state_datasets,
    status_dataset,
)

__all__ = [
    "FORMATS",
    "Column",
    "CommandLineReader",
    "Table",
    "export_bytes",
    "export_response",
    "gaps_dataset",
    "incomplete_dataset",
    "inconsistencies_dataset",
    "list_refs_dataset",
    "listed_parties_dataset",
    "matrix_dataset",
    "named_parties_dataset",
    "overdue_dataset",
    "reports_dataset",
    "state_datasets",
    "status_dataset",
    "to_records",
]
