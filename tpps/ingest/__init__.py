"""Ingestion of programme exports into DuckDB ``raw.*``: contracts, readers, checks, pseudonyms.

Plain Python (no Dagster): the orchestration layer calls ``ingest_source`` once per source and
``reconcile`` as the asset check. See docs/ingestion.md for the contracts and reason codes.
"""

from tpps.ingest.contracts import Contract
from tpps.ingest.loader import ingest_source, reconcile
from tpps.ingest.reasons import REASONS
from tpps.ingest.report import FileReport, IngestReport
from tpps.ingest.sources import SOURCES
from tpps.ingest.wilayah import load_wilayah

__all__ = [
    "REASONS",
    "SOURCES",
    "Contract",
    "FileReport",
    "IngestReport",
    "ingest_source",
    "load_wilayah",
    "reconcile",
]
