"""Real models, no mocks: the embedded 0.5B model through xllamacpp, and the OpenAI backend
talking to llama.cpp's real OpenAI-compatible server on loopback. Structure, not exact text
(greedy output differs slightly between llama.cpp builds)."""


import pytest

from roboinstruct.llm import ChatRequest, CompletionRequest, get_backend
from roboinstruct.llm.models import DEFAULT_TEST_MODEL
from roboinstruct.taskprompt import program_request


@pytest.fixture(scope="module")
def local(small_model_path, tmp_path_factory):
    b = get_backend("local", model=DEFAULT_TEST_MODEL, cache=tmp_path_factory.mktemp("c") / "cache.sqlite")
    yield b
    b.close()


def test_local_generates_a_program(local):
    req = program_request("Go to the kitchen and bring me an apple", max_tokens=96)
    (r,) = local.generate([req])
    assert r.ok, r.error
    text = r.texts[0]
    assert "def task_program" in text and "go_to(" in text
    assert 0 < r.usage.completion_tokens <= 96 and r.usage.prompt_tokens > 100
    assert r.finish_reasons[0] in ("stop", "length")


def test_local_rerun_hits_cache_without_loading_model(small_model_path, tmp_path):
    cache = tmp_path / "c.sqlite"
    reqs = [ChatRequest(messages=[{"role": "user", "content": "Say hello."}], max_tokens=8, temperature=0.8, seed=11, n=2)]
    with get_backend("local", model=DEFAULT_TEST_MODEL, cache=cache) as b:
        first = b.generate(reqs)
    assert first[0].ok and first[0].cached == 0 and len(first[0].texts) == 2
    with get_backend("local", model=DEFAULT_TEST_MODEL, cache=cache) as b:
        second = b.generate(reqs)
        assert b.server._server is None  # never started: everything came from the cache
    assert second[0].texts == first[0].texts and second[0].cached == 2


def test_local_batch_order_and_stop(local):
    reqs = [
        CompletionRequest(prompt="def add(a, b):\n", max_tokens=24, stop=["\n\n"]),
        ChatRequest(messages=[{"role": "user", "content": "Count from 1 to 20, comma separated."}], max_tokens=24, stop=["7"]),
    ]
    r1, r2 = local.generate(reqs)
    assert r1.ok and r2.ok
    assert "\n\n" not in r1.texts[0] and "7" not in r2.texts[0]
    assert "1" in r2.texts[0]


def test_openai_backend_against_real_loopback_server(llama_server):
    b = get_backend("openai", base_url=llama_server.base_url, api_key="unused", no_cache=True, timeout=120)
    reqs = [ChatRequest(messages=[{"role": "user", "content": f"What is {i} + {i}? Answer with a number."}], max_tokens=8) for i in range(4)]
    reqs.append(CompletionRequest(prompt="def fib(n):", max_tokens=12))
    rs = b.generate(reqs)
    b.close()
    assert all(r.ok for r in rs), [r.error for r in rs]
    assert b.model  # discovered from the server's /v1/models
    assert all(r.texts[0].strip() and r.usage.completion_tokens <= 12 for r in rs)
    assert "2" in rs[1].texts[0]  # 1 + 1, a fact even the 0.5B model knows


def test_seeded_sampling_is_reproducible_on_real_server(llama_server):
    req = ChatRequest(messages=[{"role": "user", "content": "Name a fruit."}], max_tokens=6, temperature=1.0, seed=123, n=2)
    with get_backend("openai", base_url=llama_server.base_url, no_cache=True) as b:
        a = b.generate([req])[0]
        c = b.generate([req])[0]
    assert a.ok and a.texts == c.texts


def test_more_requests_than_slots_all_complete_in_order(llama_server):
    # 8 requests at concurrency 8 on a 4-slot server: llama.cpp queues the extra ones.
    reqs = [CompletionRequest(prompt=f"# {i} squared is", max_tokens=4) for i in range(8)]
    with get_backend("openai", base_url=llama_server.base_url, no_cache=True, concurrency=8) as b:
        rs = b.generate(reqs)
    assert all(r.ok for r in rs), [r.error for r in rs]
    assert all(r.usage.completion_tokens <= 4 for r in rs)
