"""GenSim's few-shot prompt baseline: `score --examples DATASET` shows the library tasks nearest the
asked one as earlier turns; without examples the prompt is the one fine-tuning trains in."""

import json

import pytest

from roboinstruct.errors import UserError
from roboinstruct.score.run import ScoreConfig, ScoreRun
from roboinstruct.taskprompt import build_task_prompt
from roboinstruct.tabletop.prompt.format import TabletopPrompt

LIBRARY = [
    ("stack-blocks: Stack three blocks into a tower.", "class StackBlocks(Task):\n    pass\n"),
    ("cylinders-in-zone: Move each colored cylinder into its zone.", "class CylindersInZone(Task):\n    pass\n"),
    ("ball-in-bowl: Put the ball into the bowl.", "class BallInBowl(Task):\n    pass\n"),
    ("cylinder-tower: Stack cylinders on a pallet.", "class CylinderTower(Task):\n    pass\n"),
]


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "dataset.jsonl"
    path.write_text("".join(json.dumps({"name": q.split(":")[0], "instruction": q, "program": c}) + "\n"
                            for q, c in LIBRARY))
    return path


def test_the_nearest_library_tasks_come_first_nearest_last(dataset):
    tp = TabletopPrompt(examples=str(dataset), shots=2)
    shown = tp.shown("align-cylinder-in-zone: Move each colored cylinder into the middle of its zone.")
    assert [q for q, _ in shown] == [LIBRARY[3][0], LIBRARY[1][0]]
    turns = tp.messages("align-cylinder-in-zone: Move each colored cylinder into the middle of its zone.")
    assert [t["role"] for t in turns] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert turns[4]["content"] == tp.target_text(LIBRARY[1][1]) and "align-cylinder-in-zone" in turns[-1]["content"]


def test_without_examples_the_prompt_is_the_training_one(dataset):
    plain, shot = TabletopPrompt(), TabletopPrompt(examples=str(dataset), shots=2)
    q = "ball-in-bowl: Put the ball into the bowl."
    assert plain.messages(q)[0] == shot.messages(q)[0] and len(plain.messages(q)) == 2
    assert "examples" not in plain.identity() and shot.identity()["shots"] == 2
    assert shot.context_tokens > plain.context_tokens == 4096 and shot.context_tokens % 1024 == 0


def test_a_score_run_fingerprints_the_examples_by_content(dataset, tmp_path):
    def run(out):
        cfg = ScoreConfig(model="local:qwen2.5-coder-0.5b", tasks="tabletop:gensim-targets", greedy=True,
                          examples=str(dataset))
        return ScoreRun(cfg, tmp_path / out)

    first = run("a")
    assert first.prompt.shots == 3 and first.prompt.examples == str(dataset)
    dataset.write_text(dataset.read_text().replace("Stack three", "Stack four!"))  # a new size: a new version
    assert run("b").fingerprint != first.fingerprint


def test_bad_examples_are_one_clear_error(tmp_path):
    bad = tmp_path / "dataset.jsonl"
    bad.write_text('{"name": "x"}\n')
    with pytest.raises(UserError, match="instruction and program"):
        TabletopPrompt(examples=str(bad)).messages("x: y")
    with pytest.raises(UserError, match="takes no retrieved examples"):
        build_task_prompt("chat", examples=str(bad))

