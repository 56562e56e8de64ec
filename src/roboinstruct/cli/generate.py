"""`roboinstruct generate`: the main job (Self-Instruct -> RoboSim -> InstAlign -> dataset)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    from ..pipeline.config import GenerateConfig
    from .options import add_settings_flags

    p = sub.add_parser("generate", help="generate a verified instruction->program dataset (the main job)",
                       description="Self-Instruct -> programs -> RoboSim rejection sampling -> InstAlign -> dataset. "
                                   "Settings: defaults < --config YAML < flags. Re-running the same command into the "
                                   "same --out resumes.")
    p.add_argument("--config", help="YAML file of settings (any field of GenerateConfig; flags override it)")
    p.set_defaults(func=run, flags=add_settings_flags(p, GenerateConfig))


def run(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from ..pipeline.config import load_config
    from .options import given
    from .progress import reporter

    cfg = load_config(args.config, given(args, args.flags))
    console = Console(stderr=True)
    note = _default_check_note(cfg)
    if note:
        console.print(note)
    with reporter(cfg.progress, console) as report:
        manifest, run = _run(cfg, report.tick, report.note)
    s = manifest["stats"]
    table = Table(title=f"roboinstruct generate: {cfg.mode} / {cfg.method}")
    table.add_column("stage")
    table.add_column("count", justify="right")
    for label, value in (("instructions generated", s["instructions_generated"]),
                         ("kept after dedup" + (" and gates" if cfg.check == "strict" else ""), s["instructions_kept"]),
                         ("programs sampled", s["programs_sampled"]),
                         ("programs valid (RoboSim" + (" + strict checks)" if cfg.check == "strict" else ")"),
                          s["programs_valid"]),
                         ("InstAlign revised chosen", s["instalign"]["revised_chosen"]),
                         ("pairs in dataset", s["pairs"])):
        table.add_row(label, str(value))
    Console().print(table)
    print(f"dataset: {run.dir / 'dataset.jsonl'} (+ dataset.parquet, README.md, manifest.json, report.html)")
    if s["pairs"] < cfg.num:
        rounds = len({r["round"] for r in run.instr})
        why = (f"the round budget ran out ({rounds} of max_rounds {cfg.rounds} used)" if rounds >= cfg.rounds else
               "instructions without a pair were not replaced (--no-top-up)" if not cfg.top_up else
               "post-processing dropped duplicates")
        print(f"note: {s['pairs']} of {cfg.num} pairs: {why}; raise max_rounds (in a --config YAML) for more",
              file=sys.stderr)
    return 0



def _run(cfg, tick, say):
    from ..pipeline.run import GenerationRun

    run = GenerationRun(cfg, progress=tick)
    say(f"run directory: {run.dir} (fingerprint {run.fingerprint})")
    try:
        return run.run(), run
    finally:
        run.close()


def _default_check_note(cfg) -> str | None:
    """One line when a new default (--check strict; --origin plans) starts a new run beside one this same
    command made before it existed: that one resumes only with the old settings."""
    from dataclasses import replace
    from pathlib import Path

    if cfg.check != "strict" or cfg.out:
        return None
    if getattr(cfg, "auto_origin", False) and cfg.origin == "plans":
        old = replace(cfg, origin="instructions")
        folder = Path("runs") / old.fingerprint()
        if (folder / "config.json").is_file():
            return (f"note: generate now starts pairs from the domain's request shapes (--origin plans, the new "
                    f"default), so this is a new run; {folder} was made from free instructions and resumes with "
                    f"--origin instructions")
    for prompts in (2, 1):
        old = replace(cfg, check="reference", prompts=prompts, top_up=False, origin="instructions")
        folder = Path("runs") / old.fingerprint()
        if (folder / "config.json").is_file():
            how = "--check reference --no-top-up" + (f" and `prompts: {prompts}` in a --config YAML"
                                                     if prompts != cfg.prompts else "")
            return (f"note: generate now checks meaning too (--check strict, the new default), so this is a new run; "
                    f"{folder} was made with the paper's checks and resumes with {how}")
    return None
