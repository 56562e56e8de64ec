"""experiments/log_cadence.py reads a run's log the way issue 24's target is stated."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "experiments"


def _cadence():
    spec = importlib.util.spec_from_file_location("log_cadence", ROOT / "log_cadence.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cadence


def test_longest_silence_and_summary():
    cadence = _cadence()
    log = "[0:00:05] run directory: x\n[0:00:50] verify: 1/2\nnoise\n[0:01:20] done\n│ pairs in dataset │ 2 │\n"
    assert cadence(log) == {"lines": 3, "first_s": 5, "longest_silence_s": 45, "last_s": 80,
                            "summary_in_log": True, "meets_target": True}
    late = cadence(log.replace("[0:01:20]", "[0:02:00]"))
    assert late["longest_silence_s"] == 70 and not late["meets_target"]
    assert not cadence(log.replace("pairs in dataset", "x"))["meets_target"]


def test_the_committed_run_log_meets_the_target():
    res = _cadence()((ROOT / "results" / "log-cadence" / "fresh20-15b-s0.log").read_text())
    assert res["meets_target"] and res["lines"] > 50
