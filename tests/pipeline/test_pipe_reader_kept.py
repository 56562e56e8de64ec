"""The dataset card quotes what blind readers kept of pairs made with the same settings
(roboinstruct.pipeline.reader_kept), from the file experiments/pair_quality.py measure writes."""

from __future__ import annotations

import json
from pathlib import Path

from roboinstruct.pipeline import reader_kept
from roboinstruct.pipeline.config import GenerateConfig

ROOT = Path(__file__).resolve().parents[2]


def _file(tmp_path, cfg: dict, k=40, n=50) -> Path:
    path = tmp_path / "reader_kept.json"
    path.write_text(json.dumps({"groups": [{"settings": reader_kept.settings_key(cfg), "runs": ["r1", "r2"], "k": k,
                                            "n": n, "rate": k / n, "ci95": [0.67, 0.89], "source": "somewhere"}]}))
    return path


def test_a_run_with_measured_settings_quotes_the_measurement_and_others_say_there_is_none(tmp_path):
    cfg = GenerateConfig(num=20).validate().fingerprinted()
    path = _file(tmp_path, cfg)
    text = "\n".join(reader_kept.card_lines(cfg, path))
    assert "kept 40 of 50 pairs (0.80, 95% Wilson interval [0.67, 0.89])" in text and "r1, r2" in text
    # another seed or size is the same settings; another check or plan text is not
    assert reader_kept.measured_for(GenerateConfig(num=7, seed=3).validate().fingerprinted(), path) is not None
    other = GenerateConfig(num=20, check="reference", prompts=2).validate().fingerprinted()
    assert reader_kept.measured_for(other, path) is None
    assert "No blind-labelled measurement" in "\n".join(reader_kept.card_lines(other, path))
    assert reader_kept.measured_for(cfg, tmp_path / "absent.json") is None


def test_the_committed_measurements_are_the_pair_quality_tables_groups():
    # written by experiments/pair_quality.py measure beside its results.json: the same pooled counts
    groups = json.loads(reader_kept.PATH.read_text())["groups"]
    results = json.loads((ROOT / "experiments/results/pair-quality/results.json").read_text())
    pooled = {tuple(sorted(row["runs"])): row["reader_kept_share"] for row in results["by_setting"].values()}
    assert groups and all(set(g["settings"]) == set(reader_kept.KEYS) for g in groups)
    for g in groups:
        share = pooled[tuple(g["runs"])]
        assert (g["k"], g["n"]) == (share["k"], share["n"]) and 0 <= g["k"] <= g["n"]
