"""Held-out target tasks (`score --tasks tabletop:heldout`, `tabletop:gensim-targets` or
`tabletop:FILE.yaml`) and how a
model's task file for one of them is judged: the tabletop validator's verdict, mapped onto the
benchmark's verdict kinds so pass@1, intervals and `compare` work unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...errors import UserError

BUILTIN = Path(__file__).parent / "heldout.yaml"
# the built-in suites by name: ours, and GenSim's fine-tuning targets (tasks.split holds them out of training)
BUILTINS = {"heldout": BUILTIN, "gensim-targets": Path(__file__).parent / "gensim_targets.yaml"}
# validator stage -> the benchmark's verdict kind: code that does not run, tasks that are not
# well-formed, and tasks the demonstrator cannot complete
KIND = {"parse": "PythonError", "sandbox": "PythonError", "instantiate": "PythonError", "reset": "PythonError",
        "unsupported": "RobotExecutionError", "assets": "RobotExecutionError", "templates": "RobotExecutionError",
        "goals": "RobotExecutionError", "matches": "RobotExecutionError", "rewards": "RobotExecutionError",
        "language": "RobotExecutionError", "workspace": "RobotExecutionError", "overlap": "RobotExecutionError",
        "stable": "RobotExecutionError", "trivial": "CompletionError", "oracle": "CompletionError",
        "determinism": "CompletionError"}


@dataclass
class HeldoutTask:
    name: str
    description: str
    requires: tuple = ()  # asset families ("stacking", "bowl", ...) the answer must load

    @property
    def prompts(self) -> list[str]:
        return [f"{self.name}: {self.description}"]


def load_heldout(spec: str) -> dict[str, HeldoutTask]:
    where = spec.split(":", 1)[1]
    path = BUILTINS.get(where) or Path(where)
    try:
        data = yaml.safe_load(path.read_text()) or {}
        tasks = [HeldoutTask(str(t["name"]), str(t["description"]), tuple(t.get("requires", ())))
                 for t in data["tasks"]]
    except OSError:
        raise UserError(f"--tasks {spec}: cannot read {path}") from None
    except (yaml.YAMLError, KeyError, TypeError):
        raise UserError(f"--tasks {spec}: expected YAML `tasks: [{{name, description}}, ...]`") from None
    return {t.name: t for t in tasks}


def contaminated(adapter_dir: str, suite: dict[str, HeldoutTask]) -> list[str]:
    """Held-out tasks whose name or description appears in the adapter's training rows."""
    from ...core.manifests import read_adapter_manifest

    manifest = read_adapter_manifest(Path(adapter_dir).expanduser()) or {}
    path = Path((manifest.get("dataset") or {}).get("path") or "")
    if not path.is_file():
        return []
    text = path.read_text(errors="replace").lower()
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    seen = " ".join(str(r.get("instruction", "")) + " " + str(r.get("name", "")) for r in rows)
    return sorted(t.name for t in suite.values() if t.name in seen or t.description.lower() in seen)


def evaluate(rows: list[dict], suite: dict[str, HeldoutTask], workers: int | None, on_result) -> None:
    """Validate each row's program; on_result(i, row) with `verdict`, `stage`, `message`. A valid
    task that does not load the held-out task's asset families is a CompletionError ('requirements')."""
    from ..validate.run import validate_many
    from ..validate.verdict import Candidate

    verdicts = validate_many([Candidate(r["key"], r["program"]) for r in rows], workers=workers)
    for i, (row, v) in enumerate(zip(rows, verdicts)):
        verdict, stage, message = ("Success", "pass", "") if v.ok else (KIND.get(v.stage, "PythonError"), v.stage, v.reason)
        families = {a.split("/")[0] for a in v.assets} | ({"stacking"} if any(a.startswith("block/") for a in v.assets)
                                                         else set())
        missing = sorted(set(suite[row["task"]].requires) - families)
        if v.ok and missing:
            verdict, stage, message = "CompletionError", "requirements", f"loads no {', '.join(missing)} asset"
        on_result(i, {**row, "verdict": verdict, "stage": stage, "message": message})


class HeldoutSuite:
    """`--tasks tabletop:heldout | tabletop:FILE.yaml` as `core.kinds` sees it: answers are task files
    (the `tabletop` prompt format), judged by the validator; an adapter trained on a held-out task
    is refused."""

    prompt_format = "tabletop"

    def __init__(self, spec: str):
        self.spec = spec
        self.tasks = load_heldout(spec)

    def check_model(self, model) -> None:
        if model.kind != "adapter":
            return
        seen = contaminated(model.target, self.tasks)
        if seen:
            raise UserError(f"--tasks {self.spec}: the adapter was trained on held-out task(s) {', '.join(seen)}; "
                            f"scoring it there would measure memory, not skill")

    def evaluate(self, rows: list[dict], workers: int | None, on_result) -> None:
        evaluate(rows, self.tasks, workers, on_result)
