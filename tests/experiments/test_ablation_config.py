"""The ablation experiment's configs and table, without running a model: every shipped
config must build valid generate / finetune / score settings (a typo would otherwise
surface hours into a run), and the table files must echo config, rows and versions."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "experiments"
CONFIGS = sorted(ROOT.glob("ablation-*.yaml"))


def _ablation():
    spec = importlib.util.spec_from_file_location("ablation", ROOT / "ablation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", CONFIGS, ids=[p.stem for p in CONFIGS])
def test_shipped_configs_build_valid_settings(path):
    from roboinstruct.finetune.settings import FinetuneSettings
    from roboinstruct.pipeline.config import load_config
    from roboinstruct.score.run import ScoreConfig

    ab = _ablation()
    cfg = ab.load(str(path))
    assert cfg["scale"] and cfg.get("note")  # the table says what scale it is
    for r in ab.rows_of(cfg):
        gen = load_config(None, {**cfg["generate"], **r["overrides"], "mode": r["mode"], "out": "unused"})
        assert gen.mode == r["mode"] and gen.num == r["overrides"].get("num", cfg["generate"]["num"])
    ft = {k: v for k, v in cfg["finetune"].items() if k != "base"}
    FinetuneSettings(**ft).validate()
    sc = {k: v for k, v in cfg["score"].items() if k not in ab.SCORE_ONLY}
    ScoreConfig(model="local:x", greedy=True, **sc).validate()
    ScoreConfig(model="local:x", **{**sc, **cfg["score"].get("sampled", {})}).validate()
    for fmt in cfg["score"].get("also_formats", []):  # each extra layout the tuned rows are asked in
        ScoreConfig(model="local:x", greedy=True, **{**sc, "prompt_format": fmt}).validate()


@pytest.mark.parametrize("content, message", [
    ("out: x\ngenerate: {}\nfinetune: {}\n", "missing section 'score'"),
    ("out: x\ngenerate: {}\nfinetune: {}\nscore: {}\nmodes: [robosim, magic]\n", "unknown mode(s) magic"),
])
def test_bad_config_is_one_line(tmp_path, content, message):
    path = tmp_path / "c.yaml"
    path.write_text(content)
    with pytest.raises(SystemExit) as e:
        _ablation().load(str(path))
    assert message in str(e.value) and str(path) in str(e.value) and "\n" not in str(e.value)


def _table():
    spec = importlib.util.spec_from_file_location("ablation_table", ROOT / "ablation_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_files_echo_config_rows_and_versions(tmp_path):
    tb = _table()
    cfg = {"scale": "unit", "note": "not a real run", "out": str(tmp_path)}
    greedy = {"pass@1": 0.25, "invalid_rate": 0.125, "programs": 80, "fingerprint": "s1", "pass@1_ci95": [0.16, 0.36],
              "breakdown": {"Success": 20, "PythonError": 10}}
    sampled = {"pass@1": 0.2, "invalid_rate": 0.1, "config": {"temperature": 0.2}, "pass@1_ci95": [0.125, 0.3]}
    rows = [tb.row("Robo-Instruct (full)", 67, greedy, sampled, {"dataset": "d1", "adapter": "a1", "score": "s1"},
                   seconds={"generate": 10.0})]
    tb.write(tmp_path, cfg, rows, started=0.0, pending=["Self-Instruct, greedy: pending"])
    assert rows[0]["pass@1 greedy"] == 0.25 and rows[0]["pass@1 T=0.2"] == 0.2
    md = (tmp_path / "table.md").read_text()
    assert ("| Robo-Instruct (full) | 67 | 0.25 | [0.160, 0.360] | — | 0.2 | [0.125, 0.300] | — | 0.125 | "
            "[0.069, 0.215] | 0.1 | — | PythonError 10, Success 20 | d1 | a1 | s1 |") in md
    assert "- Self-Instruct, greedy: pending" in md
    assert rows[0]["seconds"] == {"generate": 10.0} and "seconds" not in md
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["config"] == cfg and manifest["rows"] == rows and "roboinstruct" in manifest["versions"]
    html = (tmp_path / "table.html").read_text()
    assert "Robo-Instruct (full)" in html and html.count("<svg") == 4  # pass@1 x2, invalid x2


def _results(where: Path, per_prompt: dict, temperature: float, n: int, fmt: str = "roboeval", **extra) -> None:
    where.mkdir(parents=True)
    ok = sum(per_prompt.values()) / len(per_prompt)
    (where / "results.json").write_text(json.dumps({
        "fingerprint": f"fp-{where.name}", "pass@1": ok, "pass@1_ci95": [0.0, 1.0], "invalid_rate": 0.1,
        "breakdown": {"Success": 1}, "per_prompt": per_prompt, "lineage": {"adapter_fingerprint": "ad1"},
        "config": {"temperature": temperature, "n": n, "prompt_format": fmt, "max_tokens": 512, "tasks": "rb:x",
                   "limit": None, "prompts": None, **extra}}))


def test_the_table_grows_from_finished_scores_on_disk(tmp_path):
    """A row appears once a score of it is on disk with the config's settings; a smoke run or another
    temperature is listed as not counted, never mixed in; the tuned row's difference from its base is
    paired by task, so a tuned model that solves every prompt its base missed reads clearly better."""
    tb = _table()
    cfg = {"out": str(tmp_path), "finetune": {"base": "b0"},
           "score": {"bases": ["b0", "b1"], "tasks": "rb:x", "prompt_format": "roboeval", "max_tokens": 512,
                     "sampled": {"n": 10, "temperature": 0.2}, "also_formats": ["stubs"]}}
    rows_cfg = [{"name": "ri", "label": "Robo-Instruct"}, {"name": "si", "label": "Self-Instruct"}]
    weak = {f"t{i}/{j}": float(j == 0) for i in range(16) for j in range(5)}   # 16/80
    strong = {k: 1.0 if not k.endswith("/4") else 0.0 for k in weak}         # 64/80
    _results(tmp_path / "base-b0" / "greedy", weak, 0.0, 1)
    _results(tmp_path / "base-b0" / "sampled", weak, 0.7, 10)                # another temperature
    _results(tmp_path / "base-b1" / "greedy", weak, 0.0, 1, prompts=1)       # a smoke run
    _results(tmp_path / "ri" / "score-greedy", strong, 0.0, 1)
    (tmp_path / "ri" / "train").mkdir(parents=True)
    (tmp_path / "ri" / "train" / "manifest.json").write_text(json.dumps({"stats": {"pairs": 257, "generated": 259,
                                                                                   "left_out": 2}}))
    tb.add_seconds(tmp_path / "ri", "finetune", 3600.04)
    tb.add_seconds(tmp_path / "ri", "finetune", 2.0)                          # a resumed phase adds up
    rows, pending = tb.gather(tmp_path, cfg, rows_cfg)
    assert [r["mode"] for r in rows] == ["base (b0, no fine-tuning)", "Robo-Instruct"]
    base, ri = rows
    assert base["pass@1 greedy"] == 0.2 and base["pass@1 T=0.2"] == "—"
    assert ri["pass@1 greedy"] == 0.8 and ri["adapter"] == "ad1" and ri["seconds"] == {"finetune": 3602.0}
    assert ri["pairs"] == "257 (of 259: 2 too close to RoboEval's files)"
    diff, lo, hi = (float(x) for x in ri["Δ greedy vs base [95% CI]"].replace("[", "").replace("]", "").replace(",", "").split())
    assert diff == 0.6 and 0 < lo <= diff <= hi
    assert ri["Δ T=0.2 vs base [95% CI]"] == "—"
    assert any("base (b0, no fine-tuning), sampled: other settings: temperature 0.7" in p for p in pending)
    assert any("base (b1, no fine-tuning), greedy: other settings: prompts 1" in p for p in pending)
    assert "Self-Instruct, greedy: pending" in pending
    assert "Robo-Instruct (asked in the stubs layout), greedy: pending" in pending


def test_a_row_asked_in_another_layout_is_compared_with_its_base_asked_that_way(tmp_path):
    """The stubs-layout row's Δ is against the base in the stubs layout (its own cells: base-b0/greedy-stubs),
    never against the base in RoboEval's layout; without that base score its Δ reads '—'."""
    tb = _table()
    cfg = {"out": str(tmp_path), "finetune": {"base": "b0"},
           "score": {"bases": ["b0", "b1"], "tasks": "rb:x", "prompt_format": "roboeval", "max_tokens": 512,
                     "sampled": {"n": 10, "temperature": 0.2}, "also_formats": ["stubs"]}}
    rows_cfg = [{"name": "ri", "label": "Robo-Instruct"}]
    none = {f"t{i}/{j}": 0.0 for i in range(16) for j in range(5)}
    half = {k: float(int(k[1:].split("/")[0]) % 2 == 0) for k in none}      # 40/80
    _results(tmp_path / "base-b0" / "greedy", none, 0.0, 1)
    _results(tmp_path / "ri" / "score-greedy-stubs", half, 0.0, 1, fmt="stubs")
    rows, _ = tb.gather(tmp_path, cfg, rows_cfg)
    stubs = next(r for r in rows if r["mode"] == "Robo-Instruct (asked in the stubs layout)")
    assert stubs["Δ greedy vs base [95% CI]"] == "—"
    _results(tmp_path / "base-b0" / "greedy-stubs", half, 0.0, 1, fmt="stubs")
    rows, pending = tb.gather(tmp_path, cfg, rows_cfg)
    assert [r["mode"] for r in rows] == ["base (b0, no fine-tuning)", "base (b0, no fine-tuning) (asked in the "
                                         "stubs layout)", "Robo-Instruct (asked in the stubs layout)"]
    assert rows[1]["pass@1 greedy"] == 0.5
    assert rows[2]["Δ greedy vs base [95% CI]"].startswith("+0.000")
    assert "base (b0, no fine-tuning) (asked in the stubs layout), sampled: pending" in pending


def test_named_rows_carry_their_overrides(tmp_path):
    ab = _ablation()
    path = tmp_path / "c.yaml"
    path.write_text("out: x\ngenerate: {num: 3}\nfinetune: {}\nscore: {}\n"
                    "rows: [{name: a, mode: robosim}, {name: b, check: strict, num: 5}]\n")
    rows = ab.rows_of(ab.load(str(path)))
    assert [(r["name"], r["mode"], r["overrides"]) for r in rows] == [
        ("a", "robosim", {}), ("b", "robo-instruct", {"check": "strict", "num": 5})]
    path.write_text("out: x\ngenerate: {}\nfinetune: {}\nscore: {}\nrows: [{name: a}, {name: a}]\n")
    with pytest.raises(SystemExit, match="distinct"):
        ab.load(str(path))


def test_pairs_that_copy_roboeval_are_left_out_of_training(tmp_path):
    """Scored on RoboEval, a row trains on its dataset less every pair closer than the threshold to one of
    RoboEval's task prompts or prefix examples (its license, clause 4), each listed with what it resembles;
    a dataset with none is trained as it is; the subset still loads as a training set."""
    from roboinstruct.benchmark.license import protected_texts
    from roboinstruct.finetune.data import load_training_data

    checkout = Path(__file__).resolve().parents[3] / "shared" / "roboeval"
    texts = protected_texts(str(checkout))
    _, prompt_label, prompt = next(t for t in texts if t[0] == "instruction")
    _, program_label, program = next(t for t in texts if t[0] == "program")
    ab = _ablation()
    run = tmp_path / "data"
    run.mkdir()
    ok = {"id": "a", "instruction": "Go to the kitchen and tell me whether the red mug is there.",
          "program": "def task_program():\n    go_to('kitchen')\n"}
    rows = [ok, {**ok, "id": "b", "instruction": prompt},
            {**ok, "id": "c", "instruction": "Bring the stapler to Ann's office.", "program": program}]

    def write(rows):
        (run / "dataset.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        (run / "manifest.json").write_text(json.dumps({"kind": "roboinstruct.dataset", "fingerprint": "f0",
                                                       "domain": {"name": "service_robot", "source": "service_robot"}}))

    cfg = {"score": {"tasks": f"roboeval:{checkout}"}}
    write(rows[:1])
    assert ab.licensed_training_set(run, cfg, tmp_path / "train") == run  # nothing copied: trained as it is
    write(rows)
    got = ab.licensed_training_set(run, cfg, tmp_path / "train")
    assert got == tmp_path / "train"
    assert [json.loads(x)["id"] for x in (got / "dataset.jsonl").read_text().splitlines()] == ["a"]
    manifest = json.loads((got / "manifest.json").read_text())
    assert manifest["stats"] == {"pairs": 1, "generated": 3, "left_out": 2}
    assert {x["id"]: x["resembles"][0]["source"] for x in manifest["left_out"]} == {"b": prompt_label,
                                                                                   "c": program_label}
    assert "clause 4" in manifest["rule"] and manifest["source"]["fingerprint"] == "f0"
    data = load_training_data(got)
    assert len(data.pairs) == 1 and data.fingerprint == manifest["fingerprint"] != "f0"
    assert ab.licensed_training_set(run, {"score": {"tasks": "builtin"}}, tmp_path / "t2") == run
