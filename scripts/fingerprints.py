"""Fingerprints of the README's main job and of every committed experiment config.

    python scripts/fingerprints.py            # rewrite tests/fingerprints.json
    python scripts/fingerprints.py --check    # exit 1 when a fingerprint changed

A restructuring must not change what names a run directory (a changed fingerprint orphans every
run made before it). `tests/test_fingerprints.py` recomputes these and compares them with the
committed file, which was written before the tabletop/ layout moved.

What is computed, without a model or a GPU:
- generate: `roboinstruct generate` (defaults) and the README's `--num 20`; every ablation mode;
- gensim: the GensimRun fingerprint of each `experiments/gensim-*.yaml`;
- finetune: the adapter fingerprint of each experiment's finetune section with a stand-in dataset
  hash and base identity (everything else, the prompt identity included, is the real one);
- score: the ScoreRun fingerprint of each score section (greedy and sampled) with a stand-in served
  model (`openai:fingerprint-probe`): the config, the suite's prompts and the prompt identity;
- policy: the training settings of each `experiments/policy-*.yaml` row and the demonstration
  seeds of every task it names (the seeds derive from the task file's code hash).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fingerprints.json"
PROBE_MODEL = "openai:fingerprint-probe"
MODES = ("self-instruct", "reject-unsolvable", "robosim", "instalign", "robo-instruct")


def generate_fp(overrides: dict) -> str:
    from roboinstruct.pipeline.config import load_config

    return load_config(None, overrides).fingerprint()


def gensim_fp(overrides: dict) -> str:
    from roboinstruct.gensim.config import load_config

    return load_config(None, overrides).validate().fingerprint()


def adapter_fp(section: dict, gensim: bool) -> str:
    from roboinstruct.finetune.settings import FinetuneSettings, adapter_fingerprint
    from roboinstruct.taskprompt import build_task_prompt

    ft = {k: v for k, v in section.items() if k != "base"}
    settings = FinetuneSettings(**ft)
    if gensim and settings.prompt_format == "chat":  # as finetune.train does for a task library
        settings.prompt_format = "tabletop"
        if settings.max_len == 1024:
            settings.max_len = 3072
    prompt = build_task_prompt(settings.prompt_format, settings.prompt_files)
    return adapter_fingerprint(settings, "<dataset-sha256>", "<base-identity>",
                               prompt.identity() if prompt.format != "chat" else None)


def score_fp(section: dict, greedy: bool) -> str:
    from roboinstruct.score.run import ScoreConfig, ScoreRun

    sc = {k: v for k, v in section.items()
          if k not in ("sampled", "workers", "score_base", "base_model", "bases", "also_formats")}
    if greedy:
        sc["greedy"] = True
    else:
        sc.update(section.get("sampled", {"n": 20, "temperature": 0.2}))
    with tempfile.TemporaryDirectory() as tmp:
        return ScoreRun(ScoreConfig(model=PROBE_MODEL, **sc), Path(tmp) / "score", log=lambda m: None).fingerprint


def library_fps(cfg: dict) -> dict:
    """The library dataset's fingerprint (from the checkout the config names, relative to the repository),
    the adapter's, and each suite's greedy and sampled score fingerprints of the untuned base (the
    few-shot rows' prompts depend on the built library's content: not computable without building it)."""
    sys.path.insert(0, str(ROOT / "experiments"))
    try:
        from gensim_library import library_fingerprint
    finally:
        sys.path.remove(str(ROOT / "experiments"))
    lib = {**cfg["library"], "gensim": str(ROOT / cfg["library"]["gensim"])}
    res = {"library": library_fingerprint({"library": lib}), "finetune": adapter_fp(cfg["finetune"], gensim=True)}
    sc = {k: v for k, v in cfg["score"].items() if k not in ("suites", "shots")}
    for suite in cfg["score"]["suites"]:
        res[f"score greedy {suite}"] = score_fp({**sc, "tasks": suite}, True)
        res[f"score sampled {suite}"] = score_fp({**sc, "tasks": suite}, False)
    return res


def topdown_fps(cfg: dict) -> dict:
    """The shared library's fingerprint and each target's GensimRun fingerprint (the run directories)."""
    sys.path.insert(0, str(ROOT / "experiments"))
    try:
        from gensim_library import library_fingerprint
        from gensim_topdown import run_config, targets
    finally:
        sys.path.remove(str(ROOT / "experiments"))
    out = Path(cfg["out"])
    lib = {**cfg["library"], "gensim": str(ROOT / cfg["library"]["gensim"])}
    return {"library": library_fingerprint({"library": lib}),
            **{t: run_config(cfg, t, out, out / "library").fingerprint() for t in targets(cfg)}}


def policy_fps(cfg: dict) -> dict:
    from roboinstruct.artifacts import fingerprint
    from roboinstruct.tabletop.tasks.sources import collect
    from roboinstruct.tabletop.validate.taskcode import code_hash
    from roboinstruct.tabletop.validate.seeds import derive_seeds

    def train(episodes):
        from roboinstruct.settings import fingerprinted
        from roboinstruct.tabletop.learning.train import TrainSettings

        # fingerprinted(): a setting added later is left out at its legacy value (TrainSettings.sample)
        return fingerprint(fingerprinted(TrainSettings(**cfg["train"], episodes=episodes)))

    def demos(tasks: list[str], n: int) -> dict:
        out = {}
        for t in tasks:
            if "/" in t and not Path(t).exists():  # a placeholder for a run folder (policy-gpu.yaml)
                out[t] = "missing"
                continue
            for c in collect([t]):
                out[Path(c.file).name] = fingerprint([code_hash(c.source),
                                                      derive_seeds(cfg.get("seed", 0), code_hash(c.source), n)])
        return out

    res: dict = {}
    if cfg.get("single"):
        s = cfg["single"]
        res["single"] = {"train": {str(n): train(n) for n in s["demos"]},
                         "demos": demos([s["task"]], max(s["demos"]))}
    if cfg.get("multi"):
        m = cfg["multi"]
        res["multi"] = {"train": train(None),
                        **{k: demos(m[k], m["demos"]) for k in ("base", "extra", "heldout")}}
    return res


def compute() -> dict:
    out: dict = {"readme": {"generate": generate_fp({}), "generate --num 20": generate_fp({"num": 20})}}
    for path in sorted((ROOT / "experiments").glob("*.yaml")):
        cfg = yaml.safe_load(path.read_text())
        name = path.name
        if name.startswith("ablation-"):
            rows = cfg.get("rows") or [{"name": m, "mode": m} for m in cfg.get("modes", MODES)]
            gen = {r["name"]: generate_fp({**cfg["generate"],
                                           **{k: v for k, v in r.items() if k not in ("name", "mode", "label")},
                                           "mode": r.get("mode", "robo-instruct"),
                                           "out": f"{cfg['out']}/{r['name']}/data"}) for r in rows}
            out[name] = {"generate": gen, "finetune": adapter_fp(cfg["finetune"], gensim=False),
                         "score greedy": score_fp(cfg["score"], True),
                         "score sampled": score_fp(cfg["score"], False)}
            for fmt in cfg["score"].get("also_formats", []):
                out[name][f"score greedy {fmt}"] = score_fp({**cfg["score"], "prompt_format": fmt}, True)
                out[name][f"score sampled {fmt}"] = score_fp({**cfg["score"], "prompt_format": fmt}, False)
        elif name == "gensim-library.yaml":  # experiments/gensim_library.py: a checkout's tasks as the library
            out[name] = library_fps(cfg)
        elif name == "gensim-topdown.yaml":  # experiments/gensim_topdown.py: one loop run per target
            out[name] = topdown_fps(cfg)
        elif name.startswith("gensim-"):
            out[name] = {"generate": gensim_fp({**cfg["generate"], "out": f"{cfg['out']}/library"}),
                         "finetune": adapter_fp(cfg["finetune"], gensim=True),
                         "score greedy": score_fp(cfg["score"], True)}
            if "sampled" in cfg["score"]:
                out[name]["score sampled"] = score_fp(cfg["score"], False)
        elif name.startswith("policy-"):
            out[name] = policy_fps(cfg)
        else:
            raise SystemExit(f"{path}: an experiment config this script does not know; add it here")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = ap.parse_args()
    now = compute()
    if args.check:
        then = json.loads(OUT.read_text())
        if now != then:
            print(json.dumps({"committed": then, "now": now}, indent=1, sort_keys=True))
            return 1
        print("fingerprints unchanged")
        return 0
    OUT.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
