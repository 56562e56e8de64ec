"""robosim.callsites: which recorded calls a program's own text can make (the parent's check of a record)."""

import ast

from roboinstruct.domain import load_domain
from roboinstruct.robosim.callsites import CallSites

API = load_domain().functions


def sites(body: str) -> CallSites:
    return CallSites(ast.parse("def task_program():\n" + body), API)


def test_literal_calls_fix_name_line_and_arguments():
    s = sites('    go_to("office")\n    say("hi " + get_current_location())\n')
    assert s.checked
    assert s.can_make("go_to", ("office",), 2)
    assert not s.can_make("go_to", ("kitchen",), 2)  # another sample's literal
    assert not s.can_make("say", ("office",), 2)  # no say() at that line
    assert s.can_make("say", ("hi anything",), 3)  # computed argument: any
    assert s.can_make("get_current_location", (), 3)
    assert not s.can_make("go_to", ("office",), None) and not s.can_make("go_to", ("office",), 9)


def test_a_call_over_several_lines_is_made_from_any_of_them():
    s = sites('    ask(\n        "Alice",\n        "Tea?",\n        ["yes", "no"],\n    )\n')
    assert all(s.can_make("ask", ("Alice", "Tea?", ["yes", "no"]), line) for line in (2, 3, 4, 5, 6))


def test_literal_types_must_match():
    s = sites('    go_to("1")\n')
    assert not s.can_make("go_to", (1,), 2) and s.can_make("go_to", ("1",), 2)


def test_programs_that_pass_or_rebind_api_functions_are_not_checked():
    for body in ('    for _ in map(go_to, get_all_rooms()):\n        pass\n',
                 '    f = say\n    f("x")\n',
                 '    def say(x):\n        return x\n    say("hi")\n',
                 '    def helper(go_to):\n        go_to("x")\n',
                 '    try:\n        pass\n    except Exception as pick:\n        pass\n'):
        s = sites(body)
        assert not s.checked, body
        assert s.can_make("go_to", ("anywhere",), None)
