"""Learning on a GenSim checkout's tasks: demonstrations and evaluation run in GenSim's dialect (the
job carries it), evaluation reports GenSim's reward with partial credit beside its binary rule, and
task-balanced sampling gives every task the same updates whatever its episodes' lengths."""

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from roboinstruct.tabletop.learning import demos
from roboinstruct.tabletop.learning.evaluate import evaluate
from roboinstruct.tabletop.learning.train import TrainSettings, load_steps, train
from roboinstruct.tabletop.tasks.sources import collect

FAKE = Path(__file__).parents[1] / "fake_gensim"
BALL = "cliport/generated_tasks/ball_in_zone.py"


def test_a_job_carries_the_candidates_dialect():
    (own,) = collect(["place-red-in-green"])
    assert demos.dialect_of(own) == {}
    gensim = next(c for c in collect([], str(FAKE)) if c.file == BALL)
    carried = demos.dialect_of(gensim)
    assert carried["dialect"] == "gensim" and carried["assets"] is gensim.assets


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Oracle episodes of two tasks with different episode lengths: a GenSim file and a library task."""
    out = tmp_path_factory.mktemp("gensim-demos")
    ball = next(c for c in collect([], str(FAKE)) if c.file == BALL)
    a = demos.record([ball], episodes=2, seed=0, out=out / "ball", workers=1)
    b = demos.record(collect(["stack-block-pyramid"]), episodes=3, seed=0, out=out / "pyramid", workers=1)
    return out, ball, a, b


def test_gensim_demonstrations_and_evaluation_with_partial_credit(recorded, tmp_path):
    out, ball, summary, _ = recorded
    assert summary["kept"] == 2  # recorded in GenSim's dialect: its oracle succeeds
    train([out / "ball"], tmp_path / "untrained", TrainSettings(steps=0, rotations=4))
    (res,) = evaluate(tmp_path / "untrained", [ball], episodes=2, workers=1)
    assert res["rule"] == "gensim" and res["episodes"] == 2 and len(res["rewards"]) == 2
    assert all(0.0 <= r <= 1.0 for r in res["rewards"])
    assert res["reward_mean"] == pytest.approx(sum(res["rewards"]) / 2, abs=1e-3)
    # GenSim's binary rule: a success is a reward over 0.99
    assert res["success"] == sum(r > 0.99 for r in res["rewards"])


def test_task_balanced_sampling_evens_out_updates(recorded, tmp_path):
    out, _, _, pyramid = recorded
    folders = [out / "ball", out / "pyramid"]
    transitions = {f.name: len(load_steps([f])[0]) for f in folders}
    expected = transitions["pyramid"] / sum(transitions.values())  # uniform over steps favours the long episodes
    assert pyramid["kept"] == 3 and expected > 0.65
    by_steps = train(folders, tmp_path / "steps", TrainSettings(steps=25, batch=2, rotations=2))
    by_tasks = train(folders, tmp_path / "tasks", TrainSettings(steps=25, batch=2, rotations=2, sample="tasks"))
    assert by_tasks["samples"] == by_steps["samples"] == 50  # training samples: steps x batch
    steps_share = by_steps["samples_per_task"]["StackBlockPyramid"] / 50
    tasks_share = by_tasks["samples_per_task"]["StackBlockPyramid"] / 50
    assert abs(steps_share - expected) < 0.15 and abs(tasks_share - 0.5) < 0.15 and steps_share > tasks_share
    assert by_tasks["transitions"] == by_steps["transitions"] == sum(transitions.values())
