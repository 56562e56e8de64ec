"""experiments/gensim_topdown.py: one top-down loop run per GenSim target, pooled stage pass rates with
Wilson intervals, and the critic's accepts checked against what their proposals said they would load."""

import json

import pytest

from experiment_scripts import EXPERIMENTS, load_script


@pytest.fixture(scope="module")
def script():
    return load_script("gensim_topdown")


def _rate(k, n):
    return {"k": k, "n": n, "rate": k / n if n else None, "ci95": [0.0, 1.0]}


def _stats(acc, n, code_ok, attempts):
    return {"trials": n, "accepted": _rate(acc, n), "syntax_pass": _rate(attempts, attempts),
            "runtime_pass": _rate(code_ok + 1, attempts), "completion_pass": _rate(code_ok, attempts),
            "first_attempt_pass": _rate(min(code_ok, n), n), "rejected_at": {"critic": n - acc} if n > acc else {}}


def test_every_target_of_the_committed_config_is_a_valid_top_down_run(script, tmp_path):
    cfg = script.load(str(EXPERIMENTS / "gensim-topdown.yaml"))
    names = script.targets(cfg)
    assert len(names) == 10 and "rainbow-pyramid" in names  # GenSim's ten fine-tuning targets
    runs = [script.run_config(cfg, t, tmp_path, tmp_path / "library") for t in names]
    assert {r.mode for r in runs} == {"top-down"} and [r.target for r in runs] == names
    assert len({r.fingerprint() for r in runs}) == 10 and runs[0].library == f"gensim:{tmp_path / 'library'}"


def test_pooled_rates_and_the_critics_accepts_against_their_proposals(script, tmp_path):
    trials_a = [{"trial": 0, "status": "accepted", "name": "rainbow-pyramid",
                 "proposed_assets": ["block/block.urdf", "zone/zone.urdf"]},
                {"trial": 1, "status": "rejected", "stage": "critic", "name": "rainbow-pyramid"}]
    accepted_a = [{"name": "rainbow-pyramid", "assets": ["block/block.urdf"]}]  # no zone was ever loaded
    trials_b = [{"trial": 0, "status": "accepted", "name": "align-cylinder-in-zone",
                 "proposed_assets": ["cylinder/cylinder-template.urdf"]}]
    accepted_b = [{"name": "align-cylinder-in-zone", "assets": ["cylinder/cylinder-template.urdf", "zone/zone.urdf"]}]
    per_target = {"rainbow-pyramid": (_stats(1, 2, 1, 3), trials_a, accepted_a),
                  "align-cylinder-in-zone": (_stats(1, 1, 1, 1), trials_b, accepted_b)}
    pool = script.pooled(per_target)
    assert pool["accepted"]["k"] == 2 and pool["accepted"]["n"] == 3 and pool["completion_pass"]["n"] == 4
    lo, hi = pool["accepted"]["ci95"]
    assert lo < 2 / 3 < hi and pool["rejected_at"] == {"critic": 1}
    checks = script.critic_checks(per_target)
    assert [c["missing families"] for c in checks] == [["zone"], []]
    script.write(tmp_path, {"scale": "test", "note": "n"}, per_target, {"rainbow-pyramid": 1.0}, 0.0)
    table = (tmp_path / "table.md").read_text()
    assert "2/3 = 0.67" in table and "1 of 2 accepted" in table and "rainbow-pyramid/report.html" in table
    assert json.loads((tmp_path / "manifest.json").read_text())["critic_checks"][0]["missing families"] == ["zone"]
    assert "<svg" in (tmp_path / "table.html").read_text()
