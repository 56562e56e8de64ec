"""The built-in held-out suites: ours (`tabletop:heldout`) and GenSim's fine-tuning targets."""

from roboinstruct.core.kinds import open_suite
from roboinstruct.tabletop.tasks.heldout import load_heldout

PAPER_TARGETS = ["align-rainbow-along-line", "cylinder-in-colorful-container", "splitting-piles",
                 "stack-cylinder-pyramid", "build-pyramid-in-zone", "block-on-cylinder-on-pallet",
                 "align-cylinder-in-zone", "construct-symmetric-block-wall", "insert-blue-on-red-cylinder",
                 "rainbow-pyramid"]


def test_gensim_targets_are_a_scoring_suite():
    suite = open_suite("tabletop:gensim-targets")
    assert list(suite.tasks) == PAPER_TARGETS and suite.prompt_format == "tabletop"
    task = suite.tasks["rainbow-pyramid"]
    assert task.prompts == [f"rainbow-pyramid: {task.description}"] and "stacking" in task.requires
    assert not set(suite.tasks) & set(load_heldout("tabletop:heldout"))


def test_gensim_targets_judge_answers_as_gensim_does():
    """GenSim's own file for a target, as a model's answer: GenSim's dialect and rule pass it (with the
    checkout's assets), the strict verdict stops at the template GenSim leaves unfilled."""
    from pathlib import Path

    import pytest

    from roboinstruct.tabletop.tasks.heldout import evaluate, read_suite

    checkout = Path(__file__).resolve().parents[3].parent / "shared" / "gensim"
    if not checkout.is_dir():
        pytest.skip("../shared/gensim is absent")
    spec = read_suite(f"tabletop:gensim-targets:{checkout}")
    assert spec.judge == "gensim" and spec.checkout == str(checkout)
    code = (checkout / "cliport" / "generated_tasks" / "align_cylinder_in_zone.py").read_text()
    rows = [{"key": "a", "task": "align-cylinder-in-zone", "program": code}]
    out = {}
    for judge in ("gensim", "strict"):
        evaluate(rows, spec.tasks, 1, lambda i, r, j=judge: out.__setitem__(j, r), judge, spec.checkout)
    assert out["gensim"]["verdict"] == "Success" and out["gensim"]["stage"] == "pass"
    assert out["strict"]["verdict"] == "RobotExecutionError" and out["strict"]["stage"] == "templates"


def test_a_missing_checkout_or_an_unknown_judge_is_one_clear_error(tmp_path):
    import pytest

    from roboinstruct.errors import UserError
    from roboinstruct.tabletop.tasks.heldout import read_suite

    with pytest.raises(UserError, match="no GenSim checkout"):
        read_suite(f"tabletop:gensim-targets:{tmp_path / 'none'}")
    bad = tmp_path / "s.yaml"
    bad.write_text("judge: lenient\ntasks: [{name: a, description: b}]\n")
    with pytest.raises(UserError, match="judge 'lenient'"):
        read_suite(f"tabletop:{bad}")
    assert read_suite("tabletop:heldout").judge == "strict"
