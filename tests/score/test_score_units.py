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
