"""Our own suite: shape, reference solutions pass (and are RoboSim-valid), wrong variants fail."""

from __future__ import annotations

import pytest

from roboinstruct.benchmark import evaluate_program, load_tasks
from roboinstruct.errors import UserError

SUITE = load_tasks("builtin")


def test_suite_shape():
    assert len(SUITE) >= 16
    for t in SUITE.values():
        assert len(t.prompts) == 5 and len(set(t.prompts)) == 5, t.name
        assert len(t.states) >= 2, t.name
        assert t.reference and len(t.wrong) >= 2, t.name
    cats = " ".join(t.category for t in SUITE.values())
    for need in ("exhaustive search", "conditional manipulation", "asking", "counting", "waiting",
                 "multi-step delivery", "holding constraints", "event ordering", "returning to start"):
        assert need in cats, need


@pytest.mark.parametrize("name", list(SUITE))
def test_reference_passes_and_wrong_variants_fail(name):
    task = SUITE[name]
    r = evaluate_program(task.reference, task)
    assert r["verdict"] == "Success", [(s["kind"], s.get("message")) for s in r["states"]]
    for variant, program in task.wrong.items():
        assert evaluate_program(program, task)["verdict"] != "Success", variant


def test_references_are_valid_under_robosim():
    from roboinstruct.verify import verify

    for name, task in SUITE.items():
        v = verify(task.reference, isolate=False)
        assert v.valid, (name, v.error_kind, v.message)


def test_yaml_errors_are_one_line_user_errors(tmp_path):
    (tmp_path / "bad.yaml").write_text("name: X\nprompts: [a]\nstates:\n  - locations: [a]\n    checks: ['exists(']\n")
    with pytest.raises(UserError, match="not a valid expression"):
        load_tasks(str(tmp_path))
    (tmp_path / "bad.yaml").write_text("name: X\nprompts: [a]\nstates:\n  - locations: [a]\n    robot: b\n    checks: ['True']\n")
    with pytest.raises(UserError, match="robot location"):
        load_tasks(str(tmp_path) + "/")


def test_a_user_directory_of_yaml_tasks(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "name: Hello\nprompts: [Say hello in the lab]\n"
        "helpers: |\n  def greeted(t):\n      return t.exists(Say('hello'))\n"
        "states:\n  - locations: [lab, hall]\n    robot: hall\n"
        "    checks: ['act_at_first(\"lab\", Say(\"hello\"))', 'greeted(t)']\n")
    suite = load_tasks(str(tmp_path))
    ok = 'def task_program():\n    go_to("lab")\n    say("Hello")\n'
    assert evaluate_program(ok, suite["Hello"])["verdict"] == "Success"
    assert evaluate_program('def task_program():\n    say("hello")\n', suite["Hello"])["verdict"] == "CompletionError"
