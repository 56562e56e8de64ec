"""The tabletop payloads of the corpus (payloads/task_*.py, `# mode: task`), layer by layer.

Each is a task file an attacker could hand `roboinstruct tabletop validate`; `# expect: rejected`
(the static check refuses it, `# reject:` names why) or `fail` (it runs and fails; `# reason:`).
Every test replays the payloads in one batch on one worker, each followed by an honest bystander
(an impossible task: it must keep failing at the oracle), and checks that nothing escaped (no file
written, no secret or root uid in the verdicts, no connection), nothing was forged (no payload
passes) and no verdict was lost. The first test goes through the CLI with every layer on; the
others switch layers off (task_payload_job.py) to show the one behind still holds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from roboinstruct.cli import main as cli_main
from roboinstruct.tabletop.validate import run, taskcode
from roboinstruct.tabletop.validate.run import validate_many
from roboinstruct.tabletop.validate.taskcode import TaskRejected, check_task
from roboinstruct.tabletop.validate.verdict import Candidate

from test_payloads import HERE, STRAYS, by_mode, meta

BYSTANDER = '''import numpy as np
from cliport.tasks.task import Task


class FloatingBlock(Task):
    """Impossible: the block must hover 25 cm above the table."""

    def __init__(self):
        super().__init__()
        self.max_steps = 3
        self.lang_template = "hold the block in the air"

    def reset(self, env):
        super().reset(env)
        block = env.add_object("stacking/block.urdf", ((0.5, 0.0, 0.02), (0.0, 0.0, 0.0, 1.0)))
        target = ((0.5, 0.2, 0.25), (0.0, 0.0, 0.0, 1.0))
        self.add_goal(objs=[block], matches=np.ones((1, 1)), targ_poses=[target], replace=False, rotations=False,
                      metric="pose", params=None, step_max_reward=1, language_goal=self.lang_template)
'''
SEEDS = 2
LEAKS = ("uid=0", "root:", "connected", "escaped")


@pytest.fixture
def clean():
    for stale in STRAYS:
        stale.unlink(missing_ok=True)
    yield
    for stale in STRAYS:
        stale.unlink(missing_ok=True)


def payloads() -> list[Path]:
    return by_mode("task")


def assert_contained(verdicts: list[dict]) -> None:
    assert not any(p.exists() for p in STRAYS), "a file was written outside the sandbox"
    text = json.dumps(verdicts)
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} in the verdicts"
    bystanders = verdicts[1::2]
    honest = bystanders[-1]
    for p, v, b in zip(payloads(), verdicts[::2], bystanders):
        assert v["status"] != "pass", f"{p.name}: forged verdict"
        assert (b["status"], b["stage"], b["passed"]) == ("fail", "oracle", 0), f"{p.name} changed the next candidate"
        assert b["episodes"] == honest["episodes"], f"{p.name} changed the next candidate's scene data"


def test_corpus_has_task_payloads():
    assert len(payloads()) >= 12
    for p in payloads():
        m = meta(p)
        assert m["expect"] in ("rejected", "fail") and (m.get("reject") or m.get("reason")), p.name


def test_task_payloads_through_the_cli(tmp_path, capsys, clean):
    """Every layer on: `roboinstruct tabletop validate --json` on the payloads and bystanders, one worker."""
    files = []
    for p in payloads():
        files.append(str(p))
        bystander = tmp_path / f"bystander_after_{p.stem}.py"
        bystander.write_text(BYSTANDER)
        files.append(str(bystander))
    code = cli_main(["tabletop", "validate", *files, "--json", "--workers", "1", "--seeds", str(SEEDS),
                     "--require-isolation"])
    out = capsys.readouterr().out
    assert code == 1
    verdicts = json.loads(out[out.index("["):])
    assert len(verdicts) == len(files), "a batch lost verdicts"
    assert_contained(verdicts)
    for p, v in zip(payloads(), verdicts[::2]):
        m = meta(p)
        if m["expect"] == "rejected":
            assert v["stage"] == "sandbox" and m["reject"] in v["reason"], (p.name, v["reason"])
        else:
            assert v["stage"] not in ("parse", "sandbox") and m["reason"] in v["reason"], (p.name, v["reason"])


def test_static_check_alone():
    """Nothing runs: the rejected payloads are refused by taskcode.check_task itself."""
    for p in payloads():
        m = meta(p)
        if m["expect"] == "rejected":
            with pytest.raises(TaskRejected, match=m["reject"].replace("(", r"\(").replace(")", r"\)")):
                check_task(p.read_text())


def _run_without(job: str, monkeypatch) -> list[dict]:
    """The batch through validate_many with the static check off in the caller and the worker's
    half replaced by `task_payload_job.<job>` (layers off there)."""
    from task_payload_job import metered_only

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setattr(run, "JOB", f"task_payload_job:{job}")
    monkeypatch.setattr(run, "check_task", metered_only)
    cands = []
    for p in payloads():
        cands += [Candidate(p.name, p.read_text()), Candidate("bystander", BYSTANDER)]
    verdicts = [v.to_dict() for v in validate_many(cands, seeds=SEEDS, workers=1)]
    assert len(verdicts) == len(cands)
    return verdicts


def test_runtime_layer_alone(monkeypatch, clean):
    """Static check off: the runtime (no id/hash builtins, type() of plain values, numpy_guard,
    the stand-ins) still fails every payload, before any raw memory."""
    verdicts = _run_without("runtime_only", monkeypatch)
    assert_contained(verdicts)
    for p, v in zip(payloads(), verdicts[::2]):
        assert v["stage"] != "sandbox"
        if "name 'id'" in meta(p).get("reject", ""):
            assert "'id' is not defined" in v["reason"], (p.name, v["reason"])
        if p.name == "task_astype_object_dtype.py":  # the runtime's astype guard, with the static check off
            assert "object and raw-byte dtypes are not available" in v["reason"], v["reason"]


def test_judge_apart_and_os_layers_with_the_python_layer_off(monkeypatch, clean):
    """No static check, real id/hash/type, unguarded numpy: the payloads get raw memory and the real
    builtins in the task's child. The physics child that never ran them, the reply checks, one
    process per candidate and the OS isolation are what still hold: no escape, no forged verdict,
    no effect on the bystanders, no lost verdict."""
    verdicts = _run_without("python_off", monkeypatch)
    assert_contained(verdicts)
    by_name = dict(zip((p.name for p in payloads()), verdicts[::2]))
    forged = by_name["task_forge_scene_snapshots.py"]  # the snapshots were patched where no physics runs now
    assert forged["stage"] == "oracle" and forged["passed"] == 0, forged["reason"]
    assert "uid=65534" in by_name["task_raw_memory_array_interface.py"]["reason"]  # it did run: as nobody
    for name in ("task_object_dtype_reply_fd.py", "task_malformed_reply.py", "task_reply_caller_reads_log.py"):
        assert "sandbox worker stopped" in by_name[name]["reason"], by_name[name]["reason"]


def test_static_check_refuses_what_the_surface_leaves_out():
    """The allow-list, not a deny-list: an array's view/data/base and a function's attributes."""
    head = "import numpy as np\nfrom cliport.tasks.task import Task\n\nclass T(Task):\n    def reset(self, env):\n"
    for line in ("a = np.zeros(2).view", "a = np.zeros(2).data", "a = np.zeros(2).base", "a = self.reset.im_func",
                 "x = np.zeros(2); x.shape = (2, 1)", "t = Task; t.reward = 1", "n = id(self)", "h = hash(self)"):
        with pytest.raises(TaskRejected):
            check_task(head + "        " + line + "\n")
    check_task(head + "        self.anything = np.zeros(2).reshape(2, 1).tolist()\n")
    assert taskcode.check_task  # the module under test is the caller's side: pure AST
