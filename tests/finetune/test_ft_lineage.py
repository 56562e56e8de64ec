"""Lineage: dataset run → adapter → score, linked by fingerprint in every manifest; the adapter
loads on its base and generates (through `score --model adapter:DIR`)."""

from __future__ import annotations

import json

import pytest
from ft_helpers import RUN_FINGERPRINT

from roboinstruct.cli import main


@pytest.mark.parametrize("engine, expected", [("auto", "llama.cpp"), ("transformers", "transformers")])
def test_scoring_the_adapter_links_back_to_its_dataset(trained, tmp_path, capsys, engine, expected):
    run, adapter, manifest, _ = trained
    if expected == "llama.cpp":
        pytest.importorskip("xllamacpp", reason="needs pip install 'roboinstruct[local]'")
    out = tmp_path / "score"
    # One task, one prompt, a few greedy tokens: this checks the plumbing, not the quality.
    argv = ["score", "--model", f"adapter:{adapter}", "--limit", "FetchApple", "--prompts", "1", "--greedy",
            "--max-tokens", "16", "--workers", "1", "--engine", engine, "--out", str(out)]
    assert main(argv) == 0
    results = json.loads((out / "results.json").read_text())
    score_manifest = json.loads((out / "manifest.json").read_text())
    dataset_manifest = json.loads((run / "manifest.json").read_text())

    assert dataset_manifest["fingerprint"] == RUN_FINGERPRINT
    assert manifest["dataset"]["fingerprint"] == dataset_manifest["fingerprint"]
    lineage = results["lineage"]
    assert lineage["adapter_fingerprint"] == manifest["fingerprint"]
    assert lineage["dataset_fingerprint"] == dataset_manifest["fingerprint"]
    assert lineage["dataset_sha256"] == dataset_manifest["files"]["dataset.jsonl"]
    assert lineage["base"] == manifest["base"]["identity"]
    assert lineage["score_fingerprint"] == results["fingerprint"] == score_manifest["fingerprint"]
    assert score_manifest["lineage"] == lineage
    assert results["model"]["identity"] == f"adapter:{manifest['fingerprint']}"
    assert results["model"]["engine"] == expected
    assert results["programs"] == 1 and sum(results["breakdown"].values()) == 1
    # the adapter loaded on its base and generated text (16 greedy tokens)
    completion = json.loads((out / "completions.jsonl").read_text().splitlines()[0])
    assert completion["key"] == "FetchApple/0" and completion["samples"][0].strip()
    assert f"dataset_fingerprint={RUN_FINGERPRINT}" in capsys.readouterr().out
    assert RUN_FINGERPRINT in (out / "report.html").read_text()
