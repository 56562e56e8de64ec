"""A GenSim checkout as a fine-tuning dataset, built at run time from the user's checkout.

`build` splits the checkout (`tasks.split`: tasks too close to GenSim's fine-tuning targets are
held out, never validated, never written), validates every other task file unchanged in GenSim's
dialect (`validate.run.validate_many`, as `tabletop validate --gensim` does), keeps those the
chosen rule accepts (GenSim's rule by default, or the strict verdict) and writes OUT/:

- dataset.jsonl: one row per accepted task — name, description, code, verdict, content_hash (plus
  `instruction` = "name: description" and `program` = the code, the columns `finetune` reads, and
  the file and the assets it loaded);
- split.json: the held-out split (names and numbers only);
- manifest.json: kind `gensim` (so `finetune` trains in the `tabletop` prompt format), the
  checkout's commit and content hash, the rule, the threshold, counts and the dataset's sha256.

The checkout's code lives only in OUT (the user's own copy), never in this repository.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...artifacts import atomic_write, fingerprint, versions, write_json
from ...errors import UserError
from ...settings import fingerprinted, option
from ..validate.settings import ValidateSettings
from ..validate.taskcode import code_hash
from ..validate.verdict import TaskVerdict
from .content import docstring, language
from .sources import collect
from .heldout import load_heldout
from .split import DEFAULT_THRESHOLD, TARGETS_SPEC, read_checkout, split, task_name

RULES = ("gensim", "strict")
SOURCE = "gensim-checkout"


@dataclass
class DatasetSettings(ValidateSettings):
    rule: str = option("gensim", "the verdict that accepts a task: gensim (GenSim's rule: reward > 0.99 on >= τ·K "
                                 "seeds) or strict (the project's verdict)", choices=RULES)
    heldout_threshold: float = option(DEFAULT_THRESHOLD, "hold out every task whose content similarity to a GenSim "
                                                         "fine-tuning target reaches this (0-1]")

    def validate(self) -> DatasetSettings:
        super().validate()
        if self.rule not in RULES:
            raise UserError(f"--rule {self.rule!r} is not one of {', '.join(RULES)}")
        if not 0 < self.heldout_threshold <= 1:
            raise UserError(f"--heldout-threshold must be in (0, 1], got {self.heldout_threshold}")
        return self


def accepted(v: TaskVerdict, rule: str) -> bool:
    return v.ok if rule == "strict" else (v.gensim_verdict or {}).get("status") == "pass"


def description(name: str, code: str) -> str:
    """The task's description: its class docstring, else its first language template, else its name."""
    return docstring(code) or next(iter(language(code)), "") or name.replace("-", " ")


def checkout_identity(root: Path, files: dict[str, str]) -> dict:
    """The checkout's git commit (when it is a git clone) and a hash of its task files' names and contents."""
    commit = "unknown"
    try:
        top, head = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel", "HEAD"],
                                   capture_output=True, text=True, check=True).stdout.split()
        if Path(top).resolve() == root.resolve():  # the checkout's own clone, not a repository around it
            commit = head
    except (OSError, ValueError, subprocess.CalledProcessError):
        pass
    digest = hashlib.sha256("".join(f"{f}\t{code_hash(c)}\n" for f, c in sorted(files.items())).encode()).hexdigest()
    return {"path_name": root.resolve().name, "commit": commit, "tasks_sha256": digest}


def row(v: TaskVerdict, code: str, rule: str) -> dict:
    name = task_name(v.file)
    desc = description(name, code)
    g = v.gensim_verdict or {}
    verdict = {"rule": rule, "strict": v.status, "gensim": g.get("status"),
               "passed": g.get("passed") if rule == "gensim" else v.passed, "seeds": v.seeds}
    return {"name": name, "description": desc, "code": code, "verdict": verdict, "content_hash": code_hash(code),
            "file": v.file, "assets": list(v.assets), "instruction": f"{name}: {desc}", "program": code}


def build(checkout: str | Path, out: str | Path, s: DatasetSettings, validator: Callable | None = None,
          only: set[str] | None = None) -> dict:
    """Split, validate, write OUT/{dataset.jsonl, split.json, manifest.json}; the manifest back.
    `validator(candidates) -> verdicts` (default: local sandbox workers under `s`); `only`: validate
    just these checkout files (a sample), the split still covers the whole checkout."""
    from ..validate.run import validate_many

    root, out = Path(checkout), Path(out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: a file is there; give a folder for dataset.jsonl, split.json and manifest.json")
    files = read_checkout(root)
    sp = split(files, list(load_heldout(TARGETS_SPEC).values()), s.heldout_threshold)
    todo = [c for c in collect([], str(root)) if not sp.is_held_out(c.file) and (only is None or c.file in only)]
    validator = validator or (lambda cands: validate_many(cands, seeds=s.seeds, tau=s.tau, run_seed=s.seed,
                                                          workers=s.workers, robot=s.robot))
    verdicts = validator(todo) if todo else []
    rows = [row(v, c.source, s.rule) for c, v in zip(todo, verdicts) if accepted(v, s.rule)]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    atomic_write(out / "dataset.jsonl", data)
    write_json(out / "split.json", sp.to_dict())
    # a file stopped before any episode (the static check) has no GenSim verdict: its strict stage
    rejected = Counter(((v.gensim_verdict or {}).get("stage") if s.rule == "gensim" else None) or v.stage
                       for v in verdicts if not accepted(v, s.rule))
    identity = checkout_identity(root, files)
    # what the dataset depends on: not how many workers or which executor computed it
    settings = {k: v for k, v in fingerprinted(s).items() if k not in ("workers", "executor")}
    manifest = {
        "kind": "gensim", "source": SOURCE,
        "fingerprint": fingerprint({"settings": settings, "checkout": identity["tasks_sha256"],
                                    "only": sorted(only) if only is not None else None}),
        "checkout": identity, "rule": s.rule, "config": settings,
        "heldout": {"threshold": s.heldout_threshold, "rule": sp.rule, "measure": sp.measure,
                    "targets": list(sp.targets), "held_out": sorted(p.name for p in sp.held_out)},
        "counts": {"files": len(files), "held_out": len(sp.held_out), "validated": len(verdicts),
                   "accepted": len(rows), "rejected": len(verdicts) - len(rows),
                   "rejected_at": dict(sorted((k or "?", n) for k, n in rejected.items()))},
        "files": {"dataset.jsonl": hashlib.sha256(data.encode("utf-8")).hexdigest()},
        "versions": versions(["roboinstruct", "pybullet", "numpy"]),
        "outputs": ["dataset.jsonl", "split.json", "manifest.json"]}
    write_json(out / "manifest.json", manifest)
    return manifest


def is_dataset(path: str | Path) -> bool:
    """Whether PATH is a folder `build` wrote (rather than a checkout)."""
    try:
        return json.loads((Path(path) / "manifest.json").read_text()).get("source") == SOURCE
    except (OSError, ValueError, AttributeError):
        return False


def read_rows(path: str | Path) -> list[dict]:
    """The rows of a dataset `build` wrote; one UserError line when it is not one or was edited."""
    folder = Path(path)
    if not is_dataset(folder):
        raise UserError(f"{path}: not a `roboinstruct tabletop dataset` folder (no manifest.json of a GenSim dataset)")
    manifest = json.loads((folder / "manifest.json").read_text())
    try:
        raw = (folder / "dataset.jsonl").read_bytes()
    except OSError as e:
        raise UserError(f"cannot read {folder / 'dataset.jsonl'}: {e.strerror}") from None
    if hashlib.sha256(raw).hexdigest() != manifest.get("files", {}).get("dataset.jsonl"):
        raise UserError(f"{folder / 'dataset.jsonl'}: differs from the hash in its manifest.json; rebuild it with "
                        f"`roboinstruct tabletop dataset`")
    return [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
