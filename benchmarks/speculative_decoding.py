"""Speculative decoding on this machine: the 1.5B alone vs with the 0.5B as draft vs ngram proposals.

    python benchmarks/speculative_decoding.py [--model qwen2.5-coder-1.5b] [--draft qwen2.5-coder-0.5b]

Three robot tasks, greedy, 256 tokens at most, the same chat prompt (API + task) for every
setting, one setting after the other in this process (never two models at once). Prints
prompt and decode tokens/s, the draft tokens proposed and accepted, and the ratio against the
plain run. Speculative decoding pays where verifying k proposed tokens in one batch costs
little more than writing one; on a small CPU it costs nearly k times as much.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import httpx

from roboinstruct.domain import load_domain
from roboinstruct.llm.llama_server import LlamaServer
from roboinstruct.llm.models import resolve_model

TASKS = ["Go to every room and count how many have a chair; tell me the number back in the office.",
         "Ask Alice in her office whether she wants coffee or tea, and bring it to her from the kitchen.",
         "Check if the stapler is in the supply room; if not, go to every office and ask who has it."]


def measure(label: str, server: LlamaServer, api: str) -> dict:
    rows = []
    with server, httpx.Client(timeout=900) as client:
        for i, task in enumerate(TASKS):
            messages = [{"role": "system", "content": "Write a Python program for a robot with this API:\n" + api},
                        {"role": "user", "content": f"{task} (#{i}, {time.time()})"}]  # no prompt-cache reuse
            r = client.post(server.base_url + "/chat/completions",
                            json={"messages": messages, "max_tokens": 256, "temperature": 0}).json()
            t = r["timings"]
            rows.append({"prompt_tok_s": t["prompt_per_second"], "decode_tok_s": t["predicted_per_second"],
                         "written": t["predicted_n"], "drafted": t.get("draft_n", 0),
                         "accepted": t.get("draft_n_accepted", 0)})
    out = {"label": label, **{k: round(sum(x[k] for x in rows) / len(rows), 1)
                              for k in ("prompt_tok_s", "decode_tok_s")},
           **{k: sum(x[k] for x in rows) for k in ("written", "drafted", "accepted")}}
    out["acceptance"] = round(out["accepted"] / out["drafted"], 2) if out["drafted"] else None
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="qwen2.5-coder-1.5b")
    ap.add_argument("--draft", default="qwen2.5-coder-0.5b")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()
    target, draft = resolve_model(args.model).path, resolve_model(args.draft).path
    api = load_domain("service_robot").api_prompt()
    settings = {"plain": {}, "ngram": {"speculative": "ngram"}, "draft": {"speculative": "draft", "draft": draft}}
    results = []
    for label, extra in settings.items():
        results.append(measure(label, LlamaServer(target, n_parallel=1, n_threads=args.threads, **extra), api))
        print(json.dumps(results[-1]), flush=True)
    base = results[0]["decode_tok_s"]
    print(f"\n{'':<8}{'prompt tok/s':>14}{'decode tok/s':>14}{'vs plain':>10}{'accepted':>14}")
    for r in results:
        acc = f"{r['accepted']}/{r['drafted']}" if r["drafted"] else "-"
        print(f"{r['label']:<8}{r['prompt_tok_s']:>14}{r['decode_tok_s']:>14}{r['decode_tok_s'] / base:>9.2f}x{acc:>14}")
    if args.json:
        Path(args.json).write_text(json.dumps({"model": args.model, "draft": args.draft, "results": results}, indent=2))


if __name__ == "__main__":
    main()
