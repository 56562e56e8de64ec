"""Prompt formats (chat, fewshot, RoboEval's own files) and 95% intervals, through the real
score command against a real loopback OpenAI-compatible server and a RoboEval-layout checkout."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from roboinstruct.core.intervals import difference_ci, pass_at_1_ci
from roboinstruct.cli import main
from roboinstruct.errors import UserError
from roboinstruct.llm.types import ChatRequest, CompletionRequest
from roboinstruct.taskprompt import ROBOEVAL_STOPS, TaskPrompt, build_task_prompt, roboeval_prompt_files

TESTS = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FaultServer = _load("faultserver_for_score", TESTS / "llm" / "faultserver.py").FaultServer
make_checkout = _load("bench_conftest_for_score", TESTS / "benchmark" / "conftest.py").make_checkout

# A look-alike completion prefix (written here): API stubs, one worked example, the instruction comment.
PREFIX = ('"""Robot task programs."""\n\n# Go to the kitchen.\ndef go_to(location : str) -> None:\n    ...\n\n'
          '# Say hello in the lobby\ndef task_program():\n    go_to("lobby")\n    say("hello")\n\n# Instruction: ')
BODY = '    go_to("supply room")\n    say("done")\n'


@pytest.fixture
def checkout(tmp_path):
    root = make_checkout(tmp_path / "codebotler", "codebotler")
    (root / "code_generation").mkdir()
    (root / "code_generation" / "prompt_prefix.py").write_text(PREFIX)
    return root


def test_roboeval_format_is_the_checkouts_files_unchanged(checkout):
    prefix, suffix, where = roboeval_prompt_files(checkout / "benchmark" / "tasks")  # found from the tasks dir too
    assert prefix == PREFIX and where == checkout / "code_generation"
    tp = TaskPrompt("roboeval", prefix=prefix, suffix=suffix)
    req = tp.request("Bring a  stapler", temperature=0)
    assert isinstance(req, CompletionRequest) and req.stop == ROBOEVAL_STOPS
    assert req.prompt == PREFIX + "Bring a stapler\ndef task_program():\n"
    # the answer is the body: cut where the model leaves the function, the def line restored
    program = tp.program(BODY + "\n# Instruction: the next task\ndef task_program():\n    pass\n")
    assert program == "def task_program():\n" + BODY
    assert tp.target_text("def task_program():\n" + BODY) == BODY
    with pytest.raises(UserError, match="prompt_prefix.py"):
        roboeval_prompt_files(checkout.parent / "elsewhere")


def test_fewshot_format_shows_the_domains_seed_pairs():
    tp = build_task_prompt("fewshot")
    req = tp.request("Bring me a pen")
    assert isinstance(req, ChatRequest)
    roles = [m["role"] for m in req.messages]
    assert roles[0] == "system" and roles.count("assistant") == 6 and req.messages[-1]["content"] == "Bring me a pen"
    assert all(m["content"].startswith("```python\ndef task_program") for m in req.messages if m["role"] == "assistant")


def test_score_with_roboeval_prompts_through_a_server(checkout, tmp_path, capsys):
    tasks = f"roboeval:{checkout}"
    with FaultServer(default=("text", BODY)) as srv:
        code = main(["score", "--model", "openai:m", "--base-url", srv.url, "--tasks", tasks, "--greedy",
                     "--prompt-format", "roboeval", "--out", str(tmp_path / "s")])
        sent = [r for r in srv.requests if r["path"].endswith("/completions")]
    assert code == 0 and sent and all(r["body"]["prompt"].startswith(PREFIX) for r in sent)
    assert all(r["body"]["prompt"].endswith("\ndef task_program():\n") for r in sent)
    res = json.loads((tmp_path / "s" / "results.json").read_text())
    assert res["config"]["prompt_format"] == "roboeval"
    lo, hi = res["pass@1_ci95"]
    assert 0 <= lo <= res["pass@1"] <= hi <= 1 and "bootstrap over tasks" in res["ci_method"]
    rows = [json.loads(x) for x in (tmp_path / "s" / "completions.jsonl").read_text().splitlines()]
    assert rows and all(s == BODY for r in rows for s in r["samples"])
    with FaultServer(default=("text", BODY)) as srv:  # the chat format is another run: refused in the same --out
        assert main(["score", "--model", "openai:m", "--base-url", srv.url, "--tasks", tasks, "--greedy",
                     "--out", str(tmp_path / "s")]) == 2
    assert "holds score run" in capsys.readouterr().err


def test_intervals():
    perfect = {f"T{t}/{p}": 1.0 for t in range(5) for p in range(3)}
    assert pass_at_1_ci(perfect) == (1.0, 1.0)
    mixed = {**{f"T{t}/0": float(t % 2) for t in range(10)}, **{f"T{t}/1": float(t % 2) for t in range(10)}}
    lo, hi = pass_at_1_ci(mixed)
    assert lo < 0.5 < hi and pass_at_1_ci(mixed) == (lo, hi)  # seeded: the same every time
    d, dlo, dhi = difference_ci(mixed, mixed)
    assert d == 0 and dlo <= 0 <= dhi
    better = {k: 1.0 for k in mixed}
    d, dlo, dhi = difference_ci(mixed, better)
    assert d == 0.5 and dlo > 0
    assert difference_ci(mixed, {"X/0": 1.0}) is None


def test_finetune_text_matches_the_roboeval_prompt(checkout):
    from roboinstruct.finetune.data import IGNORE_INDEX, encode_pair

    class Tok:  # a character tokenizer: enough to check the prompt/completion boundary
        eos_token_id = 0

        def __call__(self, text, add_special_tokens=False):
            return {"input_ids": [ord(c) for c in text]}

    tp = build_task_prompt("roboeval", str(checkout))
    row = encode_pair(Tok(), "Say done", "def task_program():\n" + BODY, max_len=10_000, prompt=tp)
    prompt = "".join(chr(i) for i in row["input_ids"][: row["prompt_tokens"]])
    target = "".join(chr(i) for i, lab in zip(row["input_ids"], row["labels"]) if lab != IGNORE_INDEX and i)
    assert prompt == PREFIX + "Say done\ndef task_program():\n" and target == BODY
