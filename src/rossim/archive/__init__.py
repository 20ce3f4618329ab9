"""Telemetry and event store: an embedded DuckDB file, written atomically; Parquet export."""

from rossim.archive.store import SCHEMA, export_parquet, read_phases, read_table, write_archive

__all__ = ["SCHEMA", "export_parquet", "read_phases", "read_table", "write_archive"]
