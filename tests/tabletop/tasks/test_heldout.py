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
