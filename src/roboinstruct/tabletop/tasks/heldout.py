"""Held-out target tasks (`score --tasks tabletop:heldout`, `tabletop:gensim-targets[:CHECKOUT]` or
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


JUDGES = ("strict", "gensim")


@dataclass
class SuiteSpec:
    """A `tabletop:` spec read: its tasks, how answers are judged (`judge:` in the YAML: the strict
    verdict, or GenSim's dialect and rule), and the GenSim checkout whose assets the GenSim judge
    reads (`tabletop:gensim-targets:PATH`; without PATH, the catalogue's meaning only)."""
    tasks: dict
    judge: str = "strict"
    checkout: str | None = None


def read_suite(spec: str) -> SuiteSpec:
    where = spec.split(":", 1)[1]
    name, sep, checkout = where.partition(":")
    if not (sep and name in BUILTINS):
        name, checkout = where, None
    path = BUILTINS.get(name) or Path(name)
    try:
        data = yaml.safe_load(path.read_text()) or {}
        tasks = [HeldoutTask(str(t["name"]), str(t["description"]), tuple(t.get("requires", ())))
                 for t in data["tasks"]]
        judge = str(data.get("judge", "strict"))
    except OSError:
        raise UserError(f"--tasks {spec}: cannot read {path}") from None
    except (yaml.YAMLError, KeyError, TypeError, AttributeError):
        raise UserError(f"--tasks {spec}: expected YAML `tasks: [{{name, description}}, ...]`") from None
    if judge not in JUDGES:
        raise UserError(f"--tasks {spec}: judge {judge!r} is not one of {', '.join(JUDGES)}")
    if checkout and not Path(checkout).is_dir():
        raise UserError(f"--tasks {spec}: no GenSim checkout at {checkout}")
    return SuiteSpec({t.name: t for t in tasks}, judge, checkout or None)


def load_heldout(spec: str) -> dict[str, HeldoutTask]:
    return read_suite(spec).tasks


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


def judged(v, judge: str) -> tuple[bool, str | None, str]:
    """(passed, failing stage, reason) of a verdict under the suite's judge."""
    g = v.gensim_verdict if judge == "gensim" else None
    if g is None:  # the strict verdict, or a file stopped before any episode (no GenSim verdict)
        return v.ok, v.stage, v.reason
    return g["status"] == "pass", g.get("stage"), g.get("reason", "")


def evaluate(rows: list[dict], suite: dict[str, HeldoutTask], workers: int | None, on_result,
             judge: str = "strict", checkout: str | None = None) -> None:
    """Validate each row's program; on_result(i, row) with `verdict`, `stage`, `message`. A valid
    task that does not load the held-out task's asset families is a CompletionError ('requirements').
    `judge="gensim"`: answers run in GenSim's dialect (a checkout's assets when given) and pass on
    GenSim's rule, as GenSim scores its fine-tuned models."""
    from ..catalogue.urdf import checkout_assets
    from ..validate.run import validate_many
    from ..validate.verdict import Candidate

    dialect = "gensim" if judge == "gensim" else "roboinstruct"
    assets = checkout_assets(Path(checkout)) if checkout and judge == "gensim" else {}
    verdicts = validate_many([Candidate(r["key"], r["program"], dialect, assets) for r in rows], workers=workers)
    for i, (row, v) in enumerate(zip(rows, verdicts)):
        ok, stage, reason = judged(v, judge)
        verdict, stage, message = ("Success", "pass", "") if ok else (KIND.get(stage, "PythonError"), stage, reason)
        families = {a.split("/")[0] for a in v.assets} | ({"stacking"} if any(a.startswith("block/") for a in v.assets)
                                                         else set())
        missing = sorted(set(suite[row["task"]].requires) - families)
        if ok and missing:
            verdict, stage, message = "CompletionError", "requirements", f"loads no {', '.join(missing)} asset"
        on_result(i, {**row, "verdict": verdict, "stage": stage, "message": message})


class HeldoutSuite:
    """`--tasks tabletop:heldout | tabletop:FILE.yaml` as `core.kinds` sees it: answers are task files
    (the `tabletop` prompt format), judged by the validator; an adapter trained on a held-out task
    is refused."""

    prompt_format = "tabletop"

    def __init__(self, spec: str):
        self.spec = spec
        read = read_suite(spec)
        self.tasks, self.judge, self.checkout = read.tasks, read.judge, read.checkout

    def check_model(self, model) -> None:
        if model.kind != "adapter":
            return
        seen = contaminated(model.target, self.tasks)
        if seen:
            raise UserError(f"--tasks {self.spec}: the adapter was trained on held-out task(s) {', '.join(seen)}; "
                            f"scoring it there would measure memory, not skill")

    def evaluate(self, rows: list[dict], workers: int | None, on_result) -> None:
        evaluate(rows, self.tasks, workers, on_result, self.judge, self.checkout)
