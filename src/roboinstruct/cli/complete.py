"""`roboinstruct complete INSTRUCTION`: one program from a model, and its RoboSim verdict."""

from __future__ import annotations


def register(sub) -> None:
    from ..llm.settings import BackendSettings
    from .options import add_settings_flags

    p = sub.add_parser("complete", help="write a robot program for one instruction and verify it")
    p.add_argument("instruction", help='e.g. "Go to the kitchen and bring me an apple"')
    p.add_argument("--domain", default=None, help="built-in domain name or a domain .yaml (default: service robot)")
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--top-p", type=float, default=1.0)
    p.add_argument("--max-tokens", type=int, default=512)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--raw", action="store_true", help="also print the model's full answer")
    p.set_defaults(func=run, flags=add_settings_flags(p, BackendSettings))


def run(args) -> int:
    from rich.console import Console

    from ..errors import RunFailed
    from ..llm.settings import BackendSettings, build_backend
    from ..robosim import extract_program, verify
    from ..settings import load_settings
    from ..taskprompt import program_request
    from .options import given
    from .progress import model_progress_bar

    out, err = Console(), Console(stderr=True)
    settings = load_settings(BackendSettings, None, given(args, args.flags))
    request = program_request(args.instruction, args.domain, temperature=args.temperature, top_p=args.top_p,
                              max_tokens=args.max_tokens, seed=args.seed)
    bar, progress = model_progress_bar(err)
    with bar:
        backend = build_backend(settings, progress)
    try:
        with err.status(f"generating with {settings.backend}:{backend.model or 'server default'}"):
            (resp,) = backend.generate([request])
    finally:
        backend.close()
    if resp.error:
        raise RunFailed(resp.error)
    raw = resp.texts[0]
    extraction = extract_program(raw)
    if args.raw or extraction.code is None:
        err.rule("model answer")
        print(raw)
    if extraction.code is None:
        raise RunFailed(f"no program in the model's answer: {extraction.error}")
    print(extraction.code)
    source = "cache" if resp.cached else f"{resp.usage.completion_tokens} tokens in {resp.latency_s:.1f}s"
    err.print(f"[dim]{backend.model} · {source}[/dim]")
    verdict = verify(extraction.code, domain=args.domain, seed=args.seed or 0)
    out.print(f"RoboSim: {verdict.summary()}", markup=False, highlight=False)
    return 0  # a program was produced; its verdict is information, not a command failure
