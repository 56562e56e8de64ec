"""Training data: completion-only masking verified on real tokens, EOS, and bad input."""

from __future__ import annotations

import json

import pytest
from ft_helpers import PAIRS, RUN_FINGERPRINT, write_run

from roboinstruct.errors import UserError
from roboinstruct.finetune.data import (
    IGNORE_INDEX,
    encode_dataset,
    encode_pair,
    load_training_data,
)
from roboinstruct.taskprompt import completion_text, program_messages, render_prompt


def test_prompt_tokens_are_masked_and_completion_ends_with_eos(tokenizer):
    instruction, program = PAIRS[1]
    row = encode_pair(tokenizer, instruction, program, max_len=2048)
    ids, labels = row["input_ids"], row["labels"]
    assert len(ids) == len(labels)
    prompt = render_prompt(tokenizer, program_messages(instruction))
    p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    # every prompt token is masked, no completion token is
    assert ids[: len(p_ids)] == p_ids
    assert labels[: len(p_ids)] == [IGNORE_INDEX] * len(p_ids)
    assert IGNORE_INDEX not in labels[len(p_ids):]
    assert labels[len(p_ids):] == ids[len(p_ids):]
    # the trained tokens are exactly the fenced program and then EOS: the model learns to stop
    assert ids[-1] == tokenizer.eos_token_id
    assert tokenizer.decode(labels[len(p_ids):-1]) == completion_text(program)
    assert "def task_program():" in tokenizer.decode(labels[len(p_ids):])


def test_prompt_is_the_evaluation_prompt(tokenizer):
    """Training continues exactly the text scoring shows the model: chat template with the
    domain's API in the system turn, the instruction as the user turn, assistant header last."""
    instruction = PAIRS[0][0]
    prompt = render_prompt(tokenizer, program_messages(instruction))
    assert prompt == tokenizer.apply_chat_template(program_messages(instruction), tokenize=False,
                                                   add_generation_prompt=True)
    assert "def go_to" in prompt or "go_to(" in prompt
    assert prompt.rstrip().endswith("assistant")
    assert instruction in prompt


def test_trl_collator_keeps_the_mask(tokenizer):
    """What the trainer actually sees: TRL's collator pads, and padded/prompt labels stay -100."""
    from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

    rows = [encode_pair(tokenizer, a, b, max_len=2048) for a, b in PAIRS[:2]]
    collate = DataCollatorForLanguageModeling(pad_token_id=tokenizer.pad_token_id)
    batch = collate([{"input_ids": r["input_ids"], "labels": r["labels"]} for r in rows])
    for i, r in enumerate(rows):
        labels = batch["labels"][i].tolist()
        trained = [t for t in labels if t != IGNORE_INDEX]
        assert trained == r["input_ids"][r["prompt_tokens"]:]


def test_max_len_truncates_or_drops(tokenizer, run_dir):
    data = load_training_data(run_dir)
    full = encode_pair(tokenizer, *PAIRS[1], max_len=4096)
    cut = encode_pair(tokenizer, *PAIRS[1], max_len=full["prompt_tokens"] + 3)
    assert len(cut["input_ids"]) == full["prompt_tokens"] + 3 and cut["input_ids"][-1] != tokenizer.eos_token_id
    assert encode_pair(tokenizer, *PAIRS[1], max_len=full["prompt_tokens"]) is None
    with pytest.raises(UserError, match="--max-len"):
        encode_dataset(tokenizer, data, max_len=64)
    rows, stats = encode_dataset(tokenizer, data, max_len=4096)
    assert stats["encoded"] == len(PAIRS) and stats["truncated"] == 0 and stats["dropped_too_long"] == 0


def test_load_run_dir_and_jsonl(tmp_path, run_dir):
    data = load_training_data(run_dir)
    assert data.fingerprint == RUN_FINGERPRINT and len(data.pairs) == len(PAIRS)
    assert data.lineage()["mode"] == "robo-instruct"
    bare = tmp_path / "bare.jsonl"
    bare.write_text((run_dir / "dataset.jsonl").read_text())
    plain = load_training_data(bare)
    assert plain.fingerprint.startswith("file-") and plain.sha256 == data.sha256


@pytest.mark.parametrize("content, message", [
    ("not json\n", "not valid JSON"),
    (json.dumps({"instruction": "x"}) + "\n", "'instruction' and 'program'"),
    ("\n", "no training pairs"),
])
def test_bad_data_is_one_line(tmp_path, content, message):
    path = tmp_path / "d.jsonl"
    path.write_text(content)
    with pytest.raises(UserError, match=message):
        load_training_data(path)


def test_edited_dataset_is_refused(tmp_path):
    run = write_run(tmp_path / "run")
    with (run / "dataset.jsonl").open("a") as f:
        f.write(json.dumps({"instruction": "extra", "program": "def task_program():\n    say('x')\n"}) + "\n")
    with pytest.raises(UserError, match="differs from the hash"):
        load_training_data(run)
    with pytest.raises(UserError, match="no such file"):
        load_training_data(tmp_path / "missing")


def test_a_builtin_domain_recorded_by_another_installs_path_resolves_by_name(tmp_path):
    """A dataset made on another machine names its built-in domain by that install's path; here the
    path does not exist and this install's copy is used. A user's own domain file that is gone stays
    an error at use (never silently the built-in one)."""
    from roboinstruct.taskprompt import build_task_prompt

    run = write_run(tmp_path / "run")
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["domain"] = {"name": "service_robot", "source": "/elsewhere/src/roboinstruct/domains/service_robot.yaml"}
    (run / "manifest.json").write_text(json.dumps(manifest))
    data = load_training_data(run)
    assert data.domain == "service_robot"
    assert build_task_prompt("stubs", None, domain=data.domain).format == "stubs"
    manifest["domain"] = {"name": "my_robot", "source": str(tmp_path / "gone" / "my_robot.yaml")}
    (run / "manifest.json").write_text(json.dumps(manifest))
    data = load_training_data(run)
    assert data.domain == str(tmp_path / "gone" / "my_robot.yaml")
    with pytest.raises(Exception, match="cannot read domain file"):
        build_task_prompt("stubs", None, domain=data.domain)
