"""`score --tasks tabletop:heldout`: task files from a (loopback) model, validated in PyBullet,
with pass@1, intervals, per-stage counts — and the adapter contamination guard."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from roboinstruct.cli import main
from roboinstruct.tabletop.tasks.heldout import contaminated, load_heldout
from roboinstruct.tabletop.prompt.format import TabletopPrompt
from roboinstruct.taskprompt import build_task_prompt

pytest.importorskip("pybullet")
TESTS = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("faultserver_for_tabletop", TESTS / "llm" / "faultserver.py")
faultserver = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faultserver)
STACK = (TESTS / "tabletop" / "fake_gensim" / "cliport" / "tasks" / "stack_three_blocks.py").read_text()


def test_suite_has_20_tasks_with_requirements():
    suite = load_heldout("tabletop:heldout")
    assert len(suite) >= 20 and all(t.requires for t in suite.values())
    from roboinstruct.tabletop.tasks.sources import library

    assert not set(suite) & set(library())  # held out from the base library too


def test_prompt_is_the_api_reference_and_the_request():
    tp = build_task_prompt("chat", tasks="tabletop:heldout")
    assert isinstance(tp, TabletopPrompt)
    req = tp.request("ball-into-bowl: Put the green ball into the bowl.", temperature=0)
    system, user = (m["content"] for m in req.messages)
    assert "self.add_goal(" in system and "'bowl/bowl.urdf'" in system
    assert "Name: ball-into-bowl" in user and "Put the green ball" in user
    assert tp.program("Here:\n```python\nclass A(Task):\n    pass\n```\nDone.") == "class A(Task):\n    pass\n"
    assert tp.target_text("class A(Task):\n    pass\n").startswith("```python\nclass A")


def test_score_heldout_through_a_server(tmp_path):
    answer = f"```python\n{STACK}```"
    with faultserver.FaultServer(default=("text", answer)) as srv:
        code = main(["score", "--model", "openai:m", "--base-url", srv.url, "--tasks", "tabletop:heldout",
                     "--greedy", "--limit", "ball-into-bowl,red-block-on-blue-block,tall-tower-of-four",
                     "--out", str(tmp_path / "s")])
    assert code == 0
    res = json.loads((tmp_path / "s" / "results.json").read_text())
    # the same valid stacking task answers all three: it is a tower of blocks, not a ball in a bowl
    assert res["per_task"] == {"ball-into-bowl": 0.0, "red-block-on-blue-block": 1.0, "tall-tower-of-four": 1.0}
    assert res["stage_breakdown"] == {"requirements": 1, "pass": 2}
    lo, hi = res["pass@1_ci95"]
    assert lo <= res["pass@1"] <= hi


def test_contamination_guard_reads_the_adapters_dataset(tmp_path):
    data = tmp_path / "dataset.jsonl"
    data.write_text(json.dumps({"instruction": "ball-into-bowl: put the green ball into the bowl.",
                                "program": "x"}) + "\n")
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    from roboinstruct.finetune.card import KIND

    (adapter / "manifest.json").write_text(json.dumps({"kind": KIND, "fingerprint": "f", "dataset": {"path": str(data)}}))
    suite = load_heldout("tabletop:heldout")
    assert contaminated(str(adapter), suite) == ["ball-into-bowl"]


def test_finetune_rows_use_the_same_task_code_prompt(tmp_path):
    from roboinstruct.finetune.data import IGNORE_INDEX, encode_pair, load_training_data

    class Tok:  # a character tokenizer with a chat template: enough to check the boundary
        eos_token_id = 0
        chat_template = "x"

        def __call__(self, text, add_special_tokens=False):
            return {"input_ids": [ord(c) for c in text]}

        def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=True):
            return "".join(f"<{m['role']}>{m['content']}" for m in messages) + "<assistant>"

    run = tmp_path / "run"
    run.mkdir()
    (run / "dataset.jsonl").write_text(json.dumps({"instruction": "stack-three: Stack three blocks.",
                                                   "program": STACK}) + "\n")
    (run / "manifest.json").write_text(json.dumps({"kind": "gensim", "fingerprint": "abc"}))
    data = load_training_data(run)
    assert data.pairs == [("stack-three: Stack three blocks.", STACK.rstrip())] and data.manifest["kind"] == "gensim"
    tp = TabletopPrompt()
    row = encode_pair(Tok(), *data.pairs[0], max_len=100_000, prompt=tp)
    prompt = "".join(chr(i) for i in row["input_ids"][: row["prompt_tokens"]])
    target = "".join(chr(i) for i, lab in zip(row["input_ids"], row["labels"]) if lab != IGNORE_INDEX and i)
    scored = tp.request("stack-three: Stack three blocks.").messages
    assert prompt == "".join(f"<{m['role']}>{m['content']}" for m in scored) + "<assistant>"
    assert tp.program(target) == STACK  # what the model learns to write is what scoring reads back


def test_a_real_model_scores_with_long_examples_shown(small_model, tmp_path):
    """Through the real path: the embedded 0.5B answers a GenSim target with two library task files
    shown whose length overflows the default 4096-token context: the run gets the room it needs."""
    long_code = "class Long(Task):\n" + "".join(f"    # step {i}: move block {i} onto the pallet\n" for i in range(120))
    lib = tmp_path / "dataset.jsonl"
    lib.write_text("".join(json.dumps({"instruction": f"cylinder-task-{i}: Move each cylinder into its zone.",
                                       "program": long_code}) + "\n" for i in range(2)))
    out = tmp_path / "score"
    assert main(["score", "--model", "local:qwen2.5-coder-0.5b", "--tasks", "tabletop:gensim-targets",
                 "--limit", "align-cylinder-in-zone", "--greedy", "--max-tokens", "24", "--workers", "1",
                 "--examples", str(lib), "--shots", "2", "--out", str(out)]) == 0
    results = json.loads((out / "results.json").read_text())
    assert results["programs"] == 1 and results["config"]["examples"] == str(lib)
    sample = json.loads((out / "completions.jsonl").read_text().splitlines()[0])["samples"][0]
    assert not sample.startswith("# request failed"), sample  # a context overflow fails the request
