"""The fingerprints of the README's main job and of every committed experiment config are the ones
recorded in tests/fingerprints.json (written by scripts/fingerprints.py before the tabletop/ layout
moved): a restructuring must not rename anyone's run directories."""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("fingerprints_script", ROOT / "scripts" / "fingerprints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fingerprints_unchanged():
    recorded = json.loads((ROOT / "tests" / "fingerprints.json").read_text())
    now = _script().compute()
    changed = {k: (recorded.get(k), now.get(k)) for k in set(recorded) | set(now) if recorded.get(k) != now.get(k)}
    assert not changed, f"fingerprints changed (recorded, now): {json.dumps(changed, indent=1)}"


def test_every_experiment_config_is_recorded():
    recorded = json.loads((ROOT / "tests" / "fingerprints.json").read_text())
    configs = {p.name for p in (ROOT / "experiments").glob("*.yaml")}
    assert configs <= set(recorded)
    assert "readme" in recorded
