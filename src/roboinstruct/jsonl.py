"""JSON-lines input and output shared by every batch command.

Input is strict (a bad line is one UserError naming file and line); output files are read
leniently (a torn last line from a kill is skipped, and that row is redone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from .errors import UserError


def read_objects(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line; anything else is a UserError."""
    try:
        lines = Path(path).read_text().splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise UserError(f"{path}:{n}: not valid JSON ({e.msg}); each line must be one JSON object") from None
        if not isinstance(row, dict):
            raise UserError(f"{path}:{n}: each line must be a JSON object")
        yield n, row


def read_finished(path: Path, field: str) -> list[dict]:
    """Rows of an output file that carry `field`; torn or foreign lines are skipped."""
    rows = []
    if Path(path).exists():
        for line in Path(path).read_text().splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and field in row:
                rows.append(row)
    return rows
