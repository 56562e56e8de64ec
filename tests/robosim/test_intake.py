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
