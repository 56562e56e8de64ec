"""GenSim's loop with a scripted model: stages, repair, critic, library growth, outputs, resume."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_backend import ScriptedBackend

from roboinstruct.gensim.config import GensimConfig
from roboinstruct.gensim.loop import GensimRun

HERE = Path(__file__).parent


def make(tmp_path, backend, **kw):
    cfg = GensimConfig(out=str(tmp_path / "run"), seeds=3, workers=2, **kw).validate()
    return GensimRun(cfg, backend_factory=lambda c: backend)


def test_bottom_up_grows_the_library_with_repair_and_critic(tmp_path):
    backend = ScriptedBackend(reject={1})
    run = make(tmp_path, backend, trials=4)
    manifest = run.run()
    run.close()
    trials = [run.trials.get(t) for t in range(4)]
    assert [t["status"] for t in trials] == ["accepted", "rejected", "rejected", "accepted"]
    assert trials[1]["stage"] == "critic"
    assert trials[0]["proposed_assets"] == ["bowl/bowl.urdf", "stacking/block.urdf"]  # what the proposal named
    assert trials[2]["stage"] == "novelty" and "near copy of library task bowl-task-alpha" in trials[2]["reason"]
    first = trials[0]["attempts"]
    assert first[0]["stage"] == "rewards" and "sum to 3" in first[0]["reason"]  # then repaired
    assert first[1]["status"] == "pass"
    lib = [json.loads(line) for line in (run.dir / "library.jsonl").read_text().splitlines()]
    assert len(lib) == 2 and lib[0]["assets"] == ["bowl/bowl.urdf", "stacking/block.urdf"]
    assert (run.dir / lib[0]["file"]).read_text().startswith("import numpy")
    rows = [json.loads(line) for line in (run.dir / "dataset.jsonl").read_text().splitlines()]
    assert rows[0]["instruction"].startswith(lib[0]["name"]) and "class " in rows[0]["program"]
    s = manifest["stats"]
    assert s["accepted"]["k"] == 2 and s["accepted"]["n"] == 4
    assert s["rejected_at"] == {"critic": 1, "novelty": 1}
    assert s["syntax_pass"]["rate"] == 1.0 and s["completion_pass"]["k"] == 4 and s["code_attempts"] == 8
    assert s["library_growth"] == [s["library_growth"][0]] * 3 + [s["library_growth"][0] + 1]
    assert 0 < s["diversity"]["asset_diversity"] <= 1
    html = (run.dir / "report.html").read_text()
    assert "pictures/" in html and (run.dir / "pictures" / f"{lib[0]['name']}.png").stat().st_size > 1000


def test_novelty_rejects_a_known_name(tmp_path):
    run = make(tmp_path, ScriptedBackend(), trials=1, mode="top-down", target="place-red-in-green")
    run.run()
    run.close()
    assert run.trials.get(0)["status"] == "done"  # the target is already a library task


def test_curriculum_follows_the_plan_then_the_target(tmp_path):
    run = make(tmp_path, ScriptedBackend(broken_first_code=False), trials=6, mode="curriculum",
               target="bowl-master", curriculum_steps=2, no_cache=True)
    run.run()
    run.close()
    names = [run.trials.get(t)["name"] for t in range(3)]
    assert names == ["warmup-alpha", "warmup-bravo", "bowl-master"]
    assert run.trials.get(3)["status"] == "done"


def test_kill_9_then_resume_repeats_no_model_call(tmp_path):
    script = ("import sys; sys.path.insert(0, %r)\n"
              "from fake_backend import ScriptedBackend\n"
              "from roboinstruct.gensim.config import GensimConfig\n"
              "from roboinstruct.gensim.loop import GensimRun\n"
              "cfg = GensimConfig(out=%r, seeds=3, workers=1, trials=3, no_cache=True).validate()\n"
              "run = GensimRun(cfg, backend_factory=lambda c: ScriptedBackend())\n"
              "run.run(); run.close()\n") % (str(HERE), str(tmp_path / "run"))
    log = tmp_path / "calls.log"
    env = {**os.environ, "CALL_LOG": str(log), "KILL_AFTER_CALLS": "5"}
    killed = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert killed.returncode == -9
    env.pop("KILL_AFTER_CALLS")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    keys = [(c["seed"], c["last"]) for c in calls]
    assert len(keys) == len(set(keys))  # nothing asked twice
    straight = tmp_path / "straight"
    env2 = {k: v for k, v in env.items() if k != "CALL_LOG"}
    subprocess.run([sys.executable, "-c", script.replace(str(tmp_path / "run"), str(straight))], env=env2, check=True)
    assert (tmp_path / "run" / "library.jsonl").read_text() == (straight / "library.jsonl").read_text()


def test_bad_settings_are_one_line_errors():
    from roboinstruct.errors import UserError

    with pytest.raises(UserError, match="needs --target"):
        GensimConfig(mode="top-down").validate()
