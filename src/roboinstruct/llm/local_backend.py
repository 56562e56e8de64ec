"""Embedded backend: a GGUF model run by llama.cpp inside this process, no server to install.

It resolves the model (registry name or .gguf path), starts llama.cpp's server on loopback
and delegates to the OpenAI backend. Cache entries are named after the model file's sha256,
not the random port, so a re-run hits the cache, and a different file never collides.
The server starts only when a request actually misses the cache: a fully cached re-run
never loads the model.
"""

from __future__ import annotations

import os
from typing import Sequence

from ..artifacts import ByteProgress, hash_file
from .llama_server import LlamaServer
from .threads import choose_slots
from .models import resolve_model
from .openai_backend import OpenAIBackend
from .types import Progress, Request, Response


class LocalBackend:
    name = "local"

    def __init__(
        self,
        model: str | None = None,
        n_parallel: int | None = None,
        ctx_per_slot: int = 4096,
        n_threads: int | None = None,
        timeout: float = 600.0,
        cache=None,
        no_cache: bool = False,
        model_progress: ByteProgress | None = None,
        verbose: bool = False,
        lora: str | os.PathLike | None = None,
        poll: int = 50,
    ):
        n_parallel = choose_slots(n_parallel)  # None: 1 slot on a 2-core machine (llm.threads)
        self.resolved = resolve_model(model, model_progress)
        self.model = self.resolved.name
        self.server = LlamaServer(self.resolved.path, n_parallel, ctx_per_slot, n_threads, verbose, lora, poll)
        cache_model = f"sha256:{self.resolved.sha256}"
        if lora:  # base + adapter is another model: never share cache entries with the bare base
            cache_model += f"+lora:{hash_file(lora)}"
        self._client = OpenAIBackend(
            model=self.model,
            base_url="http://127.0.0.1",  # placeholder until the server has a port
            endpoint=lambda: self.server.start().base_url,
            api_key="",
            # More in flight than slots only queues inside llama.cpp and eats the timeout.
            concurrency=n_parallel,
            timeout=timeout,
            cache=cache,
            no_cache=no_cache,
            # An explicit identity keeps the server's URL out of the keys, and these two
            # values are exactly what the keys always hashed: existing caches still hit.
            cache_namespace="gguf",
            cache_model=cache_model,
        )

    @property
    def parallelism(self) -> int:
        """Requests the server works on at once (its slots)."""
        return self.server.n_parallel

    @property
    def cache(self):
        return self._client.cache

    @property
    def base_url(self) -> str:
        """Start the server (if needed) and return its OpenAI-compatible URL."""
        return self.server.start().base_url

    def generate(self, requests: Sequence[Request], progress: Progress | None = None) -> list[Response]:
        return self._client.generate(requests, progress)

    async def agenerate(self, requests: Sequence[Request], progress: Progress | None = None) -> list[Response]:
        return await self._client.agenerate(requests, progress)

    def close(self) -> None:
        self._client.close()
        self.server.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LocalBackend(model={self.model!r}, path={os.fspath(self.resolved.path)!r})"

