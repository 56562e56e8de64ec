"""Reading the manifests runs leave behind, for whoever links to them (lineage, contamination
checks): an adapter folder's manifest.json, written by `finetune`."""

from __future__ import annotations

import json
from pathlib import Path

ADAPTER_KIND = "roboinstruct.adapter"


def read_adapter_manifest(folder: Path) -> dict | None:
    """An adapter folder's manifest, or None when the folder holds no roboinstruct adapter."""
    try:
        m = json.loads((Path(folder) / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) and m.get("kind") == ADAPTER_KIND else None
