"""experiments/gensim_library.py: the library built from the real checkout (a sample of files) and
reused while nothing changed; GenSim's three rates from a score run's judged answers."""

import json
from pathlib import Path

import pytest

from experiment_scripts import EXPERIMENTS, load_script

CHECKOUT = Path(__file__).resolve().parents[2].parent / "shared" / "gensim"
GEN = "cliport/generated_tasks/"
SAMPLE = [GEN + "color_coordinated_block_tower.py", GEN + "assemble_single_car.py", GEN + "code_rainbow_pyramid.py"]


@pytest.fixture(scope="module")
def script():
    return load_script("gensim_library")


def test_the_committed_config_loads(script):
    cfg = script.load(str(EXPERIMENTS / "gensim-library.yaml"))
    assert cfg["library"]["gensim"] == "../shared/gensim" and len(cfg["score"]["suites"]) == 2


def test_the_library_is_the_checkouts_accepted_tasks_and_is_reused(script, tmp_path, monkeypatch):
    cfg = {"library": {"gensim": str(CHECKOUT), "seeds": 4, "workers": 1, "only": SAMPLE}}
    first = script.library(cfg, tmp_path / "library")
    rows = [json.loads(x) for x in (tmp_path / "library" / "dataset.jsonl").read_text().splitlines()]
    # block tower passes GenSim's rule; the single car does not; the rainbow pyramid is a target's near-copy
    assert [r["name"] for r in rows] == ["color-coordinated-block-tower"], rows
    assert "code-rainbow-pyramid" in first["heldout"]["held_out"] and first["counts"]["validated"] == 2
    import roboinstruct.tabletop.tasks.gensim_dataset as gd

    class Rebuilt(Exception):
        pass

    def rebuild(*a, **k):
        raise Rebuilt

    monkeypatch.setattr(gd, "build", rebuild)
    assert script.library(cfg, tmp_path / "library")["fingerprint"] == first["fingerprint"]  # not rebuilt
    with pytest.raises(Rebuilt):  # a different sample is a different library
        script.library({"library": {**cfg["library"], "only": SAMPLE[:1]}}, tmp_path / "library")


def test_gensims_three_rates_with_intervals_over_targets(script, tmp_path):
    answers = [("a", "pass", "Success"), ("a", "oracle", "CompletionError"), ("b", "parse", "PythonError"),
               ("b", "reset", "PythonError"), ("c", "pass", "Success"), ("c", "pass", "Success")]
    (tmp_path / "evaluated.jsonl").write_text("".join(
        json.dumps({"task": t, "prompt_index": 0, "stage": st, "verdict": v}) + "\n" for t, st, v in answers))
    rates = script.stage_rates(tmp_path)
    assert rates["syntax"]["rate"] == pytest.approx(5 / 6, abs=1e-4) and rates["runtime"]["rate"] == pytest.approx(4 / 6, abs=1e-4)
    assert rates["success"]["rate"] == pytest.approx(3 / 6, abs=1e-4) and rates["success"]["targets"] == 3
    lo, hi = rates["success"]["ci95"]
    assert 0 <= lo < 0.5 < hi <= 1  # three targets: a wide interval around the point
