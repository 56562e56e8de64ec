"""A forbidden builtin's name used only as a function's own variable (`input = ask(...)`, models
write it) is the program's variable, not the builtin: accepted, and run as Python runs it; any use
that could resolve to the builtin (module level, `global`, a read never assigned) stays rejected."""

import pytest

from roboinstruct.benchmark import load_tasks
from roboinstruct.benchmark.evaluate import evaluate_program, evaluate_programs
from roboinstruct.sandbox import Policy, ProgramCache, ProgramRejected
from roboinstruct.sandbox.policy import FORBIDDEN_NAMES
from roboinstruct.sandbox.scopes import function_locals

POLICY = Policy("beeper", frozenset({"beep"}), entry="main")


@pytest.mark.parametrize("source, own", [
    ("def main():\n    input = 1\n    beep(input)\n", {"input"}),
    ("def main():\n    object = 1\n    def f():\n        return object\n    beep(f())\n", {"object"}),
    ("def main():\n    for input in [1]:\n        beep(input)\n", {"input"}),
    ("def main(input=1):\n    beep(input)\n", {"input"}),
    ("input = 1\ndef main():\n    beep(input)\n", set()),  # a global: falls through to builtins if unset
    ("if False:\n    input = 1\ndef main():\n    input('x')\n", set()),
    ("def main():\n    global input\n    input = 1\n", set()),
    ("def main():\n    x = input('name?')\n", set()),  # read only: the builtin
    ("def main():\n    input = 1\ndef other():\n    input('x')\n", set()),  # one scope's builtin use is enough
])
def test_only_a_function_local_or_closure_name_counts_as_the_programs_own(source, own):
    assert function_locals(source, FORBIDDEN_NAMES) == own
    checked = ProgramCache().get(source, POLICY)
    if own:
        assert not isinstance(checked, ProgramRejected), checked.message
    else:
        assert isinstance(checked, ProgramRejected) and checked.kind == "SandboxError", source


def test_unanalysable_source_keeps_the_rejection():
    assert function_locals("def main(:\n", FORBIDDEN_NAMES) == set()


def test_the_evaluator_runs_a_completion_whose_variable_is_called_input():
    """Through the evaluator in its sandbox (RoboEval's own evaluator runs such a program): before,
    every state came back PythonError "name 'input' is not allowed"."""
    task = next(iter(load_tasks("builtin").values()))
    program = 'def task_program():\n    input = get_current_location()\n    go_to(input)\n    say("done")\n'
    [row] = evaluate_programs([{"task": task.name, "program": program}], workers=1)
    assert row["verdict"] in ("Success", "CompletionError"), row
    assert all(s["kind"] not in ("PythonError", "SandboxError") for s in row["states"]), row
    before_assignment = 'def task_program():\n    say(input)\n    input = 3\n'
    row = evaluate_program(before_assignment, task, 5000)
    assert row["verdict"] == "PythonError" and "UnboundLocalError" in row["message"], row
