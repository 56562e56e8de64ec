import ast

from roboinstruct.robosim.intake import extract_program

BODY = 'def task_program():\n    go_to("kitchen")\n    say("hi")\n'


def _ok(text):
    ex = extract_program(text)
    assert ex.ok, ex.error
    ast.parse(ex.code)
    return ex.code


def test_plain_code_unchanged():
    assert _ok(BODY) == BODY


def test_markdown_fence_preamble_and_trailing_prose():
    text = f"Sure! Here is the program:\n\n```python\n{BODY}```\n\nThis program goes to the kitchen and says hi."
    assert _ok(text) == BODY


def test_missing_fences_with_prose_around():
    text = f"Here is the program:\n{BODY}\nThe robot greets the kitchen."
    assert _ok(text) == BODY


def test_code_after_the_function_helpers_kept_driver_dropped():
    text = BODY + "\n\ndef helper(x):\n    return x + 1\n\ntask_program()\n\nExplanation: it works."
    code = _ok(text)
    assert "def helper" in code and "task_program()\n" not in code.split("def helper")[1]
    assert "Explanation" not in code


def test_imports_and_constants_before_the_function_kept():
    text = "import time\nROOMS = ['a', 'b']\n\n" + BODY
    code = _ok(text)
    assert code.startswith("import time\nROOMS")


def test_main_guard_dropped():
    code = _ok(BODY + '\nif __name__ == "__main__":\n    task_program()\n')
    assert "__name__" not in code


def test_tabs_and_indented_block():
    tabbed = 'def task_program():\n\tgo_to("kitchen")\n\tsay("hi")\n'
    assert "go_to" in _ok(tabbed)
    indented = "    " + BODY.replace("\n", "\n    ")
    assert _ok(indented).startswith("def task_program():")


def test_picks_the_fence_that_defines_the_function():
    text = "```\npip install robot\n```\nthen\n```python\n" + BODY + "```"
    assert _ok(text) == BODY


def test_syntax_error_is_reported_not_raised():
    ex = extract_program('def task_program():\n    go_to("kitchen"\n    say("hi")\n')
    assert not ex.ok and ex.error.startswith("SyntaxError") and ex.line is not None


def test_no_function_at_all():
    ex = extract_program("I cannot help with that.")
    assert not ex.ok and "task_program" in ex.error


def test_non_string_input():
    assert not extract_program(None).ok


def _parsed_characters(monkeypatch) -> list[int]:
    """Characters handed to ast.parse by the intake (the parent extracts every program before any sandbox
    limit applies: its work must be bounded by the text, not by the text's square)."""
    import ast

    from roboinstruct.robosim import intake

    seen, parse = [], ast.parse
    monkeypatch.setattr(intake.ast, "parse", lambda src, *a, **k: seen.append(len(src)) or parse(src, *a, **k))
    return seen


def test_a_long_preamble_costs_a_bounded_parse(monkeypatch):
    """Lines that parse as prose ("Note: x": 8 KB took 9.5 s, 32 KB four minutes), lines of prose that do
    not parse, and code that fails only at its end: each earlier line was the start of a parse of all
    the rest. Now a prose line costs a parse of itself, and the search a bounded budget."""
    from roboinstruct.robosim.intake import PARSE_BUDGET

    tail = "import math\ndef task_program():\n    say('hi')\n"
    for preamble, kept in (("Note: x\n" * 4000, True), ("Here is the program you asked for.\n" * 4000, True),
                           ("\n" * 20000 + "Sure:\n", True), ("x = 1\n" * 40000 + ")\n", False)):
        seen = _parsed_characters(monkeypatch)
        ex = extract_program(preamble + tail)
        assert ex.ok and ex.code.startswith("import math" if kept else "def task_program"), ex.code[:40]
        assert sum(seen) <= PARSE_BUDGET + 4 * len(preamble + tail), (preamble[:10], sum(seen))
        monkeypatch.undo()


def test_a_fence_opener_without_a_newline_is_read_once():
    """'```' and a long run of word characters: the info-string pattern split the run every way it could
    (quadratic: 200,000 characters ~3 minutes)."""
    import signal

    def too_slow(*_):
        raise TimeoutError("the fence pattern backtracks")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(30)
    try:
        assert not extract_program("```" + "a" * 200_000).ok
        assert not extract_program("```" * 100_000).ok
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert _ok("```python extra words\n" + BODY + "```") == BODY  # an info string after the language still ends at its line
