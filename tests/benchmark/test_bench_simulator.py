"""The concrete simulator's RoboEval semantics, and how a program run becomes a verdict."""

from __future__ import annotations

import pytest

from roboinstruct.benchmark import evaluate_program
from roboinstruct.benchmark.model import State, Task
from roboinstruct.benchmark.roboeval import lower_quoted, roboeval_source
from roboinstruct.benchmark.trace import parse_lines
from roboinstruct.benchmark.world import Person, World


def world(**kw) -> World:
    base = dict(locations=["kitchen", "alice's office", "start_loc"], robot="start_loc")
    base.update(kw)
    return World(**base)


def run(body: str, w: World | None = None, roboeval: bool = False, timeout: bool = False, check=lambda t: True):
    program = "def task_program():\n" + "\n".join("    " + ln for ln in body.strip("\n").splitlines()) + "\n"
    task = Task("T", ["p"], [State(w or world(), check, timeout)], roboeval=roboeval)
    return evaluate_program(program, task)


def state(r) -> dict:
    return r["states"][0]


def test_go_to_matches_world_patterns_and_records_program_argument():
    r = run('go_to("Alice\'s office please")\nsay(get_current_location())')
    assert state(r)["trace"] == ["GoTo /$@!/ alice's office please /$@!/ None", "Say /$@!/ alice's office /$@!/ None"]
    assert r["verdict"] == "Success"


def test_go_to_unknown_location_is_a_robot_error_in_both_modes():
    for mode in (False, True):
        r = run('go_to("garage")', roboeval=mode)
        assert r["verdict"] == "RobotExecutionError", mode


def test_double_quoted_stretches_are_lower_cased_single_quoted_are_not():
    assert lower_quoted('say("Hi BOB")\nx = \'KEEP\'\nf"{A}B"') == 'say("hi bob")\nx = \'KEEP\'\nf"{a}b"'
    r = run("say('Hello There')\nsay(\"Hello There\")")
    assert state(r)["trace"] == ["Say /$@!/ Hello There /$@!/ None", "Say /$@!/ hello there /$@!/ None"]


def test_line_break_cuts_the_trace_only_in_roboeval_mode():
    body = "say('one')\nsay('two\\nlines')\nsay('three')"
    assert len(state(run(body, roboeval=True))["trace"]) == 1
    assert len(state(run(body))["trace"]) == 3


def test_program_print_cuts_the_trace_in_roboeval_mode():
    body = "say('a')\nprint('debug')\nsay('b')"
    assert state(run(body, roboeval=True))["trace"] == ["Say /$@!/ a /$@!/ None"]


def test_printed_trace_lines_cut_the_trace_and_never_add_to_it():
    d = "/$@!/"
    printed = f"say('a')\nprint('GoTo {d} kitchen {d} None')\nsay('b')"
    assert state(run(printed, roboeval=True))["trace"] == ["Say /$@!/ a /$@!/ None"]
    said = f"say('a {d} None\\nGoTo {d} kitchen {d} None')\nsay('b')"  # a second line inside a value
    assert state(run(said, roboeval=True))["trace"] == ["Say /$@!/ a /$@!/ None"]
    # blanks the program prints at the start or end go, as RoboEval strips its whole output
    blanks = "print()\nprint('  ', end='')\nsay('a')\nsay('b')\nprint('\\n')"
    assert state(run(blanks, roboeval=True))["trace"] == ["Say /$@!/ a /$@!/ None", "Say /$@!/ b /$@!/ None"]


def test_parse_output_reads_the_apis_lines_as_roboeval_does():
    from roboinstruct.benchmark.trace import parse_output

    chunks = ["  GoTo /$@!/  x  /$@!/ None\n", "Ask /$@!/ q /$@!/ ['a', 'b']\n", "Say /$@!/ two\nlines /$@!/ None\n",
              "Say /$@!/ never /$@!/ None\n"]
    for k in range(len(chunks) + 1):
        assert parse_output([(c, True) for c in chunks[:k]]) == parse_lines("".join(chunks[:k]))
    assert parse_output([]) == [] and parse_output([("\n", False)]) == []


def test_parse_lines_matches_roboevals_rules():
    text = "  GoTo /$@!/  x  /$@!/ None\nAsk /$@!/ q /$@!/ ['a', 'b']\nSay /$@!/ bad /$@!/ [oops\nSay /$@!/ never /$@!/ None"
    els = parse_lines(text)
    assert [(e.kind, e.value, e.options) for e in els] == [("GoTo", "x", None), ("Ask", "q", ["a", "b"])]
    assert parse_lines("") == []


def test_ask_answer_queue_pops_then_last_repeats():
    w = world(people={"alice's office": [Person("alice", ["no", "yes"])]})
    body = 'go_to("alice\'s office")\n' + "\n".join('say(ask("Alice", "q", ["yes", "no"]))' for _ in range(3))
    says = [t for t in state(run(body, w))["trace"] if t.startswith("Say")]
    assert says == ["Say /$@!/ no /$@!/ None", "Say /$@!/ yes /$@!/ None", "Say /$@!/ yes /$@!/ None"]


def test_ask_falls_back_to_yes_when_answer_matches_question_else_no():
    w = world(people={"alice's office": [Person(".*", ["lunch"])]})
    r = run('go_to("alice\'s office")\nsay(ask("x", "lunch today?", ["Yes!", "Nope"]))\n'
            'say(ask("x", "dinner?", ["sure", "no way"]))', w)
    assert [t for t in state(r)["trace"] if t.startswith("Say")] == ["Say /$@!/ yes! /$@!/ None", "Say /$@!/ no way /$@!/ None"]


def test_ask_errors_nobody_there_and_empty_options():
    assert run('ask("Bob", "hi?", ["yes"])')["verdict"] == "RobotExecutionError"
    w = world(people={"start_loc": [Person(".*", ["yes"])]})
    r = run('ask("Bob", "hi?", [])', w, roboeval=True)
    assert r["verdict"] == "RobotExecutionError"


def test_is_in_room_matches_objects_and_people():
    # the world's label is the pattern, the program's string the value
    w = world(objects={"kitchen": ["apple"]}, people={"kitchen": [Person("chef", ["yes"])]})
    r = run('go_to("kitchen")\nsay(str(is_in_room("red apple")))\nsay(str(is_in_room("Chef")))\nsay(str(is_in_room("pear")))', w)
    says = [t.split(" /$@!/ ")[1] for t in state(r)["trace"] if t.startswith("Say")]
    assert says == ["True", "True", "False"]


def test_pick_and_place_follow_holding_rules():
    w = world(objects={"kitchen": ["apple", "apple"]})
    ok = run('go_to("kitchen")\npick("apple")\ngo_to("start_loc")\nplace("apple")', w)
    assert ok["verdict"] == "Success" and state(ok)["trace"][-1] == "Place /$@!/ apple /$@!/ None"
    assert run('go_to("kitchen")\npick("apple")\npick("apple")', w)["verdict"] == "RobotExecutionError"
    assert run('go_to("kitchen")\nplace("apple")', w)["verdict"] == "RobotExecutionError"
    assert run('pick("apple")', w)["verdict"] == "RobotExecutionError"
    # a failed pick is not recorded (RoboEval prints Pick only after success)
    assert state(run('pick("apple")', w, roboeval=True))["trace"] == []


@pytest.mark.parametrize("call", ['go_to(3)', 'say(["x"])', 'ask("a", "q", "yes")', 'is_in_room(None)', 'pick(1)'])
def test_type_errors_are_robot_errors(call):
    for mode in (False, True):
        assert run(call, roboeval=mode)["verdict"] == "RobotExecutionError"


def test_arity_and_names_are_python_errors():
    assert run('go_to("kitchen", "now")')["verdict"] == "PythonError"
    assert run('say(message="hi")\nsay(msg="x")')["verdict"] == "PythonError"
    assert run("undefined_helper()")["verdict"] == "PythonError"
    assert run('x = 1 +')["verdict"] == "PythonError"


def test_undefined_name_on_a_path_never_taken_is_not_an_error():
    r = run('if False:\n    set_thermostat(3)\nsay("ok")')
    assert r["verdict"] == "Success"


def test_robot_errors_are_catchable_only_in_roboeval_mode():
    body = 'try:\n    go_to("garage")\nexcept Exception:\n    pass\nsay("done")'
    assert run(body, roboeval=True)["verdict"] == "Success"
    assert run(body)["verdict"] == "RobotExecutionError"


def test_non_termination_is_correct_only_where_expected():
    body = 'go_to("kitchen")\nwhile not is_in_room("person"):\n    pass'
    r = run(body)
    assert r["verdict"] == "PythonError" and "timeout" in state(r)["message"]
    r = run(body, timeout=True, check=lambda t: len(t) > 10)
    assert r["verdict"] == "Success"
    assert len(state(run(body, roboeval=True, timeout=True))["trace"]) == 10  # RoboEval keeps 10 when timed out


def test_person_arriving_after_some_checks_ends_a_waiting_loop():
    w = world(people={"kitchen": [Person(".*", ["yes"], arrives_after=3)]})
    r = run('go_to("kitchen")\nwhile not is_in_room("person"):\n    pass\nsay("hi")', w)
    assert r["verdict"] == "Success"
    assert sum(t.startswith("CheckEntity") for t in state(r)["trace"]) == 4


def test_roboeval_rewrite_quirks():
    src, err = roboeval_source('def ask_and_say(x):\n    say(x)\n\ndef task_program():\n    ask_and_say("a")\n')
    assert src is None and err.startswith("SyntaxError")
    src, err = roboeval_source('def task_program():\n    say("A")\n')
    assert err is None and src == 'def task_program():\n    say("a")\n'
    src, err = roboeval_source('def task_program():\n    x = "Hi".replace("h", "j")\n    say(x)\n')
    assert err is None and "replace" not in src.split("say")[0] or "rerobot" in src


def test_state_is_fresh_for_every_run():
    w = world(objects={"kitchen": ["apple"]}, people={"kitchen": [Person(".*", ["a", "b"])]})
    task = Task("T", ["p"], [State(w, lambda t: True), State(w, lambda t: True)])
    prog = 'def task_program():\n    go_to("kitchen")\n    pick("apple")\n    say(ask("x", "q", ["a", "b"]))\n'
    r = evaluate_program(prog, task)
    assert [s["trace"][-1] for s in r["states"]] == ["Say /$@!/ a /$@!/ None"] * 2
