"""Whose answer a cache row holds: the OpenAI backend's keys name the server (two servers
serving the same model name never share rows), the local backend's keys name the model
file and not its random port (and hash exactly what they always hashed), and the
`progress` argument every caller passes is part of the backend interface.

Everything runs against real loopback HTTP servers (faultserver.py); no model is loaded —
the local backend gets a few-byte stand-in .gguf and its server's start() is redirected to
a fault server, so the real LocalBackend → OpenAIBackend → cache path is exercised.
"""

import inspect
import sqlite3
from types import SimpleNamespace

import pytest
from faultserver import FaultServer

from roboinstruct.llm import ChatRequest, CompletionRequest, LLMError, get_backend
from roboinstruct.llm.retry import RetryPolicy

FAST = RetryPolicy(max_tries=2, backoff_base=0.01, backoff_max=0.05)
SECRET = "sk-test-CACHE-SECRET-42"

# Stand-in model files: only their sha256 matters to the cache key.
FAKE_GGUF = b"GGUF fake weights for cache-key tests\n"
FAKE_LORA = b"GGUF fake lora adapter\n"

# Keys the local backend wrote BEFORE the endpoint-identity change, captured by running the
# old LocalBackend (against a fault server) on exactly these requests and files. Users'
# caches of the embedded model hold rows under these keys: they must keep hitting.
OLD_LOCAL_KEYS = {
    "bare": {
        "echo: write a program": "d80e53108784be74b574021806b126b530b9bd7f1a1ebaa3d59dd3559a719652",
        "echo: def f(): seed=3": "d3a9a33703792f6edf0a193eff8eb324885457469afe1901ae0878265cc6dcf6",
        "echo: def f(): seed=4": "77beab83f3c214c187a40a345489c4f962fadc69a3652553bae9500348a9a139",
    },
    "lora": {
        "echo: write a program": "934be83966ccaa7b890fa71c053811b91f1a138acacb6cfb59f594bfa30958dc",
        "echo: def f(): seed=3": "90aafc789fe11741318364b58d251149abace001b7df64cfb0e52ef864b7bc90",
        "echo: def f(): seed=4": "40563d27f0ba4c5d8358cf2e48dbfa45b5174edc1ca9eeecd2e22845df9120a1",
    },
}
# The old code's key for the "write a program" request on the OpenAI backend (model
# "fault-model", any server): the row that leaked one server's answer to another.
OLD_OPENAI_KEY = "b996199e71b5010a281e25e3bfd73703c364fceeaea3851dd24faa5b92527037"


def program_request():
    return ChatRequest(messages=[{"role": "user", "content": "write a program"}], max_tokens=64)


def local_requests():
    return [program_request(), CompletionRequest(prompt="def f():", temperature=0.7, seed=3, n=2)]


def openai(url, cache, **kw):
    kw.setdefault("retry", FAST)
    kw.setdefault("model", "fault-model")
    return get_backend("openai", base_url=url, cache=cache, **kw)


def cache_rows(path):
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT key, text FROM samples").fetchall())
    finally:
        con.close()


# ---- Task 1: the OpenAI backend's cache names the server ------------------------------
def test_two_servers_same_model_name_do_not_share_cache(tmp_path):
    cache = tmp_path / "shared.sqlite"
    with FaultServer(default=("text", "program from A")) as a, FaultServer(default=("text", "program from B")) as b:
        assert a.url != b.url
        with openai(a.url, cache) as ba:
            (ra,) = ba.generate([program_request()])
        with openai(b.url, cache) as bb:
            (rb,) = bb.generate([program_request()])
        assert ra.text == "program from A"
        assert rb.text == "program from B", "server B was answered from server A's cache row"
        assert rb.cached == 0 and b.count == 1
        # Both answers are kept side by side; asking A again still gets A's, from the cache.
        with openai(a.url, cache) as ba:
            (ra2,) = ba.generate([program_request()])
        assert ra2.text == "program from A" and ra2.cached == 1 and a.count == 1
    assert sorted(cache_rows(cache).values()) == ["program from A", "program from B"]


def test_same_server_twice_hits_the_cache_without_an_http_call(tmp_path):
    cache = tmp_path / "c.sqlite"
    with FaultServer(default=("text", "the program")) as srv:
        with openai(srv.url, cache) as b:
            (first,) = b.generate([program_request()])
        assert srv.count == 1
        # Spellings of the same endpoint are one identity: trailing slash, /v1 implied.
        root = srv.url.removesuffix("/v1")
        for url in (srv.url, srv.url + "/", root):
            with openai(url, cache) as b:
                (again,) = b.generate([program_request()])
            assert again.text == first.text and again.cached == 1
        assert srv.count == 1  # never asked again
    assert len(cache_rows(cache)) == 1


def test_api_key_never_reaches_the_cache(tmp_path):
    cache = tmp_path / "c.sqlite"
    with FaultServer() as srv:
        with openai(srv.url, cache, api_key=SECRET) as b:
            rs = b.generate([program_request(), CompletionRequest(prompt="p", temperature=0.5, seed=1)])
            assert SECRET not in repr(b.cache_identity)
        assert srv.headers[0]["Authorization"] == f"Bearer {SECRET}"  # it was really sent
        # The key is not part of the identity: a rotated key still hits the same rows.
        with openai(srv.url, cache, api_key="sk-rotated") as b:
            (again,) = b.generate([program_request()])
        assert again.cached == 1 and srv.count == 2
    assert all(r.ok for r in rs)
    for f in tmp_path.iterdir():  # the database and its WAL/SHM side files
        assert SECRET.encode() not in f.read_bytes(), f.name


def test_endpoint_identity_normalisation():
    from roboinstruct.llm.cache import endpoint_identity

    assert endpoint_identity("http://127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1"
    assert endpoint_identity("HTTP://LocalHost:8000/v1/") == "http://localhost:8000/v1"
    # default ports are made explicit, so both spellings are one server
    assert endpoint_identity("https://API.OpenAI.com/v1") == "https://api.openai.com:443/v1"
    assert endpoint_identity("https://api.openai.com:443/v1") == "https://api.openai.com:443/v1"
    assert endpoint_identity("http://h/v1") == "http://h:80/v1"
    # credentials in the URL (user:key@, ?key=) are never part of the identity; path case is kept
    ident = endpoint_identity(f"https://user:{SECRET}@Host.Example:8443/Proxy/V1/?key={SECRET}#x")
    assert ident == "https://host.example:8443/Proxy/V1"
    assert endpoint_identity("http://[::1]:8080/v1") == "http://[::1]:8080/v1"
    with pytest.raises(LLMError, match="bad base URL"):
        endpoint_identity("http://h:99999/v1")


def test_openai_identity_includes_the_endpoint_and_old_rows_are_orphaned(tmp_path):
    from roboinstruct.llm.cache import cache_key

    with FaultServer() as srv:
        with openai(srv.url, tmp_path / "c.sqlite") as b:
            ident = b.cache_identity
            assert (ident.namespace, ident.model, ident.endpoint) == ("openai", "fault-model", srv.url)
            b.generate([program_request()])
    (key,) = cache_rows(tmp_path / "c.sqlite")
    assert key == ident.key(program_request(), 0)
    # Rows written before the change (no endpoint) are deliberately never hit again: an old
    # row may hold another server's answer. The endpoint-free key itself is unchanged.
    assert key != OLD_OPENAI_KEY
    assert cache_key("openai", "fault-model", program_request(), 0) == OLD_OPENAI_KEY


def test_explicit_namespace_or_model_is_the_callers_identity(tmp_path):
    # Overrides name the weights/service themselves, so the URL stays out of the key:
    # that is how several replicas of one deployment may share a cache on purpose.
    b = openai("http://127.0.0.1:9/v1", None, no_cache=True, cache_namespace="my-cluster")
    assert b.cache_identity.endpoint is None and b.cache_identity.namespace == "my-cluster"
    b = openai("http://127.0.0.1:9/v1", None, no_cache=True, cache_model="sha256:abc")
    assert b.cache_identity.endpoint is None and b.cache_identity.model == "sha256:abc"


def test_deferred_endpoint_without_identity_is_refused(tmp_path):
    # Its URL is unknown until the first miss, so it cannot name the cache rows.
    with pytest.raises(LLMError, match="cache_model"):
        openai("http://127.0.0.1", tmp_path / "c.sqlite", endpoint=lambda: "http://127.0.0.1:9/v1")


# ---- Task 1: the local backend keeps its file-hash identity -----------------------------
@pytest.fixture
def fake_models(tmp_path, monkeypatch):
    # The file-hash index goes to tmp, not the shared models dir.
    monkeypatch.setenv("ROBOINSTRUCT_MODELS_DIR", str(tmp_path / "models"))
    gguf, lora = tmp_path / "fake.gguf", tmp_path / "fake-lora.gguf"
    gguf.write_bytes(FAKE_GGUF)
    lora.write_bytes(FAKE_LORA)
    return {"bare": (gguf, None), "lora": (gguf, lora)}


def local_on(server, gguf, lora, cache):
    """A LocalBackend whose llama.cpp server is replaced by `server` (no model load)."""
    from roboinstruct.llm.local_backend import LocalBackend

    lb = LocalBackend(model=str(gguf), lora=lora, cache=cache)
    lb.server.start = lambda: SimpleNamespace(base_url=server.url)
    return lb


@pytest.mark.parametrize("variant", ["bare", "lora"])
def test_local_backend_keys_are_byte_identical_to_before(fake_models, tmp_path, variant):
    gguf, lora = fake_models[variant]
    cache = tmp_path / "local.sqlite"
    with FaultServer() as srv:
        with local_on(srv, gguf, lora, cache) as lb:
            assert lb._client.cache_identity.endpoint is None
            rs = lb.generate(local_requests())
    assert [r.texts for r in rs] == [["echo: write a program"], ["echo: def f(): seed=3", "echo: def f(): seed=4"]]
    assert cache_rows(cache) == {key: text for text, key in OLD_LOCAL_KEYS[variant].items()}


def test_local_backend_rerun_on_another_port_hits_the_cache(fake_models, tmp_path):
    gguf, _ = fake_models["bare"]
    cache = tmp_path / "local.sqlite"
    with FaultServer(default=("text", "first run")) as a, FaultServer(default=("text", "second run")) as b:
        with local_on(a, gguf, None, cache) as lb:
            (r1,) = lb.generate([program_request()])
        with local_on(b, gguf, None, cache) as lb:
            (r2,) = lb.generate([program_request()])
        assert b.count == 0  # the new port was never asked (the server would not even start)
    assert r1.text == r2.text == "first run" and r2.cached == 1


def test_an_old_local_cache_row_is_hit_after_the_change(fake_models, tmp_path):
    # A row as the old code stored it: the new code must serve it without any HTTP call.
    from roboinstruct.llm.cache import ResponseCache

    gguf, _ = fake_models["bare"]
    cache = tmp_path / "old.sqlite"
    c = ResponseCache(cache)
    c.put(OLD_LOCAL_KEYS["bare"]["echo: write a program"], "from an old run", "stop", 5, 6)
    c.close()
    with FaultServer() as srv:
        with local_on(srv, gguf, None, cache) as lb:
            (r,) = lb.generate([program_request()])
        assert srv.count == 0
    assert r.text == "from an old run" and r.cached == 1


# ---- Task 2: `progress` is part of the backend interface -------------------------------
def test_backend_signatures_accept_progress():
    from roboinstruct.llm import openai_backend, types
    from roboinstruct.llm.local_backend import LocalBackend
    from roboinstruct.llm.openai_backend import OpenAIBackend

    assert openai_backend.Progress is types.Progress
    for fn in (types.Backend.generate, OpenAIBackend.generate, OpenAIBackend.agenerate,
               LocalBackend.generate, LocalBackend.agenerate):
        p = inspect.signature(fn).parameters.get("progress")
        assert p is not None, fn.__qualname__
        assert p.default is None, fn.__qualname__


def test_progress_sees_done_total_ending_at_n_n(tmp_path):
    calls = []
    n = 7
    with FaultServer(delay=0.02) as srv:
        with openai(srv.url, tmp_path / "c.sqlite", concurrency=3) as b:
            rs = b.generate([ChatRequest(messages=[{"role": "user", "content": f"q{i}"}]) for i in range(n)],
                            progress=lambda done, total: calls.append((done, total)))
            # a fully cached re-run still reports every request
            again = []
            b.generate([ChatRequest(messages=[{"role": "user", "content": f"q{i}"}]) for i in range(n)],
                       progress=lambda done, total: again.append((done, total)))
    assert all(r.ok for r in rs)
    assert calls == [(i, n) for i in range(1, n + 1)]
    assert again == calls and srv.count == n
