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


def test_recursion_near_the_limit_gets_one_verdict_in_spares_and_fresh_children(tmp_path, monkeypatch, capsys):
    """`tabletop validate --workers 1`: every file after the first runs in a spare (always) or a child
    forked for it (never). A task recursing 1984 deep passes and 1988 deep fails either way (a spare
    used to refuse 1984: its stack in the zygote is deeper, and the limit was absolute)."""
    import json

    from roboinstruct.cli import main as cli_main

    text = (HERE / "hostile" / "171_recursion_near_limit.py").read_text()
    depths = (1960, 1964, 1968, 1972, 1976, 1980, 1984, 1988)  # a wave of task children: spares after the first
    for depth in depths:
        (tmp_path / f"deep_{depth}.py").write_text(text.replace("depth >= 1988", f"depth >= {depth}"))
    got = {}
    for spares in ("always", "never"):
        monkeypatch.setenv("ROBOINSTRUCT_SANDBOX_SPARES", spares)
        cli_main(["tabletop", "validate", str(tmp_path), "--workers", "1", "--seeds", "1", "--json", "--quiet",
                  "--require-isolation"])
        got[spares] = {Path(r["file"]).stem: r["stage"] for r in json.loads(capsys.readouterr().out)}
    assert got["always"] == got["never"], got
    assert [got["always"][f"deep_{d}"] for d in depths] == [None] * 7 + ["reset"], got
