"""Unit tests of the pipeline's pieces: config, records, seeds, parsing, mode rules."""

import json
import random

import pytest

from roboinstruct.artifacts import RecordFile
from roboinstruct.domain import load_domain
from roboinstruct.errors import UserError
from roboinstruct.pipeline import instalign, instructions, rejection
from roboinstruct.pipeline import config as config_module
from roboinstruct.pipeline.config import GenerateConfig, load_config
from roboinstruct.pipeline.stats import ngram_diversity
from roboinstruct.robosim.explore import explore
from roboinstruct.seedtasks import load_seeds


def test_bundled_seeds_are_valid_under_robosim():
    seeds = load_seeds(None, "service_robot")
    assert len(seeds) >= 6
    for s in seeds:
        v = explore(s.program)
        assert v.valid, (s.instruction, v.summary())


def test_seed_file_errors_are_one_line(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("seeds: [{instruction: hi}]\n")
    with pytest.raises(UserError, match=r"seeds\[0\] needs"):
        load_seeds(str(bad), "x")
    with pytest.raises(UserError, match="no seed tasks"):
        load_seeds(None, "no_such_domain")


def test_config_file_overrides_and_fingerprint(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text("num: 7\nmode: robosim\n")
    cfg = load_config(str(f), {"num": 9, "seed": None, "workers": 3})
    assert cfg.num == 9 and cfg.mode == "robosim" and cfg.seed == 0
    # runtime-only settings do not change the fingerprint; output-changing ones do
    assert cfg.fingerprint() == load_config(str(f), {"num": 9, "workers": 1}).fingerprint()
    assert cfg.fingerprint() != load_config(str(f), {"num": 9, "seed": 1}).fingerprint()
    f.write_text("numm: 3\n")
    with pytest.raises(UserError, match="unknown setting"):
        load_config(str(f), {})
    with pytest.raises(UserError, match="--mode"):
        GenerateConfig(mode="magic").validate()


def test_records_skip_torn_tail_and_are_idempotent(tmp_path):
    p = tmp_path / "r.jsonl"
    rf = RecordFile(p)
    assert rf.append({"id": 1, "x": 1}) and not rf.append({"id": 1, "x": 2})
    rf.close()
    with p.open("a") as f:
        f.write('{"id": 2, "x"')  # killed mid-write
    rf2 = RecordFile(p)
    assert len(rf2) == 1 and rf2.get(1)["x"] == 1
    rf2.append({"id": 2, "x": 3})
    rf2.close()
    lines = p.read_text().splitlines()
    assert [json.loads(x)["id"] for x in lines] == [1, 2]


@pytest.mark.parametrize("raw, want", [
    ("Task: Go to the kitchen and say hello.", "Go to the kitchen and say hello."),
    ('"Bring the mug from the office to the lab."', "Bring the mug from the office to the lab."),
    ("Sure, here is a task:\n\nCheck every room for a chair.", "Check every room for a chair."),
    ("**New Task:** Ask Bob if he wants tea.\n\nThis task uses ask.", "Ask Bob if he wants tea."),
    ("1. Go to the lab and pick up the laptop.", "Go to the lab and pick up the laptop."),
    ("```python\ndef x(): pass\n```", None),
    ("", None),
])
def test_parse_instruction(raw, want):
    assert instructions.parse_instruction(raw) == want


def test_self_instruct_prompt_comes_from_the_domain():
    dom = load_domain()
    msgs = instructions.self_instruct_messages(dom, ["Seed one task here.", "Seed two task here."])
    assert "def ask(person: str, question: str, options: list[str]) -> str:" in msgs[0]["content"]
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert "Generate an interesting robot task" in msgs[-1]["content"]


def test_pick_shots_mixes_machine_instructions_once_enough_exist():
    seeds = [f"seed {i}" for i in range(8)]
    assert all(s.startswith("seed") for s in instructions.pick_shots(random.Random(0), seeds, ["m1"], 3, 1))
    shots = instructions.pick_shots(random.Random(0), seeds, ["m1", "m2", "m3"], 3, 1)
    assert len(shots) == 3 and sum(s.startswith("m") for s in shots) == 1


def _att(valid, program="def task_program():\n    say('x')\n"):
    return {"program": program, "verdict": {"valid": valid}}


@pytest.mark.parametrize("mode, attempts, want", [
    ("self-instruct", [_att(False)], 0),
    ("reject-unsolvable", [_att(False), _att(True)], 0),
    ("reject-unsolvable", [_att(False), _att(False)], None),
    ("robosim", [_att(False), _att(True)], 1),
    ("robosim", [_att(False)], None),
    ("instalign", [_att(False), _att(True)], 0),
    ("robo-instruct", [_att(False), _att(False), _att(True)], 2),
])
def test_which_program_each_mode_keeps(mode, attempts, want):
    got = rejection.chosen(mode, attempts)
    assert (None if got is None else attempts.index(got)) == want


def test_resampling_stops_at_the_first_valid_program():
    assert rejection.needs_attempt("robosim", [_att(False)], 1, 3)
    assert not rejection.needs_attempt("robosim", [_att(True)], 1, 3)
    assert not rejection.needs_attempt("robosim", [_att(False)] * 4, 4, 3)
    assert not rejection.needs_attempt("self-instruct", [_att(False)], 1, 3)


def test_repair_prompt_carries_the_counterexample():
    prev = {"verdict": {"error_kind": "RobotExecutionError", "line": 7, "message": "cannot place 'cup'",
                        "trace": ["line 3: go_to('kitchen')", "line 7: place('cup')"]}}
    text = rejection.repair_text("Bring the cup.", prev)
    assert text.startswith("Bring the cup.") and "line 7" in text and "place('cup')" in text


def test_instalign_parsing_and_fallbacks():
    assert instalign.parse_revision("steps...\n### Revised Instruction\nGo to the lab and say hi.") == "Go to the lab and say hi."
    assert instalign.parse_revision("no heading here") is None
    assert instalign.parse_choice("thinking... Answer: A", revised_first=True) == "revised"
    assert instalign.parse_choice("Answer: A", revised_first=False) == "original"
    assert instalign.parse_choice("I can't decide", revised_first=True) is None


def test_ngram_diversity():
    assert ngram_diversity(["a b c d e", "a b c d e"]) == 0.5
    assert ngram_diversity(["go to the kitchen now", "check every room for chairs"]) == 1.0


def test_runs_made_before_new_settings_keep_their_fingerprints():
    # The settings main had before this version, at their old behaviour, leave the fingerprint as
    # it was (c3668027febd: the default run's fingerprint computed by the previous code), so such
    # run directories still resume; the new defaults name new runs.
    legacy = load_config(None, {"instalign_format": "text", "instructions_per_request": 1, "prompts": 1,
                                "check": "reference", "top_up": False})
    assert legacy.fingerprint() == "c3668027febd"
    # 295d108eb993: the default run's fingerprint before prompt templates 2; template 2 names new runs.
    assert load_config(None, {"prompts": 1, "check": "reference", "top_up": False}).fingerprint() == "295d108eb993"
    # 68318e6e4a0a: the default run's fingerprint before the strict check (prompts 2, computed by a0cc4b2);
    # such a run resumes with --check reference --no-top-up and prompts 2 (its templates are hashed as they were)
    assert load_config(None, {"prompts": 2, "check": "reference", "top_up": False}).fingerprint() == "68318e6e4a0a"
    assert load_config(None, {}).fingerprint() not in ("c3668027febd", "295d108eb993", "68318e6e4a0a")


def test_several_instructions_per_request_parse_and_pad():
    texts = instructions.parse_instructions('{"tasks": ["Go to the lab and say hi", "Bring a pen to Ann"]}', 3)
    assert texts == ["Go to the lab and say hi", "Bring a pen to Ann", None]
    assert instructions.parse_instructions("Task: Go to the lab and say hi", 1) == ["Go to the lab and say hi"]


def test_prompts_2_lists_the_shots_as_tasks_not_to_repeat():
    domain = load_domain("service_robot")
    shots = ["Go to the lab and say hi.", "Bring a pen to Ann."]
    v1 = instructions.self_instruct_messages(domain, shots, 4, prompts=1)
    v2 = instructions.self_instruct_messages(domain, shots, 4, prompts=2)
    assert [m["role"] for m in v1] == ["system", "user", "assistant", "user", "assistant", "user"]  # shots as answers
    assert [m["role"] for m in v2] == ["system", "user"]
    assert v2[0] == v1[0]  # the byte-identical prefix the server reuses
    ask = v2[1]["content"]
    assert all(f"- {s}" in ask for s in shots) and "Write 4 new robot tasks" in ask and "never repeat" in ask
    # one per request keeps the paper's layout whatever the template version
    assert instructions.self_instruct_messages(domain, shots, 1, prompts=2) == \
        instructions.self_instruct_messages(domain, shots, 1, prompts=1)


def test_instalign_prompts_2_put_the_format_before_the_pair_and_replay_a_short_answer():
    domain = load_domain("service_robot")
    program = 'def task_program():\n    go_to("lab")\n'
    reqs = {v: instalign.revise_request(domain, "Go to the lab.", program, seed=1, temperature=0.3,
                                        max_tokens=256, prompts=v) for v in (1, 2)}
    v2 = reqs[2].messages[0]["content"]
    assert v2.index("Answer with a JSON object") < v2.index("Instruction: Go to the lab.")
    v1 = reqs[1].messages[0]["content"]
    assert v1.index("Answer with a JSON object") > v1.index("Instruction: Go to the lab.")
    caps = {v: json.loads(reqs[v].json_schema)["properties"]["analysis"]["maxLength"] for v in (1, 2)}
    assert caps[2] < caps[1]
    answer = '{"analysis": "It goes to the lab and stays there.", "revised_instruction": "Go to the lab and wait."}'
    sel = {v: instalign.select_request(program, "Go to the lab.", "Go to the lab and wait.", revised_first=True,
                                       seed=1, max_tokens=16, after=(reqs[v], answer), prompts=v) for v in (1, 2)}
    assert sel[1].messages[1]["content"] == answer
    assert json.loads(sel[2].messages[1]["content"]) == {"revised_instruction": "Go to the lab and wait."}
    assert sel[2].messages[0] == reqs[2].messages[0] and "Instruction A: Go to the lab and wait." in \
        sel[2].messages[2]["content"]
    assert load_config(None, {"prompts": 2}).fingerprint() != load_config(None, {"prompts": 1}).fingerprint()
    assert load_config(None, {"prompts": 2}).fingerprinted()["prompt_text"] == config_module.prompt_text_hash(2)
    assert load_config(None, {}).fingerprinted()["prompt_text"] == config_module.prompt_text_hash(3)
    assert "prompt_text" not in load_config(None, {"prompts": 1}).fingerprinted()  # old runs keep their names
    with pytest.raises(UserError, match="prompts must be 1, 2 or 3"):
        load_config(None, {"prompts": 4})
