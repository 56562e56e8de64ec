"""experiments/policy_gensim.py: its configs name GenSim's split files that the checkout has, every named
task keeps a status and a reason in the table, rows pool GenSim's reward (bootstrap) and success
(Wilson), and the table is written from the per-row evaluation files alone."""

import json

import pytest
import yaml

from experiment_scripts import EXPERIMENTS, load_script

ROOT = EXPERIMENTS.parent
CHECKOUT = ROOT.parent / "shared" / "gensim"
CONFIGS = ("policy-gensim.yaml", "policy-gensim-gpu.yaml")


@pytest.fixture(scope="module")
def script():
    return load_script("policy_gensim")


@pytest.fixture(scope="module")
def report():
    return load_script("policy_gensim_report")


@pytest.mark.parametrize("name", CONFIGS)
def test_configs_are_complete_and_equal_steps_points_back(name):
    cfg = yaml.safe_load((EXPERIMENTS / name).read_text())
    labels = [r["label"] for r in cfg["rows"]]
    assert cfg["gensim"] == "../shared/gensim" and cfg["base"] == "CLIPort_5"
    assert all(cfg["base"] in r["splits"] for r in cfg["rows"])
    control = [r for r in cfg["rows"] if r.get("steps_as")]
    assert len(control) == 1 and control[0]["splits"] == [cfg["base"]]
    assert labels.index(control[0]["steps_as"]) < labels.index(control[0]["label"])  # its steps are known by then
    assert cfg["unseen"]["count"] >= 5 and cfg["train"]["sample"] == "tasks"
    assert len(set(labels)) == len(labels)


@pytest.mark.skipif(not CHECKOUT.is_dir(), reason="../shared/gensim is absent")
@pytest.mark.parametrize("name", CONFIGS)
def test_every_split_a_config_names_is_in_the_checkout(name):
    from roboinstruct.tabletop.tasks.gensim_splits import split_names

    cfg = yaml.safe_load((EXPERIMENTS / name).read_text())
    assert {s for r in cfg["rows"] for s in r["splits"]} <= set(split_names(ROOT / cfg["gensim"]))


def test_row_labels_become_distinct_file_names(report):
    assert report.key("base + GPT_5") == "base-gpt-5"
    assert report.key("base (equal steps)") == "base-equal-steps"


def test_no_named_task_is_dropped_silently(report):
    splits = {"GEN": [
        {"name": "a", "file": "g/a.py", "status": "accepted"},
        {"name": "b", "file": None, "status": "unresolved"},
        {"name": "c", "file": "t/ext.py", "classes": 3, "status": "several-classes"},
        {"name": "d", "file": "g/d.py", "status": "rejected", "gensim": {"stage": "oracle", "reason": "0/8 seeds"}},
        {"name": "e", "file": "g/e.py", "status": "no-demonstrations"}]}
    unseen = [{"name": "u", "file": "g/u.py", "status": "accepted",
               "nearest_training_task": {"similarity": 0.21, "file": "g/a.py"}}]
    rows = {r["name"]: r for r in report.task_rows(splits, unseen)}
    assert set(rows) == {"a", "b", "c", "d", "e", "u"}
    assert "registry" in rows["b"]["why"] and "3 classes" in rows["c"]["why"]
    assert "0/8 seeds" in rows["d"]["why"] and "no oracle episode" in rows["e"]["why"]
    assert rows["u"]["split"] == "unseen" and "0.21" in rows["u"]["why"]


def per_task(task, rewards, threshold=0.99):
    k = sum(r > threshold for r in rewards)
    return {"task": task, "episodes": len(rewards), "success": k, "seeds": list(range(len(rewards))),
            "rewards": rewards, "reward_mean": sum(rewards) / len(rewards)}


def test_pooled_reports_both_metrics_with_intervals(script):
    p = script.pooled([per_task("t1", [1.0, 0.5, 0.0, 1.0]), per_task("t2", [0.25, 0.25, 0.0, 0.0])])
    assert p["reward"] == pytest.approx(3.0 / 8, abs=1e-3)  # partial credit counts
    assert p["success"] == 2 and p["episodes"] == 8 and p["rate"] == 0.25
    lo, hi = p["reward_ci95"]
    assert 0.0 <= lo <= p["reward"] <= hi <= 1.0 and hi - lo > 0.1  # two tasks: a wide cluster bootstrap
    lo, hi = p["success_ci95"]
    assert lo < 0.25 < hi


def test_the_table_is_written_from_the_evaluation_files(script, report, tmp_path):
    evals = tmp_path / "evals"
    evals.mkdir()
    cfg = {"scale": "test", "note": "a note", "gensim": str(CHECKOUT)}
    rows = []
    for label, r in (("base", 0.5), ("base + GPT_5", 0.75)):
        ev = {"row": label, "base": [per_task("cliport/tasks/a.py", [r, r])],
              "unseen": [per_task("cliport/generated_tasks/u.py", [0.0, 1.0])]}
        (evals / f"{report.key(label)}.json").write_text(json.dumps(ev))
        rows.append({"row": label, "base: reward [95% CI]": script.reward_cell(script.pooled(ev["base"])),
                     "_pooled": {}})
    splits = {"CLIPort_5": [{"name": "a", "file": "cliport/tasks/a.py", "status": "accepted"}]}
    choice = {"rule": "seeded", "pool": 3, "below_similarity": 2, "tried": 1}
    report.write(tmp_path, cfg, rows, splits, [], choice)
    md = (tmp_path / "table.md").read_text()
    assert "| base + GPT_5 | 0.75 [0.75, 0.75] |" in md
    assert "| unseen | u | 0.50 (1/2) | 0.50 (1/2) |" in md and "| CLIPort_5 | a |" in md
    assert "_pooled" not in md.split("## Per task")[0].split("\n")[6]  # private columns stay out of the table
    table = json.loads((tmp_path / "table.json").read_text())
    assert table["per_task"]["rows"][0][:2] == ["base", "a"] and table["unseen_choice"]["tried"] == 1
    assert (tmp_path / "table.html").is_file()
