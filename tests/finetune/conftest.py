"""Fixtures for fine-tuning tests: a small generation run, the converted base, one trained adapter.

The trained adapter is session-scoped: one real 1-step LoRA run of the 0.5B model (tens
of seconds on 2 cores) serves every test that needs an adapter.
"""

from __future__ import annotations

import os

import pytest
from ft_helpers import write_run

from roboinstruct.llm import models


def _needs_stack():
    if os.environ.get("ROBOINSTRUCT_SKIP_MODEL_TESTS") == "1":
        pytest.skip("ROBOINSTRUCT_SKIP_MODEL_TESTS=1: model-backed tests skipped")
    for mod in ("torch", "transformers", "peft", "trl", "datasets"):
        pytest.importorskip(mod, reason="needs pip install 'roboinstruct[finetune]'")


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    shared_models = str(models.models_dir())  # the converted base is content-keyed: share it
    monkeypatch.setenv("ROBOINSTRUCT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ROBOINSTRUCT_MODELS_DIR", shared_models)


@pytest.fixture
def run_dir(tmp_path):
    return write_run(tmp_path / "run")


@pytest.fixture(scope="session")
def base_model():
    _needs_stack()
    from roboinstruct.finetune.base import resolve_base

    return resolve_base(models.DEFAULT_TEST_MODEL)


@pytest.fixture(scope="session")
def tokenizer(base_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base_model.path))


@pytest.fixture(scope="session")
def trained(base_model, tmp_path_factory):
    """(run_dir, adapter_dir, manifest, seconds) of one real 1-step fine-tune."""
    import time

    from roboinstruct.finetune.settings import FinetuneSettings
    from roboinstruct.finetune.train import finetune

    root = tmp_path_factory.mktemp("ft")
    run = write_run(root / "run")
    # no warm-up: with one step, a 3% warm-up would make that step lr 0 and leave LoRA B at zero
    settings = FinetuneSettings(max_steps=1, batch_size=2, grad_accum=1, max_len=448, lr=1e-4, warmup_ratio=0.0)
    t0 = time.time()
    manifest = finetune(str(run), models.DEFAULT_TEST_MODEL, root / "adapter", settings, log=lambda m: None)
    return run, root / "adapter", manifest, time.time() - t0
