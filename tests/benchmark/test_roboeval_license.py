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


@needs_checkout
@pytest.mark.parametrize("fmt", ["stubs", "fewshot"])
def test_training_layouts_carry_no_roboeval_text(fmt):
    """A fine-tuning example is the prompt text plus the program: in the RoboEval-like layout
    (stubs) and the few-shot chat, none of RoboEval's prompts or examples appears in it."""
    from roboinstruct.taskprompt import build_task_prompt

    class Tok:  # the plain sectioned layout for chat formats; stubs is a completion prompt
        chat_template = None

    text = build_task_prompt(fmt).prompt_text(Tok(), "Bring me a pen from the supply room.")
    norm = " ".join(text.lower().split())
    for kind, label, protected in protected_texts(str(CHECKOUT)):
        snippet = " ".join(protected.lower().split())
        if kind == "program":  # a program body, compared line by line (the def line is shared by design)
            body = [ln for ln in snippet.split(" ") if ln]
            assert " ".join(body[4:20]) not in norm, label
        else:
            assert snippet[:60] not in norm, label
    # and the example pairs the layout shows are the domain's seeds, clear of RoboEval
    examples = []
    for chunk in text.split("# Instruction: ")[1:-1]:
        instruction, _, program = chunk.partition("\n")
        examples.append((instruction, program))
    assert license_violations(examples, str(CHECKOUT)) == []
