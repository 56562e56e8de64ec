"""Requests, retry policy, cache keys and concurrent cache writers, registry laziness."""

import multiprocessing as mp
import subprocess
import sys

import pytest

from roboinstruct.llm import (
    ChatRequest,
    CompletionRequest,
    LLMError,
    Response,
    get_backend,
)
from roboinstruct.llm.cache import (
    ResponseCache,
    cache_key,
    default_cache_path,
    is_cacheable,
)
from roboinstruct.llm.retry import RetryPolicy, is_retryable_status, parse_retry_after


def chat(text="hi", **kw):
    return ChatRequest(messages=[{"role": "user", "content": text}], **kw)


@pytest.mark.parametrize(
    "kw, msg",
    [
        ({"temperature": -1}, "temperature"),
        ({"top_p": 0}, "top_p"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"n": 0}, "n must be"),
    ],
)
def test_bad_sampling_is_one_clear_error(kw, msg):
    with pytest.raises(LLMError, match=msg):
        chat(**kw)


def test_bad_messages_rejected():
    with pytest.raises(LLMError, match="at least one message"):
        ChatRequest(messages=[])
    with pytest.raises(LLMError, match="bad chat message"):
        ChatRequest(messages=[{"role": "robot", "content": "x"}])
    with pytest.raises(LLMError, match="prompt must be a string"):
        CompletionRequest(prompt=None)


def test_stop_string_normalised():
    assert chat(stop="\n").stop == ("\n",)


def test_response_text_raises_recorded_error():
    with pytest.raises(LLMError, match="boom"):
        Response(error="boom").text


def test_retry_after_parsing():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert 9 < parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) <= 10


def test_backoff_grows_with_jitter_and_caps():
    p = RetryPolicy(backoff_base=1, backoff_max=8, retry_after_max=5)
    assert 0.5 <= p.delay(0) <= 1 and 2 <= p.delay(2) <= 4 and 4 <= p.delay(10) <= 8
    assert p.delay(0, retry_after=2) == 2 and p.delay(0, retry_after=60) == 5
    assert is_retryable_status(429) and is_retryable_status(502) and not is_retryable_status(404)


def test_cache_key_covers_every_parameter():
    base = chat("x", temperature=0.5, seed=1)
    k = cache_key("openai", "m", base, 0)
    variants = [
        cache_key("local", "m", base, 0),
        cache_key("openai", "m2", base, 0),
        cache_key("openai", "m", chat("y", temperature=0.5, seed=1), 0),
        cache_key("openai", "m", chat("x", temperature=0.6, seed=1), 0),
        cache_key("openai", "m", chat("x", temperature=0.5, seed=2), 0),
        cache_key("openai", "m", chat("x", temperature=0.5, seed=1, top_p=0.9), 0),
        cache_key("openai", "m", chat("x", temperature=0.5, seed=1, max_tokens=9), 0),
        cache_key("openai", "m", chat("x", temperature=0.5, seed=1, stop=["a"]), 0),
        cache_key("openai", "m", base, 1),
        cache_key("openai", "m", CompletionRequest(prompt="x", temperature=0.5, seed=1), 0),
    ]
    assert k not in variants and len(set(variants)) == len(variants)
    assert k == cache_key("openai", "m", chat("x", temperature=0.5, seed=1), 0)
    # n does not change a sample's identity: asking for 3 then 5 samples reuses the first 3
    assert k == cache_key("openai", "m", chat("x", temperature=0.5, seed=1, n=5), 0)


def test_cacheable_rules():
    assert is_cacheable(chat()) and is_cacheable(chat(temperature=1, seed=0))
    assert not is_cacheable(chat(temperature=1))


def test_default_cache_location_env_override(isolated_cache):
    assert default_cache_path() == isolated_cache / "llm_cache.sqlite"


def _writer(path, worker, n):
    c = ResponseCache(path)
    for i in range(n):
        c.put(f"k{worker}-{i}", f"text {worker} {i}", "stop", 1, 2)
        assert c.get(f"k{worker}-{i}")["text"] == f"text {worker} {i}"
    c.close()


def test_cache_concurrent_writers(tmp_path):
    path = tmp_path / "shared.sqlite"
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 150)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    c = ResponseCache(path)
    assert len(c) == 600
    assert c.get("k3-149") == {"text": "text 3 149", "finish_reason": "stop", "prompt_tokens": 1, "completion_tokens": 2}


def test_unknown_backend_and_bad_option():
    with pytest.raises(LLMError, match="unknown backend 'nope': use one of openai, local"):
        get_backend("nope")
    with pytest.raises(LLMError, match="backend 'openai'.*colour"):
        get_backend("openai", colour="red")
    with pytest.raises(LLMError, match="bad base URL"):
        get_backend("openai", base_url="localhost:8000")


def test_backends_import_lazily():
    code = (
        "import sys; import roboinstruct.llm as l; from roboinstruct.llm.registry import get_backend;"
        "b = get_backend('openai', base_url='http://127.0.0.1:9', model='m', no_cache=True);"
        "print('xllamacpp' in sys.modules, 'roboinstruct.llm.local_backend' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    out = subprocess.run(
        [sys.executable, "-c", "import sys, roboinstruct.llm; print('httpx' in sys.modules, 'jinja2' in sys.modules)"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert out.split() == ["False", "False"]
