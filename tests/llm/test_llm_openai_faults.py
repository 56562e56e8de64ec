"""The OpenAI backend against the fault-injecting loopback server: retries, timeouts,
Retry-After, malformed bodies, concurrency bound, cache, dead endpoint, key hygiene."""

import asyncio
import time

import pytest

from roboinstruct.llm import ChatRequest, CompletionRequest, get_backend
from roboinstruct.llm.retry import RetryPolicy

FAST = RetryPolicy(max_tries=4, backoff_base=0.01, backoff_max=0.05)


def chat(text="hi", **kw):
    return ChatRequest(messages=[{"role": "user", "content": text}], **kw)


def backend(url, **kw):
    kw.setdefault("retry", FAST)
    kw.setdefault("model", "fault-model")
    return get_backend("openai", base_url=url, **kw)


def test_batch_results_in_request_order_with_usage(fault_server):
    fault_server.delay = 0.01
    reqs = [chat(f"q{i}") for i in range(12)] + [CompletionRequest(prompt="def f():")]
    with backend(fault_server.url, concurrency=4) as b:
        rs = b.generate(reqs)
    assert [r.texts[0] for r in rs[:12]] == [f"echo: q{i}" for i in range(12)]
    assert rs[12].text == "echo: def f():"
    assert fault_server.requests[-1]["path"] == "/v1/completions" or any(
        r["path"] == "/v1/completions" for r in fault_server.requests
    )
    assert all(r.ok and r.usage.prompt_tokens == 7 and r.usage.completion_tokens == 3 for r in rs)
    assert all(r.latency_s > 0 for r in rs)


def test_429_honours_retry_after(fault_server):
    fault_server.script = [("status", 429, {"Retry-After": "1"})]
    with backend(fault_server.url) as b:
        t0 = time.perf_counter()
        (r,) = b.generate([chat()])
        elapsed = time.perf_counter() - t0
    assert r.ok and r.text == "echo: hi"
    assert fault_server.count == 2
    assert elapsed >= 0.95  # waited as told, not the 10 ms backoff


def test_500_then_success(fault_server):
    fault_server.script = [("status", 500, {}), ("status", 503, {})]
    with backend(fault_server.url) as b:
        (r,) = b.generate([chat()])
    assert r.ok and fault_server.count == 3


def test_persistent_500_gives_clear_final_error(fault_server):
    fault_server.default = ("status", 500, {})
    with backend(fault_server.url) as b:
        rs = b.generate([chat("a"), chat("b")])
    assert fault_server.count == 2 * FAST.max_tries
    for r in rs:
        assert not r.ok
        assert "gave up after 4 tries" in r.error and "HTTP 500" in r.error
        assert "\n" not in r.error
        with pytest.raises(Exception, match="gave up"):
            r.text


def test_client_error_is_not_retried(fault_server):
    fault_server.script = [("status", 400, {})]
    with backend(fault_server.url) as b:
        (r,) = b.generate([chat()])
    assert fault_server.count == 1
    assert "HTTP 400" in r.error and "injected 400" in r.error


def test_slow_response_times_out_then_retries(fault_server):
    fault_server.script = [("slow", 3.0)]
    with backend(fault_server.url, timeout=0.5) as b:
        t0 = time.perf_counter()
        (r,) = b.generate([chat()])
        elapsed = time.perf_counter() - t0
    assert r.ok and fault_server.count == 2
    assert elapsed < 2.5


def test_timeout_every_time_is_reported(fault_server):
    fault_server.default = ("slow", 2.0)
    with backend(fault_server.url, timeout=0.3, retry=RetryPolicy(max_tries=2, backoff_base=0.01)) as b:
        (r,) = b.generate([chat()])
    assert "gave up after 2 tries" in r.error and "timed out after 0.3s" in r.error


def test_malformed_body_is_retried(fault_server):
    fault_server.script = [("malformed",)]
    with backend(fault_server.url) as b:
        (r,) = b.generate([chat()])
    assert r.ok and fault_server.count == 2


def test_malformed_forever_says_so(fault_server):
    fault_server.default = ("malformed",)
    with backend(fault_server.url) as b:
        (r,) = b.generate([chat()])
    assert "malformed response body" in r.error


def test_one_bad_request_does_not_sink_the_batch(fault_server):
    fault_server.script = [("status", 400, {})]
    with backend(fault_server.url, concurrency=1) as b:
        rs = b.generate([chat("bad"), chat("good")])
    assert not rs[0].ok and rs[1].ok and rs[1].text == "echo: good"


def test_concurrency_bound_honoured(fault_server):
    fault_server.delay = 0.15
    with backend(fault_server.url, concurrency=3, no_cache=True) as b:
        rs = b.generate([chat(f"q{i}") for i in range(15)])
    assert all(r.ok for r in rs)
    assert fault_server.max_in_flight == 3  # reached, never exceeded


def test_default_concurrency_is_16(fault_server):
    fault_server.delay = 0.2
    with backend(fault_server.url, no_cache=True) as b:
        assert b.concurrency == 16
        b.generate([chat(f"q{i}") for i in range(40)])
    assert 12 <= fault_server.max_in_flight <= 16  # near the bound (timing), never above


def test_cache_hit_on_rerun_makes_no_http_call(fault_server):
    reqs = [chat("t0"), chat("seeded", temperature=0.8, seed=7, n=3)]
    with backend(fault_server.url) as b:
        first = b.generate(reqs)
    calls = fault_server.count
    assert calls == 1 + 3
    with backend(fault_server.url) as b:  # a new process would see the same file
        second = b.generate(reqs)
    assert fault_server.count == calls
    assert [r.texts for r in first] == [r.texts for r in second]
    assert second[0].cached == 1 and second[1].cached == 3
    assert second[1].usage.completion_tokens == 0  # nothing generated this time
    # sample i used seed + i
    assert first[1].texts == ["echo: seeded seed=7", "echo: seeded seed=8", "echo: seeded seed=9"]


def test_unseeded_sampling_is_not_cached_and_no_cache_bypasses(fault_server):
    with backend(fault_server.url) as b:
        b.generate([chat("warm", temperature=0.7)])
        b.generate([chat("warm", temperature=0.7)])
    assert fault_server.count == 2
    with backend(fault_server.url) as b:
        b.generate([chat("t0")])
    with backend(fault_server.url, no_cache=True) as b:
        b.generate([chat("t0")])
    assert fault_server.count == 4


def test_temperature_zero_n_samples_is_one_call(fault_server):
    with backend(fault_server.url) as b:
        (r,) = b.generate([chat("x", n=4)])
    assert r.texts == ["echo: x"] * 4 and fault_server.count == 1


def test_dead_endpoint_clean_error(dead_url):
    with backend(dead_url, retry=RetryPolicy(max_tries=3, backoff_base=0.01)) as b:
        t0 = time.perf_counter()
        rs = b.generate([chat(), chat("2")])
    assert time.perf_counter() - t0 < 5
    for r in rs:
        assert r.error.startswith(f"{dead_url}/chat/completions: gave up after 3 tries")
        assert "connection error (ConnectError" in r.error


def test_api_key_sent_but_never_shown(fault_server, monkeypatch):
    secret = "sk-test-SECRET-123"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    fault_server.script = [("status", 401, {})]
    with backend(fault_server.url) as b:
        (r,) = b.generate([chat()])
        assert secret not in repr(b)
    assert fault_server.headers[0]["Authorization"] == f"Bearer {secret}"
    assert secret not in r.error


def test_model_discovered_from_server(fault_server):
    with get_backend("openai", base_url=fault_server.url.removesuffix("/v1"), retry=FAST) as b:
        (r,) = b.generate([chat()])
        assert b.model == "fault-model"
    assert r.ok and fault_server.requests[0]["body"]["model"] == "fault-model"


def test_sampling_params_reach_the_server(fault_server):
    with backend(fault_server.url) as b:
        b.generate([chat("p", temperature=0.3, top_p=0.9, max_tokens=17, stop=["\n\n"], seed=5)])
    body = fault_server.requests[0]["body"]
    assert body["temperature"] == 0.3 and body["top_p"] == 0.9 and body["max_tokens"] == 17
    assert body["stop"] == ["\n\n"] and body["seed"] == 5 and body["model"] == "fault-model"


def test_generate_works_inside_a_running_event_loop(fault_server):
    async def inner():
        with backend(fault_server.url) as b:
            sync = b.generate([chat("sync")])
            asy = await b.agenerate([chat("async")])
        return sync, asy

    sync, asy = asyncio.run(inner())
    assert sync[0].text == "echo: sync" and asy[0].text == "echo: async"
