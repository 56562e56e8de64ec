"""Scoring without a model: --model parsing, task selection, results, compare, bad input."""

from __future__ import annotations

import json

import pytest

from roboinstruct.cli import main
from roboinstruct.errors import UserError
from roboinstruct.score.models import parse_model
from roboinstruct.score.results import compare_table, invalid_rate, load_results
from roboinstruct.score.run import ScoreConfig, select_tasks


@pytest.mark.parametrize("spec, message", [
    ("qwen", "KIND:TARGET"),
    ("gguf:x", "KIND:TARGET"),
    ("hf:/nonexistent", "no config.json"),
    ("adapter:/nonexistent", "no adapter_config.json"),
    ("local:no-such-model", "unknown model"),
])
def test_bad_model_specs(spec, message):
    with pytest.raises(UserError, match=message):
        parse_model(spec)


def test_openai_identity_is_the_served_name():
    ref = parse_model("openai:gpt-4o-mini")
    assert (ref.kind, ref.identity, ref.lineage) == ("openai", "served:gpt-4o-mini", {})


def test_select_tasks():
    suite = {"B": 1, "A": 2, "C": 3}
    assert select_tasks(suite, None) == ["A", "B", "C"]
    assert select_tasks(suite, "2") == ["A", "B"]
    assert select_tasks(suite, "C, A") == ["C", "A"]
    with pytest.raises(UserError, match="unknown task"):
        select_tasks(suite, "Z")


def test_greedy_means_one_sample_at_t0():
    cfg = ScoreConfig(model="openai:x", greedy=True).validate()
    assert (cfg.n, cfg.temperature) == (1, 0.0)
    with pytest.raises(UserError, match="--n"):
        ScoreConfig(model="openai:x", n=0).validate()


def _result(label, overall, per_task, dataset=None):
    return {"kind": "roboinstruct.score", "label": label, "pass@1": overall, "per_task": per_task,
            "invalid_rate": 0.25, "lineage": {"dataset_fingerprint": dataset}}


def test_compare_table_and_cli(tmp_path, capsys):
    a, b = _result("a greedy", 0.5, {"T1": 1.0, "T2": 0.0}, "d1"), _result("b greedy", 0.25, {"T1": 0.25})
    cols, rows = compare_table([a, b])
    assert cols == ["task", "a greedy", "b greedy"]
    assert rows[0] == ["T1", 1.0, 0.25] and rows[1] == ["T2", 0.0, "—"]
    assert rows[2] == ["overall pass@1", 0.5, 0.25] and rows[4] == ["dataset", "d1", "—"]
    for name, r in (("a", a), ("b", b)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text(json.dumps(r))
    html = tmp_path / "cmp.html"
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b" / "results.json"), "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert "a greedy" in out and "overall pass@1" in out
    assert "<svg" in html.read_text()


def test_compare_rejects_non_results(tmp_path, capsys):
    (tmp_path / "x.json").write_text("{}")
    assert main(["compare", str(tmp_path / "x.json")]) == 2
    assert "not a `roboinstruct score` results file" in capsys.readouterr().err
    with pytest.raises(UserError, match="no results.json"):
        load_results(str(tmp_path / "nothing"))


def test_invalid_rate():
    assert invalid_rate({"PythonError": 1, "RobotExecutionError": 1, "Success": 2}, 4) == 0.5
    assert invalid_rate({}, 0) == 0.0


def _adapter_folder(tmp_path, source):
    """An adapter folder whose manifest names a base of the given source (registry|gguf|hf)."""
    base = tmp_path / "base"
    base.mkdir()
    (base / "config.json").write_text(json.dumps({"model_type": "qwen2", "num_hidden_layers": 2}))
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text(json.dumps({"r": 4, "lora_alpha": 8}))
    manifest = {"kind": "roboinstruct.adapter", "fingerprint": "feedbeef0001",
                "base": {"name": "qwen2.5-coder-0.5b" if source != "hf" else str(base), "path": str(base),
                         "identity": "x", "source": source}, "dataset": {"fingerprint": "d"}}
    (adapter / "manifest.json").write_text(json.dumps(manifest))
    return adapter


@pytest.mark.parametrize("source, asked, engine", [
    ("registry", "auto", "llama.cpp"),
    ("gguf", "auto", "llama.cpp"),
    ("registry", "transformers", "transformers"),
    ("hf", "auto", "transformers"),
])
def test_adapter_engine_choice(tmp_path, source, asked, engine):
    ref = parse_model(f"adapter:{_adapter_folder(tmp_path, source)}", asked)
    assert ref.engine == engine
    assert ref.base_gguf == (None if source == "hf" else "qwen2.5-coder-0.5b")


def test_engine_that_cannot_run_the_model_is_one_line(tmp_path):
    with pytest.raises(UserError, match="base is a Hugging Face folder"):
        parse_model(f"adapter:{_adapter_folder(tmp_path, 'hf')}", "llama.cpp")
    with pytest.raises(UserError, match="does not apply"):
        parse_model("openai:gpt-4o-mini", "transformers")
    with pytest.raises(UserError, match="--engine 'vllm'"):
        parse_model("openai:gpt-4o-mini", "vllm")


def test_engine_is_in_the_score_fingerprint(tmp_path):
    from roboinstruct.score.run import ScoreRun

    adapter = _adapter_folder(tmp_path, "registry")
    fast = ScoreRun(ScoreConfig(model=f"adapter:{adapter}", limit="FetchApple", greedy=True), tmp_path / "a")
    auto_again = ScoreRun(ScoreConfig(model=f"adapter:{adapter}", limit="FetchApple", greedy=True,
                                      engine="llama.cpp"), tmp_path / "a")  # same run: resumes
    slow = ScoreRun(ScoreConfig(model=f"adapter:{adapter}", limit="FetchApple", greedy=True,
                                engine="transformers"), tmp_path / "b")
    assert fast.fingerprint == auto_again.fingerprint != slow.fingerprint
    with pytest.raises(UserError, match="holds score run"):
        ScoreRun(ScoreConfig(model=f"adapter:{adapter}", limit="FetchApple", greedy=True, engine="transformers"),
                 tmp_path / "a")
