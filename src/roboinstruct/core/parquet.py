"""Rows as a typed Parquet file, written atomically: the one writer every dataset uses (the
pipeline's pairs, GenSim's task library), each with its own schema."""

from __future__ import annotations

from pathlib import Path

from ..artifacts import atomic_path


def write_parquet(rows: list[dict], path: Path, columns) -> None:
    """`rows` (the same dicts as the dataset's JSONL, nested columns as structs) under the pyarrow
    schema `columns`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pylist(rows, schema=columns), tmp)
