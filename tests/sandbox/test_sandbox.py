"""The static allow-list and the runtime guards (sandbox.py, explore.py)."""

import pytest

from roboinstruct.domain import load_domain
from roboinstruct.robosim.explore import explore
from roboinstruct.sandbox import ProgramCache, ProgramRejected, check_program


def prog(body: str) -> str:
    return "def task_program():\n" + "\n".join("    " + ln for ln in body.strip("\n").split("\n")) + "\n"


STATIC_REJECTS = {
    "import_os": ("import os", "import of 'os'"),
    "from_os": ("from os import system", "import from 'os'"),
    "private_of_shim": ("import random\nrandom._inst", "private"),
    "dunder_walk": ("x = ().__class__.__bases__[0].__subclasses__()", "private"),
    "func_globals": ("g = go_to.__globals__", "__globals__"),
    "frame_walk": ("g = (x for x in []).gi_frame", "gi_frame"),
    "traceback_walk": ("try:\n    1/0\nexcept Exception as e:\n    e.with_traceback(None)", "with_traceback"),
    "open": ("open('/etc/passwd')", "'open'"),
    "eval": ("eval('1')", "'eval'"),
    "exec": ("exec('x=1')", "'exec'"),
    "getattr": ("getattr(go_to, 'x')", "'getattr'"),
    "globals": ("globals()", "'globals'"),
    "builtins_name": ("__builtins__", "'__builtins__'"),
    "dunder_import": ("__import__('os')", "'__import__'"),
    "vars": ("vars()", "'vars'"),
    "input": ("input()", "'input'"),
    "breakpoint": ("breakpoint()", "'breakpoint'"),
    "format_map": ("'{x}'.format_map({'x': 1})", "format_map"),
    "format_alias": ("f = '{}'.format\nf(1)", "'.format' may only be called"),
    "class_def": ("class A:\n    pass", "class definitions"),
    "generator": ("def g():\n    yield 1\nlist(g())", "generators"),
    "with_block": ("with x:\n    pass", "with blocks"),
    "finally_continue": ("while True:\n    try:\n        go_to('a')\n    finally:\n        continue", "finally"),
    "match_class_attr": ("match 1:\n    case int(__class__=c):\n        pass", "private"),
    "match_class_format": ("match 's':\n    case str(format=f):\n        pass", "'.format' may only"),
    "base_exception": ("try:\n    go_to('a')\nexcept BaseException:\n    pass", "BaseException"),
}


@pytest.mark.parametrize("name", sorted(STATIC_REJECTS))
def test_static_rejects(name, domain):
    body, fragment = STATIC_REJECTS[name]
    with pytest.raises(ProgramRejected) as e:
        check_program(prog(body), domain.policy())
    assert fragment in e.value.message
    v = explore(prog(body))
    assert not v.valid and v.paths == 0 and v.error_kind in ("SandboxError", "PythonError")


RUNTIME_REJECTS = {
    "format_attribute": ("'{0.__class__}'.format(1)", "attribute or index"),
    "format_index": ("'{0[0]}'.format([1])", "attribute or index"),
    "format_on_type": ("str.format('{0.__class__}', 1)", "only allowed on strings"),
    "type_three_args": ("type('X', (), {})", "TypeError"),
}


@pytest.mark.parametrize("name", sorted(RUNTIME_REJECTS))
def test_runtime_guards(name):
    body, fragment = RUNTIME_REJECTS[name]
    v = explore(prog(body))
    assert not v.valid and fragment in v.message


LEGIT = {
    "sleep_without_import": "time.sleep(2)\nsay('waited')",
    "import_time": "import time\nfrom time import sleep\nsleep(1)\ntime.sleep(1)",
    "string_methods": "s = ' Kitchen '.strip().lower().replace('k', 'K')\nsay(s.upper() + s.title())",
    "list_dict_methods": "d = {}\nd.setdefault('a', []).append(1)\nl = sorted(d.items())\nl.reverse()\nsay(str(l))",
    "fstrings_and_format": "n = 3\nsay(f'{n:>4} items {n!r}')\nsay('{} and {name}'.format(1, name='x'))\nsay('%d%%' % 5)",
    "comprehensions": "rooms = get_all_rooms()\nx = {r: len(r) for r in rooms}\ny = [r for r in rooms if r]\nz = sum(len(r) for r in rooms)\nsay(str((x, y, z)))",
    "helpers_lambda": "def f(a, b=2):\n    return a * b\ng = lambda q: q + 1\nsay(str(f(g(1))))",
    "try_except": "try:\n    v = int('x')\nexcept ValueError as e:\n    v = len(e.args)\nexcept (KeyError, IndexError):\n    v = 0\nelse:\n    v = 1\nfinally:\n    say(str(v))",
    "bare_except": "try:\n    x = [][0]\nexcept:\n    x = 0\nsay(str(x))",
    "conversions": "say(str(int('4') + float('1.5')) + repr(bool(0)))",
    "global_counter": "global COUNT\nCOUNT = 1\nsay(str(COUNT))",
    "math_random": "import math\nimport random\nx = math.floor(2.5) + random.randint(1, 3)\nsay(str(x))",
    "print_is_harmless": "print('debug', 1)\nsay('ok')",
    "isinstance_type": "r = ask('', 'q?', ['a', 'b'])\nif isinstance(r, str) and type(r) == str:\n    say(r)",
    "match_on_answer": "match ask('', 'Tea?', ['yes', 'no']):\n    case 'yes':\n        say('ok')\n    case _:\n        say('no')",
    "raise_and_catch": "try:\n    raise ValueError('bad')\nexcept ValueError:\n    say('caught')",
}


@pytest.mark.parametrize("name", sorted(LEGIT))
def test_legitimate_programs_are_accepted(name):
    v = explore(prog(LEGIT[name]))
    assert v.valid, v.render()


def test_step_budget_cannot_be_swallowed():
    body = "while True:\n    try:\n        while True:\n            pass\n    except:\n        pass"
    v = explore(prog(body))
    assert v.error_kind == "StepBudgetExceeded"


def test_step_budget_counts_comprehension_items():
    v = explore(prog("x = [i for i in range(10 ** 9)]"))
    assert v.error_kind == "StepBudgetExceeded"


def test_compiled_once_per_source(domain):
    cache = ProgramCache()
    a = cache.get(prog("say('x')"), domain.policy())
    assert cache.get(prog("say('x')"), domain.policy()) is a
    assert cache.get(prog("say('y')"), domain.policy()) is not a
    # a different domain compiles separately (its API names differ)
    assert cache.get(prog("say('x')"), load_domain("service_robot").policy()) is a


def test_giant_output_is_capped():
    v = explore(prog("for i in range(100):\n    print('x' * 100000)\nplace('cup')"))
    assert len(v.counterexample["output"]) <= 2000
