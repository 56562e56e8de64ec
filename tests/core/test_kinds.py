"""Domain kinds plug in by registering (`core.kinds`): score, finetune and taskprompt look a kind up
and never branch on its name."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from roboinstruct.core import kinds
from roboinstruct.errors import UserError
from roboinstruct.taskprompt import FORMATS, build_task_prompt

sys.path.insert(0, str(Path(__file__).parents[1] / "layout"))
from imports import modules  # noqa: E402

KIND_NAMES = ("tabletop", "gensim", "heldout")
NO_DOMAIN = ("roboinstruct.score", "roboinstruct.finetune", "roboinstruct.taskprompt", "roboinstruct.core")


def _branches_on_a_name(path: Path) -> list[str]:
    """String constants that a comparison or a startswith/endswith test holds, naming a kind."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        consts = []
        if isinstance(node, ast.Compare):
            consts = [n for n in [node.left, *node.comparators] if isinstance(n, ast.Constant)]
            consts += [e for n in node.comparators if isinstance(n, (ast.Tuple, ast.List, ast.Set))
                       for e in n.elts if isinstance(e, ast.Constant)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("startswith", "endswith", "partition"):
            consts = [a for a in node.args if isinstance(a, ast.Constant)]
        out += [f"{path.name}:{c.lineno} {c.value!r}" for c in consts
                if isinstance(c.value, str) and any(k in c.value for k in KIND_NAMES)]
    return out


def test_score_finetune_and_taskprompt_name_no_domain_kind():
    found = [hit for m, p in modules().items() if m.startswith(NO_DOMAIN) and m != "roboinstruct.core.kinds"
             for hit in _branches_on_a_name(p)]
    assert not found, found


def test_the_tabletop_kind_is_registered_not_hard_wired():
    assert "tabletop" in kinds.prompt_format_names() and "tabletop" in FORMATS
    assert kinds.suite_kind("tabletop:heldout") == "tabletop" and kinds.suite_kind("builtin") is None
    assert kinds.suite_kind("roboeval:/x") is None  # the program domain's own suites
    assert kinds.native_prompt_format("gensim").name == "tabletop" and kinds.native_prompt_format("x") is None
    assert build_task_prompt("chat", tasks="tabletop:heldout").format == "tabletop"


def test_a_new_kind_plugs_in_by_registering(monkeypatch):
    monkeypatch.setattr(kinds, "_PROMPT_FORMATS", dict(kinds._PROMPT_FORMATS))
    monkeypatch.setattr(kinds, "_SUITES", dict(kinds._SUITES))
    kinds.register_prompt_format("shout", "tests_kind_plugin:ShoutPrompt", datasets=("shouts",))
    kinds.register_suite("shout", "tests_kind_plugin:ShoutSuite")
    sys.modules["tests_kind_plugin"] = plugin = type(sys)("tests_kind_plugin")

    class ShoutPrompt:
        format = "shout"

    class ShoutSuite:
        prompt_format = "shout"

        def __init__(self, spec):
            self.spec, self.tasks = spec, {"t": None}

    plugin.ShoutPrompt, plugin.ShoutSuite = ShoutPrompt, ShoutSuite
    try:
        assert isinstance(build_task_prompt("chat", tasks="shout:x"), ShoutPrompt)
        assert kinds.open_suite("shout:x").tasks == {"t": None}
        assert kinds.native_prompt_format("shouts").name == "shout"
    finally:
        del sys.modules["tests_kind_plugin"]
    with pytest.raises(UserError):
        kinds.register_suite("bad", "no-colon")
