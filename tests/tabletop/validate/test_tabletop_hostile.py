"""The tabletop hostile corpus (hostile/README.md): every payload costs one failed verdict —
never the run, the parent, the next task in the same worker, or a file on the machine."""

import re
from pathlib import Path

import pytest

from roboinstruct.sandbox import WorkerPool
from roboinstruct.tabletop.validate.run import validate_many
from roboinstruct.tabletop.validate.verdict import Candidate

HERE = Path(__file__).parents[1]  # tests/tabletop: fixtures/ and hostile/
FILES = sorted((HERE / "hostile").glob("*.py"))
BYSTANDER = (HERE / "fake_gensim" / "cliport" / "tasks" / "stack_three_blocks.py").read_text()
CANARY = Path("/tmp/roboinstruct_canary")
# Attacks on GenSim internals this implementation does not have: `assets_root` is never read
# (fill_template writes no file), so the payload is inert and its otherwise valid task passes.
INERT = {"136_assets_root_redirect.py", "138_gripper_assets_root.py"}


def test_corpus_is_large_and_labelled():
    assert len(FILES) >= 40
    for f in FILES:
        head = f.read_text(errors="replace").splitlines()[:2]
        assert head[0].startswith("# attack:") and re.match(r"# expect: (static|runtime)", head[1]), f.name


def test_every_payload_is_contained_and_the_next_task_still_passes():
    CANARY.mkdir(exist_ok=True)
    for stale in CANARY.iterdir():
        stale.unlink()
    (CANARY / "keep_me.txt").write_text("keep")
    leaks, damaged = [], []
    with WorkerPool(1, memory_mb=1024, cpu_seconds=5) as pool:  # one worker: the bystander runs where the payload ran
        for f in FILES:
            (v,) = validate_many([Candidate(f.name, f.read_text(errors="replace"))], seeds=2, pool=pool)
            if v.status == "pass" and f.name not in INERT:
                leaks.append(f.name)
            assert v.reason is not None and "\n" not in v.reason, f.name
            (after,) = validate_many([Candidate("bystander", BYSTANDER)], seeds=2, pool=pool)
            if not after.ok:
                damaged.append((f.name, after.stage, after.reason))
    assert not leaks
    assert not damaged
    assert sorted(p.name for p in CANARY.iterdir()) == ["keep_me.txt"]
    assert (CANARY / "keep_me.txt").read_text() == "keep"


@pytest.mark.parametrize("name", ["001_import_subprocess.py", "165_syntax_parser_recursion.py"])
def test_static_payloads_never_reach_a_worker(name):
    (v,) = validate_many([Candidate(name, (HERE / "hostile" / name).read_text())], seeds=1, workers=1)
    assert v.stage in ("parse", "sandbox") and v.episodes == []
