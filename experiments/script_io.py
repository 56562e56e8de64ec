"""What the experiment scripts share: timestamped log lines on stderr (a run in a log file shows it
moves) and a YAML config read with its required sections checked (one clear error line)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml


def logger(tag: str):
    def log(msg: str) -> None:
        print(f"[{tag} {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    return log


def read_config(path: str, sections: tuple[str, ...], example: str) -> dict:
    cfg = yaml.safe_load(Path(path).read_text()) or {}
    for key in sections:
        if key not in cfg:
            sys.exit(f"error: {path}: missing section {key!r} (see experiments/{example})")
    return cfg


def start(doc: str, phases: tuple[str, ...], load) -> tuple:
    """(args, config, out folder) of a phased experiment script: `CONFIG [--until PHASE]`."""
    import argparse

    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("config")
    ap.add_argument("--until", choices=phases, default=phases[-1], help="stop after this phase; re-run to continue")
    args = ap.parse_args()
    cfg = load(args.config)
    out = Path(cfg["out"])
    out.mkdir(parents=True, exist_ok=True)
    return args, cfg, out


def in_child(fn, *args):
    """`fn(*args)` in a fresh Python process (spawned, not forked: this one may hold a model's threads),
    its return value or its exception handed back. For phases that keep what they allocate: a trainer's
    torch, model and optimizer state (~17 GB for the 0.5B here) go back to the machine when it ends,
    before the next phase loads a model of its own. `fn` must be importable by name (module level)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)
