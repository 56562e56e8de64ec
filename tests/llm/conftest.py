import os
import socket

import pytest
from faultserver import FaultServer

from roboinstruct.llm import models

SKIP_MODELS = os.environ.get("ROBOINSTRUCT_SKIP_MODEL_TESTS") == "1"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    """A fresh response cache per test; the assembled-model cache stays shared (it is
    content-verified, and re-assembling 0.5 GB per test would waste minutes)."""
    shared_models = str(models.models_dir())
    monkeypatch.setenv("ROBOINSTRUCT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ROBOINSTRUCT_MODELS_DIR", shared_models)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def small_model_path():
    """The 0.5B GGUF. Missing weights FAIL (CI installs them) unless explicitly skipped."""
    if SKIP_MODELS:
        pytest.skip("ROBOINSTRUCT_SKIP_MODEL_TESTS=1: model-backed tests skipped")
    try:
        return models.resolve_model(models.DEFAULT_TEST_MODEL).path
    except Exception as e:  # noqa: BLE001
        pytest.fail(f"test model unavailable: {e}  (set ROBOINSTRUCT_SKIP_MODEL_TESTS=1 to skip)")


@pytest.fixture(scope="session")
def llama_server(small_model_path):
    from roboinstruct.llm.llama_server import LlamaServer

    with LlamaServer(small_model_path, n_parallel=4, ctx_per_slot=1024) as srv:
        yield srv


@pytest.fixture
def fault_server():
    with FaultServer() as srv:
        yield srv


@pytest.fixture
def dead_url():
    """A loopback port with nothing listening (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/v1"
