"""RoboEval's license forbids its contents as training data: the domain's seeds (shown in every
generation prompt and trained on through generated data) and the fine-tuning examples this
project renders stay clear of its task prompts and its prefix's example instructions/programs."""

from __future__ import annotations

from pathlib import Path

import pytest

from roboinstruct.benchmark.license import license_violations, prefix_examples, protected_texts
from roboinstruct.seedtasks import load_seeds

CHECKOUT = Path(__file__).resolve().parents[2].parent / "shared" / "roboeval"
needs_checkout = pytest.mark.skipif(not CHECKOUT.is_dir(), reason="../shared/roboeval is absent")


@needs_checkout
def test_the_checker_finds_what_it_protects():
    texts = protected_texts(str(CHECKOUT))
    assert sum(label.startswith("task prompt") for _, label, _ in texts) == 80
    assert sum(label.startswith("prefix program") for _, label, _ in texts) == 6
    prefix = (CHECKOUT / "roboeval" / "code_generation" / "prompt_prefix.py").read_text()
    first_instruction, first_program = prefix_examples(prefix)[0]
    # a copy, and a lightly reworded copy, are both found; an unrelated task is not
    assert license_violations([(first_instruction, "def task_program():\n    pass\n")], str(CHECKOUT))
    assert license_violations([("Say hi.", first_program.replace("start_loc", "origin"))], str(CHECKOUT))
    assert not license_violations([("Count the fire extinguishers in every lab and tell me.",
                                    "def task_program():\n    say('hi')\n")], str(CHECKOUT))


@needs_checkout
def test_seeds_are_not_roboeval_text():
    seeds = load_seeds(None, "service_robot")
    assert license_violations([(s.instruction, s.program) for s in seeds], str(CHECKOUT)) == []
