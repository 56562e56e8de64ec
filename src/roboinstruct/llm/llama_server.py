"""llama.cpp's OpenAI-compatible server, started in-process through xllamacpp.

Why a server and not direct bindings: the server applies the GGUF's own chat template,
batches parallel requests (continuous batching across `n_parallel` slots), and lets the
local backend reuse the OpenAI backend unchanged — one code path for retries, caching and
usage accounting. It binds 127.0.0.1 on a free port chosen by the OS, so nothing is exposed
and parallel test runs never collide. No subprocess, no binary download.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx

from .models import RUNTIME_PIN
from .threads import choose_threads
from .types import LLMError


def _import_xllamacpp():
    try:
        import xllamacpp  # heavy native library: imported only when a local model is used
    except ImportError:
        raise LLMError(
            f"the local backend needs xllamacpp; run: pip install '{RUNTIME_PIN}' (or pip install 'roboinstruct[local]')"
        ) from None
    return xllamacpp


class LlamaServer:
    """Context manager: `with LlamaServer(path) as srv: srv.base_url` → 'http://127.0.0.1:PORT/v1'."""

    def __init__(
        self,
        gguf: str | os.PathLike,
        n_parallel: int = 2,
        ctx_per_slot: int = 4096,
        n_threads: int | None = None,
        verbose: bool = False,
        lora: str | os.PathLike | None = None,
        poll: int = 50,
        speculative: str | None = None,
        draft: str | os.PathLike | None = None,
    ):
        self.gguf = Path(gguf)
        if not self.gguf.is_file():
            raise LLMError(f"model file not found: {self.gguf}")
        self.lora = Path(lora) if lora else None  # a LoRA GGUF applied on top (finetune.export_gguf)
        if self.lora is not None and not self.lora.is_file():
            raise LLMError(f"LoRA adapter file not found: {self.lora}")
        self.n_parallel = n_parallel
        self.ctx_per_slot = ctx_per_slot
        self.requested_threads = n_threads  # None: the idle cores when the server starts (llm.threads)
        self.n_threads = 0  # decided at start
        self.poll = poll  # llama.cpp's busy-wait level (0-100, its default 50; see llm.threads)
        self.verbose = verbose
        # Speculative decoding: "draft" (a small model of the same tokenizer proposes, `draft` = its GGUF)
        # or "ngram" (proposals copied from the context). Off by default: on 2 CPU cores the 0.5B drafting
        # for the 1.5B wrote 14.2 tok/s vs 27.6 without (0.51x, though 82% of its tokens were accepted),
        # ngram 23.7 (0.86x) (benchmarks/speculative_decoding.py): checking k drafted tokens in one batch
        # costs nearly k times one token on a CPU this small, and the draft model evaluates every prompt too.
        if speculative not in (None, "draft", "ngram"):
            raise LLMError(f"speculative must be 'draft' or 'ngram', got {speculative!r}")
        if (speculative == "draft") != (draft is not None):
            raise LLMError("speculative='draft' needs a draft model GGUF (and a draft needs speculative='draft')")
        self.speculative, self.draft = speculative, Path(draft) if draft else None
        self._server = None
        self.root_url = ""

    @property
    def base_url(self) -> str:
        return self.root_url + "/v1"

    def start(self) -> "LlamaServer":
        if self._server is not None:
            return self
        xl = _import_xllamacpp()
        p = xl.CommonParams()
        p.model.path = str(self.gguf)
        p.n_parallel = self.n_parallel
        # llama.cpp splits n_ctx across slots: give each slot room for prompt + program.
        p.n_ctx = self.ctx_per_slot * self.n_parallel
        self.n_threads = choose_threads(self.requested_threads)
        for cpu in (p.cpuparams, p.cpuparams_batch):  # generation and prompt processing alike
            cpu.n_threads = self.n_threads
            cpu.poll = self.poll
        p.hostnames = ["127.0.0.1"]
        p.port = 0  # the OS picks a free port; the server reports it
        p.warmup = False  # saves a second at start; the first request warms up anyway
        if self.speculative == "ngram":
            p.speculative.types = [xl.common_speculative_type.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE]
        elif self.speculative == "draft":
            p.speculative.types = [xl.common_speculative_type.COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE]
            p.speculative.draft.mparams.path = str(self.draft)
            for cpu in (p.speculative.draft.cpuparams, p.speculative.draft.cpuparams_batch):
                cpu.n_threads = self.n_threads
        if self.lora is not None:
            adapter = xl.CommonAdapterLoraInfo()
            adapter.path, adapter.scale = str(self.lora), 1.0
            p.lora_adapters = [adapter]
        if not self.verbose:
            p.verbosity = -1  # llama.cpp logs every slot event to stderr otherwise
        try:
            self._server = xl.Server(p)
        except Exception as e:  # noqa: BLE001 — native errors carry little type information
            with_lora = f" with LoRA {self.lora}" if self.lora else ""
            raise LLMError(f"llama.cpp could not load {self.gguf}{with_lora}: {e}") from None
        self.root_url = str(self._server.listening_address).rstrip("/")
        if not self.root_url.startswith("http"):
            self.root_url = "http://" + self.root_url
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 120.0) -> None:
        # /health answers 503 while the model loads; poll until 200.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.root_url + "/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.close()
        raise LLMError(f"llama.cpp server for {self.gguf.name} not ready after {timeout:.0f}s")

    def close(self) -> None:
        # Dropping the Server object stops its main loop and frees the model.
        self._server = None

    def __enter__(self) -> "LlamaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
