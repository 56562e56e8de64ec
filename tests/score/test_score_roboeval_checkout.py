"""The RoboEval protocol against the real checkout (../shared/roboeval): the completion prompt
ends with RoboEval's own `def task_program():` (no newline), the model writes only the body,
and the score path must put the header back and cut at RoboEval's stops. A known-good body
(a dev program RoboEval's evaluator marks Success) must score Success on every prompt — this
path once scored every model 0/80."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from roboinstruct.cli import main
from roboinstruct.errors import UserError
from roboinstruct.finetune.settings import FinetuneSettings
from roboinstruct.taskprompt import ROBOEVAL_STOPS, build_task_prompt

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
CHECKOUT = REPO.parent / "shared" / "roboeval"
spec = importlib.util.spec_from_file_location("faultserver_for_roboeval", TESTS / "llm" / "faultserver.py")
faultserver = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faultserver)

needs_checkout = pytest.mark.skipif(not CHECKOUT.is_dir(), reason="../shared/roboeval is absent")


def _known_good_body(dev_programs, task: str) -> str:
    from roboinstruct.benchmark import evaluate_programs

    candidates = [{"task": task, "prompt_index": 0, "program": r["program"]} for r in
                  [r for r in dev_programs if r["task"] == task and not r["roboeval_runtime_errors"]][:10]]
    rows = evaluate_programs(candidates, f"roboeval:{CHECKOUT}", workers=1)
    program = next(r["program"] for r in rows if r["verdict"] == "Success")  # on prompt 0: the checker's own word
    head, _, body = program.partition("def task_program():")
    return body  # starts with "\n": what a model writes after the suffix's header


@needs_checkout
def test_real_suffix_header_is_put_back_and_stops_applied():
    tp = build_task_prompt("roboeval", prompt_files=str(CHECKOUT))
    assert tp.text("Say hi").endswith("def task_program():")  # the checkout's suffix, unchanged
    assert tp.request("Say hi").stop == ROBOEVAL_STOPS == ("\n#", "\ndef", "```", "import")
    answer = '\n    go_to("lobby")\n    say("hi")\n# Instruction: next\ndef task_program():\n    pass\n'
    assert tp.program(answer) == 'def task_program():\n    go_to("lobby")\n    say("hi")'
    assert tp.program('\n    say("a")\n```\ntext') == 'def task_program():\n    say("a")\n'
    assert tp.program('\n    say("a")\nprint(task_program())') == 'def task_program():\n    say("a")'
    # a body the model was taught to write after this prompt starts with the newline the suffix lacks
    assert tp.target_text('def task_program():\n    say("a")\n') == '\n    say("a")\n'


@needs_checkout
@pytest.mark.parametrize("task", ["CountSavory", "GrilledCheese"])
def test_known_good_body_scores_success_through_the_real_checkout(task, dev_programs, tmp_path, monkeypatch):
    body = _known_good_body(dev_programs, task) + "\n# Instruction: another task\ndef task_program():\n    pass\n"
    monkeypatch.chdir(REPO)  # the README's relative spelling: workers run elsewhere and must still find it
    with faultserver.FaultServer(default=("text", body)) as srv:
        code = main(["score", "--model", "openai:m", "--base-url", srv.url, "--tasks", "roboeval:../shared/roboeval",
                     "--prompt-format", "roboeval", "--greedy", "--limit", task, "--out", str(tmp_path / "s")])
        prompts = [r["body"]["prompt"] for r in srv.requests if r["path"].endswith("/completions")]
    assert code == 0 and len(prompts) == 5 and all(p.endswith("def task_program():") for p in prompts)
    res = json.loads((tmp_path / "s" / "results.json").read_text())
    assert res["pass@1"] == 1.0, res.get("errors")


def test_finetune_refuses_roboeval_prompt_files_by_license():
    with pytest.raises(UserError, match="license"):
        FinetuneSettings(prompt_format="roboeval", prompt_files=str(CHECKOUT)).validate()
