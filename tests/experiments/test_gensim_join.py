"""experiments/gensim_join.py: the agreement of this project's verdicts with GenSim's own environment,
per file (small fixtures); experiments/gensim_reference.py's rule and task listing (AST only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from experiment_scripts import load_script

ROOT = Path(__file__).resolve().parents[2] / "experiments"


J = load_script("gensim_join")
R = load_script("gensim_reference")


def here(file, strict, rule, stage=None, reason=""):
    return {"file": file, "strict": {"status": strict, "stage": stage, "reason": reason},
            "gensim": None if rule is None else {"status": rule, "stage": stage if rule != "pass" else None,
                                                 "reason": reason if rule != "pass" else ""}}


def env(file, cls, status, rewards=(1.0, 1.0), reason="", kind="generated_tasks", seconds=(2.0, 4.0)):
    return {"file": file, "class": cls, "status": status, "rewards": list(rewards), "reason": reason, "kind": kind,
            "episodes": [{"seconds": s, "cpu_seconds": s / 2} for s in seconds]}


FILES = [here("g/a.py", "pass", "pass"), here("g/b.py", "fail", "pass", "rewards", "sum to 0.9"),
         here("g/c.py", "fail", "fail", "oracle", "0/8 seeds pass"), here("g/d.py", "unsupported", "unsupported",
                                                                         "unsupported", "piles"),
         here("g/e.py", "fail", "pass", "oracle", "x"), here("t/x.py", "fail", None, "sandbox", "import"),
         here("g/unmeasured.py", "pass", "pass")]
CLASSES = [env("g/a.py", "A", "accepted"), env("g/b.py", "B", "accepted"),
           env("g/c.py", "C", "rejected", (0.5, 0.2, 0.0), "rewards 0.50, 0.20, 0.00"),
           env("g/d.py", "D", "accepted"), env("g/e.py", "E", "rejected", (0.0, 0.0, 0.0), "rewards 0.00"),
           env("t/x.py", "X1", "accepted", kind="tasks"), env("t/x.py", "X2", "accepted", kind="tasks")]


def test_agreement_both_directions_with_wilson_intervals():
    res = J.join(FILES, CLASSES)
    f = res["figures"]
    # env accepts a, b, d, x: here GenSim's rule passes a and b (d unsupported, x never judged)
    assert (f["accepted_by_env_accepted_here"]["agree"], f["accepted_by_env_accepted_here"]["of"]) == (2, 4)
    assert f["accepted_by_env_accepted_here"]["share"] == 0.5
    lo, hi = f["accepted_by_env_accepted_here"]["ci95"]
    assert 0.1 < lo < 0.5 < hi < 0.95
    # env rejects c and e: here c fails, e passes
    assert (f["rejected_by_env_rejected_here"]["agree"], f["rejected_by_env_rejected_here"]["of"]) == (1, 2)
    # the strict verdict passes only a of the four env accepts
    assert f["accepted_by_env_strict_pass"]["agree"] == 1
    assert res["files"] == 7 and res["measured"] == 6


def test_every_disagreement_is_listed_with_both_reasons():
    res = J.join(FILES, CLASSES)
    got = {(d["file"], d["env"], d["here"]) for d in res["disagreements"]}
    assert got == {("g/d.py", "accepted", "unsupported"), ("t/x.py", "accepted", "fail"),
                   ("g/e.py", "rejected", "pass")}
    e = next(d for d in res["disagreements"] if d["file"] == "g/e.py")
    assert e["env_reason"] == "E: rewards 0.00" and e["here_stage"] is None
    assert J.here_text(e) == "pass (strict: oracle: x)"
    d = next(d for d in res["disagreements"] if d["file"] == "g/d.py")
    assert d["here_stage"] == "unsupported" and d["here_reason"] == "piles"
    confusion = {(c["env"], c["here"]): c["files"] for c in res["confusion"]}
    assert confusion[("not measured", "pass")] == 1 and confusion[("accepted", "pass")] == 2


def test_a_file_of_several_classes_needs_all_of_them():
    both = J.env_by_file([env("t/x.py", "X1", "accepted"), env("t/x.py", "X2", "rejected", reason="r")])
    assert both["t/x.py"]["status"] == "rejected" and "X2: r" in both["t/x.py"]["reason"]
    part = J.env_by_file([env("t/x.py", "X1", "accepted"), env("t/x.py", "X2", "undecided")])
    assert part["t/x.py"]["status"] == "not measured"


def test_speed_ratio_and_class_summary():
    sp = J.speed(CLASSES, our_wall_seconds=10.0, our_episodes=100, our_workers=2, our_cpu_seconds=5.0)
    assert sp["gensim_env_median_s"] == 3.0 and sp["ours_s_per_episode"] == 0.2 and sp["ratio"] == 15.0
    assert sp["gensim_env_median_cpu_s"] == 1.5 and sp["ours_cpu_s_per_episode"] == 0.05 and sp["cpu_ratio"] == 30.0
    s = J.classes_summary(CLASSES, {"x-one": "X1", "x-alias": "X1", "y": "Y"})
    assert s["generated_tasks"] == {"measured": 5, "accepted": 3, "rejected": 2}
    assert s["registered_names"] == {"names": 3, "measured": 2, "accepted": 2}
    md = J.markdown(J.join(FILES, CLASSES), s, sp)
    assert "0.5 [" in md and "| g/e.py | rejected | pass |" in md
    reasons = dict(J.by_reason(J.join(FILES, CLASSES)["disagreements"]))
    assert reasons == {("GenSim's env accepts, here not", "unsupported: piles"): 1,
                       ("GenSim's env accepts, here not", "sandbox: import"): 1,
                       ("GenSim's env rejects, here passes", "rewards below 0.99 on 3 of 4 seeds"): 1}


@pytest.mark.parametrize("rewards,status", [([1.0, 1.0], "accepted"), ([0.5, 0.0, 0.2], "rejected"), ([0.5, 1.0, 0.0], "undecided"),
                                            ([0.995, 0.2, 0.99, 1.0], "accepted"), ([1.0], "undecided"),
                                            ([0.99, 0.99, 0.99], "rejected")])
def test_gensims_rule_two_of_four_above_099(rewards, status):
    got = R.decide([{"reward": r} for r in rewards])
    assert got["status"] == status
    assert (got["reason"] == "") == (status == "accepted")


def test_task_classes_are_read_without_importing(tmp_path):
    (tmp_path / "cliport/tasks").mkdir(parents=True)
    (tmp_path / "cliport/generated_tasks").mkdir(parents=True)
    (tmp_path / "cliport/tasks/task.py").write_text("class Task: pass\n")
    (tmp_path / "cliport/tasks/ext.py").write_text("raise SystemExit\nclass A(B): pass\nclass C(B): pass\n")
    (tmp_path / "cliport/generated_tasks/g.py").write_text("import os\nos._exit(3)\nclass G(Task): pass\n")
    (tmp_path / "cliport/tasks/__init__.py").write_text("names = {'a': A, 'c-alias': C}\n")
    units = R.task_classes(tmp_path)
    assert [(u["file"], u["class"], u["kind"]) for u in units] == [
        ("cliport/tasks/ext.py", "A", "tasks"), ("cliport/tasks/ext.py", "C", "tasks"),
        ("cliport/generated_tasks/g.py", "G", "generated_tasks")]
    assert units[2]["module"] == "cliport.generated_tasks.g"
    assert R.registered_names(tmp_path) == {"a": "A", "c-alias": "C"}
    assert len(R.content_hash(tmp_path)) == 16


def test_classes_that_failed_for_a_missing_module_run_again(tmp_path):
    path = tmp_path / "gensim_env.jsonl"
    rows = [{"id": "a", "error": None, "episodes": [{"error": None}]},
            {"id": "b", "error": None, "episodes": [{"error": "ModuleNotFoundError: No module named 'trimesh'"}]},
            {"id": "c", "error": "ModuleNotFoundError: No module named 'x'", "episodes": []},
            {"id": "d", "error": None, "episodes": [{"error": "ValueError: a task's own fault"}]}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert R.drop_setup_errors(path) == 2
    assert [json.loads(line)["id"] for line in path.read_text().splitlines()] == ["a", "d"]
    assert R.drop_setup_errors(path) == 0


def test_a_class_measured_again_on_the_cpu_clock_takes_that_verdict(tmp_path):
    wall = [{**env("g/c.py", "C", "rejected", (0.78, 0.26, 0.0)), "id": "g/c.py::C"},
            {**env("g/a.py", "A", "accepted"), "id": "g/a.py::A"}]
    (tmp_path / "gensim_env.jsonl").write_text("".join(json.dumps(r) + "\n" for r in wall))
    assert {r["id"]: r["status"] for r in J.load_reference(tmp_path / "gensim_env.jsonl")} == \
        {"g/c.py::C": "rejected", "g/a.py::A": "accepted"}
    again = {**env("g/c.py", "C", "accepted", (1.0, 1.0)), "id": "g/c.py::C", "clock": "cpu"}
    (tmp_path / "gensim_env_cpu_clock.jsonl").write_text(json.dumps(again) + "\n")
    merged = {r["id"]: r for r in J.load_reference(tmp_path / "gensim_env.jsonl")}
    assert merged["g/c.py::C"]["status"] == "accepted" and merged["g/c.py::C"]["clock"] == "cpu"
    assert merged["g/a.py::A"]["status"] == "accepted" and len(merged) == 2
    assert J.env_by_file(list(merged.values()))["g/c.py"]["status"] == "accepted"


def step(reward=0.0, **kw):
    base = {"reward": reward, "timeout": False, "grasp": True, "pick_offset": 0.01, "place_xy": 0.002,
            "place_dz": 0.01, "release_xy": 0.002, "release_dz": 0.004}
    return {**base, **kw}


def test_a_traced_failure_is_named_by_its_first_wrong_action():
    ok = {"reward": 1.0, "trace": [step(1.0)]}
    assert J.failure_kind(ok) is None and J.failure_kind({"reward": 0.0}) is None  # success; untraced
    cases = {
        "the arm timed out (unreachable pose)": [step(0.25), step(timeout=True)],
        "the suction failed to hold the object": [step(grasp=False, place_xy=0.8, release_xy=None)],
        "let go at its target, the object then moved off it": [step(0.25), step(place_xy=1.9, release_xy=0.002)],
        "let go over its target but on something higher, it then slid or fell off": [
            step(place_xy=0.03, release_xy=0.002, release_dz=0.038)],
        "the object was let go off its target (landed on something)": [step(place_xy=0.05, release_xy=0.05)],
        "the object was lost before the place": [step(place_xy=0.3, release_xy=None)],
        "the oracle had no visible object to pick": [step(0.5), {"reward": 0.0, "timeout": False, "grasp": None}],
        "the step budget ran out": [step(0.25), step(0.25)],
    }
    for kind, trace in cases.items():
        assert J.failure_kind({"reward": 0.5, "trace": trace}) == kind
    traces = [{"file": "g/e.py", "episodes": [ok, {"reward": 0.25, "trace": cases["the arm timed out (unreachable pose)"]},
                                             {"reward": 0.0, "trace": cases["the arm timed out (unreachable pose)"]},
                                             {"reward": 0.0, "trace": cases["the step budget ran out"]}]}]
    assert J.trace_reasons(traces) == {"g/e.py": "4 seeds traced, 1 succeed; of the 3 failures: "
                                                 "2 the arm timed out (unreachable pose), 1 the step budget ran out"}
    e = next(d for d in J.join(FILES, CLASSES, traces)["disagreements"] if d["file"] == "g/e.py")
    assert e["env_trace"].startswith("4 seeds traced")


def test_rejections_traced_again_are_counted_against_gensims_own_second_look():
    """GenSim's 2-4 seed rejections measured again on 8 seeds: one its env now accepts (4/8) is left out
    of the second figure, which counts only what GenSim's env rejects both times."""
    def eps(passed, n=8):
        return [{"reward": 1.0 if k < passed else 0.5, "trace": [step(0.5)]} for k in range(n)]

    traces = [{"file": "g/c.py", "episodes": eps(1)}, {"file": "g/e.py", "episodes": eps(4)}]
    assert J.traced_verdicts(traces) == {"g/c.py": {"passed": 1, "seeds": 8, "status": "rejected", "classes": 1},
                                         "g/e.py": {"passed": 4, "seeds": 8, "status": "accepted", "classes": 1}}
    f = J.join(FILES, CLASSES, traces)["figures"]
    assert (f["env_rejections_rejected_again"]["agree"], f["env_rejections_rejected_again"]["of"]) == (1, 2)
    assert (f["rejected_by_env_again_rejected_here"]["agree"], f["rejected_by_env_again_rejected_here"]["of"]) == (1, 1)
    assert "env_rejections_rejected_again" not in J.join(FILES, CLASSES)["figures"]  # no traces: no such figure
    res = J.join(FILES, CLASSES, traces)
    text = J.markdown(res, J.classes_summary(CLASSES), J.speed(CLASSES, 10.0, 5))
    assert "traced again on 8 seeds" in text and "on the traced seeds its env accepted it (4/8)" in text
