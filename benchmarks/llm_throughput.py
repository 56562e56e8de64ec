"""LLM throughput on this machine.

1. Decode speed (tokens/s) of each installed embedded model: one greedy request at a time.
2. Request throughput against the loopback llama.cpp server (small model, 8 slots) through
   the OpenAI backend at concurrency 1 vs 8, and their ratio (continuous batching gain).

    python benchmarks/llm_throughput.py [--models qwen2.5-coder-0.5b,...] [--requests 16]

The response cache is bypassed everywhere: this measures the model, not SQLite.
"""

from __future__ import annotations

import argparse
import os
import time

from roboinstruct.llm import ChatRequest, get_backend
from roboinstruct.llm.llama_server import LlamaServer
from roboinstruct.llm.models import (
    DEFAULT_TEST_MODEL,
    MODELS,
    is_installed,
    resolve_model,
)


def decode_speed(name: str, max_tokens: int) -> tuple[float, float]:
    """(tokens/s over generated tokens, seconds) for one greedy program-length answer."""
    req = ChatRequest(
        messages=[{"role": "user", "content": "Write a Python function that sorts a list of rooms by name, with a docstring."}],
        max_tokens=max_tokens,
    )
    with get_backend("local", model=name, no_cache=True, n_parallel=1) as b:
        b.generate([ChatRequest(messages=[{"role": "user", "content": "hi"}], max_tokens=2)])  # load + warm up
        t0 = time.perf_counter()
        (r,) = b.generate([req])
        dt = time.perf_counter() - t0
    if r.error:
        raise SystemExit(f"error: {r.error}")
    return r.usage.completion_tokens / r.latency_s, dt


def request_throughput(base_url: str, concurrency: int, n: int, max_tokens: int) -> float:
    reqs = [
        ChatRequest(messages=[{"role": "user", "content": f"Give one short tip about tidying room {i}."}], max_tokens=max_tokens, temperature=0.7, seed=i)
        for i in range(n)
    ]
    with get_backend("openai", base_url=base_url, no_cache=True, concurrency=concurrency, timeout=600) as b:
        t0 = time.perf_counter()
        rs = b.generate(reqs)
        dt = time.perf_counter() - t0
    bad = [r.error for r in rs if r.error]
    if bad:
        raise SystemExit(f"error: {bad[0]}")
    return n / dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=",".join(n for n, s in MODELS.items() if is_installed(s)))
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--requests", type=int, default=16)
    ap.add_argument("--req-tokens", type=int, default=32)
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} cores")
    print(f"{'model':<22} {'tok/s':>7}  (greedy, {args.max_tokens} max tokens, 1 slot, incl. prompt processing)")
    for name in filter(None, args.models.split(",")):
        tps, _ = decode_speed(name, args.max_tokens)
        print(f"{name:<22} {tps:7.1f}")

    path = resolve_model(DEFAULT_TEST_MODEL).path
    with LlamaServer(path, n_parallel=8, ctx_per_slot=512) as srv:
        request_throughput(srv.base_url, 1, 2, 4)  # warm up
        r1 = request_throughput(srv.base_url, 1, args.requests, args.req_tokens)
        r8 = request_throughput(srv.base_url, 8, args.requests, args.req_tokens)
    print(f"loopback server ({DEFAULT_TEST_MODEL}, 8 slots, {args.requests} requests x {args.req_tokens} tokens):")
    print(f"  concurrency 1: {r1:.2f} req/s   concurrency 8: {r8:.2f} req/s   ratio {r8 / r1:.2f}x")


if __name__ == "__main__":
    main()
