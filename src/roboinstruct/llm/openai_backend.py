"""Backend for any OpenAI-compatible HTTP server (vLLM, llama.cpp server, Ollama, hosted APIs).

Async httpx under a semaphore: at most `concurrency` requests are in flight, which is what a
vLLM server with continuous batching wants, and what keeps a hosted API under its rate limit.
Each of a request's n samples is its own HTTP call with seed + i — servers disagree about
`n` (llama.cpp's server returns n identical samples), and per-sample calls make per-sample
cache rows possible. Cache rows are named after this server (its normalized URL) as well as
the model name, so two servers serving the same model name never answer for each other.
The API key goes only into the Authorization header: it is never in an error, a repr, a
log line or a cache key.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import time
from typing import Callable, Sequence
from urllib.parse import urlsplit

import httpx

from .cache import CacheIdentity, ResponseCache, endpoint_identity, is_cacheable
from .retry import RetryPolicy, is_retryable_status, parse_retry_after

# Progress is defined in types (it is part of the Backend protocol) and stays importable
# from here for code written before it moved.
from .types import ChatRequest, LLMError, Progress, Request, Response, Usage


class _Fatal(Exception):
    """A failure that retrying cannot fix (e.g. 400 bad request, 401 bad key)."""


def normalize_base_url(url: str) -> str:
    """`http://host:8000` → `http://host:8000/v1`; a URL with a path is used as given."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LLMError(f"bad base URL {url!r}: expected http(s)://host[:port][/v1]")
    return url if parts.path else url + "/v1"


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class OpenAIBackend:
    name = "openai"

    def __init__(
        self,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        concurrency: int = 16,
        timeout: float = 120.0,
        retry: RetryPolicy | None = None,
        cache: ResponseCache | str | os.PathLike | None = None,
        no_cache: bool = False,
        cache_namespace: str | None = None,
        cache_model: str | None = None,
        extra_body: dict | None = None,
        endpoint: Callable[[], str] | None = None,
    ):
        if concurrency < 1:
            raise LLMError(f"concurrency must be >= 1, got {concurrency}")
        self.base_url = normalize_base_url(base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1")
        self.model = model or os.environ.get("ROBOINSTRUCT_MODEL") or ""
        self._api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self.concurrency = concurrency
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        # Cache identity: by default the served model name *and this server's URL* (see
        # cache_identity). A caller passing cache_namespace/cache_model names the identity
        # itself and the URL stays out: the local backend names the model file's hash (its
        # random port must not matter), and replicas of one deployment may share rows.
        self.cache_namespace = cache_namespace or self.name
        self._cache_model = cache_model
        self._cache_by_url = cache_namespace is None and cache_model is None
        if self._cache_by_url and endpoint is not None and not no_cache:
            raise LLMError(
                "a deferred endpoint needs cache_namespace/cache_model: its URL is unknown until the first "
                "call, so it cannot name cache entries"
            )
        if self._cache_by_url:
            endpoint_identity(self.base_url)  # a malformed port fails here, not mid-batch
        self.extra_body = dict(extra_body or {})
        # Called once, before the first real HTTP call, to get the base URL: the local
        # backend starts its server only when a call is needed (a fully cached re-run
        # never loads the model).
        self._endpoint = endpoint
        self._endpoint_error: str | None = None
        if no_cache:
            self.cache = None
        elif isinstance(cache, ResponseCache):
            self.cache = cache
        else:
            self.cache = ResponseCache(cache)
        self._owns_cache = self.cache is not None and not isinstance(cache, ResponseCache)

    @property
    def cache_identity(self) -> CacheIdentity:
        """Whose answers this backend's cache rows are. Read per request: the model name
        may be discovered from the server on the first batch."""
        return CacheIdentity(
            namespace=self.cache_namespace,
            model=self._cache_model or self.model,
            endpoint=endpoint_identity(self.base_url) if self._cache_by_url else None,
        )

    @property
    def parallelism(self) -> int:
        """Requests in flight at once."""
        return self.concurrency

    def __repr__(self) -> str:  # deliberately without the key
        return f"OpenAIBackend(base_url={self.base_url!r}, model={self.model!r}, concurrency={self.concurrency})"

    # ---- public API -------------------------------------------------------------------
    def generate(self, requests: Sequence[Request], progress: Progress | None = None) -> list[Response]:
        requests = list(requests)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.agenerate(requests, progress))
        # Called from inside an event loop (a notebook, an async stage): run on a fresh loop
        # in a helper thread rather than failing with "asyncio.run() cannot be called".
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, self.agenerate(requests, progress)).result()

    async def agenerate(self, requests: Sequence[Request], progress: Progress | None = None) -> list[Response]:
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        timeout = httpx.Timeout(self.timeout, connect=min(10.0, self.timeout))
        sem = asyncio.Semaphore(self.concurrency)
        self._endpoint_lock = asyncio.Lock()
        done = 0

        async with httpx.AsyncClient(headers=headers, limits=limits, timeout=timeout) as client:
            if not self.model:
                try:
                    self.model = await self._discover_model(client)
                except LLMError as e:
                    return [Response(error=str(e)) for _ in requests]

            async def run(req: Request) -> Response:
                nonlocal done
                try:
                    resp = await self._request(client, sem, req)
                except (LLMError, _Fatal) as e:
                    resp = Response(error=str(e), model=self.model)
                except Exception as e:  # noqa: BLE001 — a batch never dies of one request
                    resp = Response(error=f"{type(e).__name__}: {e}", model=self.model)
                done += 1
                if progress:
                    progress(done, len(requests))
                return resp

            return list(await asyncio.gather(*(run(r) for r in requests)))

    def close(self) -> None:
        if self.cache is not None and self._owns_cache:
            self.cache.close()
            self.cache = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- internals --------------------------------------------------------------------
    async def _discover_model(self, client: httpx.AsyncClient) -> str:
        # Single-model servers (llama.cpp, a vLLM with one model) need no --model.
        try:
            r = await client.get(self.base_url + "/models")
            r.raise_for_status()
            return r.json()["data"][0]["id"]
        except Exception as e:  # noqa: BLE001
            raise LLMError(f"no --model given and {self.base_url}/models did not name one ({type(e).__name__})") from None

    async def _request(self, client: httpx.AsyncClient, sem: asyncio.Semaphore, req: Request) -> Response:
        out = Response(model=self.model)
        # At T=0 all samples are the same text: generate once and repeat it.
        distinct = 1 if req.temperature == 0 else req.n
        use_cache = self.cache is not None and is_cacheable(req)
        identity = self.cache_identity if use_cache else None
        samples = []
        for i in range(distinct):
            key = identity.key(req, i) if identity else None
            hit = self.cache.get(key) if key else None
            if hit is not None:
                out.cached += 1 if distinct > 1 else req.n
                samples.append((hit["text"], hit["finish_reason"]))
                continue
            seed = None if req.seed is None else req.seed + i
            text, finish, usage, latency = await self._call_with_retries(client, sem, req, seed)
            out.usage.add(usage)
            out.latency_s += latency
            if key:
                self.cache.put(key, text, finish, usage.prompt_tokens, usage.completion_tokens)
            samples.append((text, finish))
        if distinct == 1:
            samples = samples * req.n
        out.texts = [s[0] for s in samples]
        out.finish_reasons = [s[1] for s in samples]
        return out

    def _payload(self, req: Request, seed: int | None) -> tuple[str, dict]:
        body: dict = {
            "model": self.model,
            "temperature": req.temperature,
            "top_p": req.top_p,
            "max_tokens": req.max_tokens,
            **self.extra_body,
        }
        if req.stop:
            body["stop"] = list(req.stop)
        if seed is not None:
            body["seed"] = seed
        if req.json_schema is not None:
            body["response_format"] = {"type": "json_schema",
                                       "json_schema": {"name": "answer", "strict": True,
                                                       "schema": json.loads(req.json_schema)}}
        if isinstance(req, ChatRequest):
            body["messages"] = list(req.messages)
            return "/chat/completions", body
        body["prompt"] = req.prompt
        return "/completions", body

    @staticmethod
    def _parse(path: str, data: dict) -> tuple[str, str | None, Usage]:
        choice = data["choices"][0]
        text = choice["message"]["content"] if path == "/chat/completions" else choice["text"]
        if not isinstance(text, str):
            raise ValueError("choice has no text")
        u = data.get("usage") or {}
        # Servers report reused prompt tokens differently: OpenAI/vLLM in prompt_tokens_details,
        # llama.cpp also in timings.cache_n (tokens taken from the slot's KV cache).
        cached = (u.get("prompt_tokens_details") or {}).get("cached_tokens")
        if cached is None:
            cached = (data.get("timings") or {}).get("cache_n")
        usage = Usage(int(u.get("prompt_tokens") or 0), int(u.get("completion_tokens") or 0), int(cached or 0))
        return text, choice.get("finish_reason"), usage

    async def _resolve_endpoint(self) -> None:
        async with self._endpoint_lock:
            if self._endpoint_error:
                raise LLMError(self._endpoint_error)
            if self._endpoint is not None:
                try:
                    self.base_url = normalize_base_url(await asyncio.to_thread(self._endpoint))
                except LLMError as e:
                    self._endpoint_error = str(e)  # fail the rest of the batch fast, same message
                    raise
                self._endpoint = None

    async def _call_with_retries(self, client, sem, req: Request, seed: int | None):
        if self._endpoint is not None or self._endpoint_error:
            await self._resolve_endpoint()
        path, body = self._payload(req, seed)
        url = self.base_url + path
        last = "no attempt made"
        for attempt in range(self.retry.max_tries):
            retry_after = None
            async with sem:
                t0 = time.perf_counter()
                try:
                    r = await client.post(url, json=body)
                except httpx.TimeoutException:
                    last = f"timed out after {self.timeout:g}s"
                    r = None
                except httpx.TransportError as e:
                    last = f"connection error ({type(e).__name__}: {_one_line(str(e), 120) or 'no detail'})"
                    r = None
                latency = time.perf_counter() - t0
            if r is not None:
                if r.status_code == 200:
                    try:
                        text, finish, usage = self._parse(path, r.json())
                        return text, finish, usage, latency
                    except (ValueError, KeyError, IndexError, TypeError, json.JSONDecodeError):
                        last = f"malformed response body: {_one_line(r.text, 120)!r}"
                elif is_retryable_status(r.status_code):
                    last = f"HTTP {r.status_code}: {_one_line(r.text)}"
                    retry_after = parse_retry_after(r.headers.get("retry-after"))
                else:
                    raise _Fatal(f"{url}: HTTP {r.status_code}: {_one_line(r.text)}")
            if attempt + 1 < self.retry.max_tries:
                await asyncio.sleep(self.retry.delay(attempt, retry_after))
        raise LLMError(f"{url}: gave up after {self.retry.max_tries} tries; last error: {last}")
