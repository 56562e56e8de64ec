import os

import pytest

from roboinstruct.llm import models


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    """A fresh LLM response cache per test (so resuming is proven by the score run's own
    files, not by the cache); the verified model cache stays shared."""
    shared_models = str(models.models_dir())
    monkeypatch.setenv("ROBOINSTRUCT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ROBOINSTRUCT_MODELS_DIR", shared_models)


@pytest.fixture(scope="session")
def small_model():
    if os.environ.get("ROBOINSTRUCT_SKIP_MODEL_TESTS") == "1":
        pytest.skip("ROBOINSTRUCT_SKIP_MODEL_TESTS=1: model-backed tests skipped")
    pytest.importorskip("xllamacpp", reason="needs pip install 'roboinstruct[local]'")
    return models.resolve_model(models.DEFAULT_TEST_MODEL)
