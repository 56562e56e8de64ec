"""A task's verdict, judged on the caller's side from the per-seed results the workers return: the
first failing stage on any seed (a counterexample: seed, step, what), then the oracle's success rate
against τ·K, then determinism (seed 0 declared again in a fresh world must declare the same scene)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from ..errors import STAGES
from . import gensim_rules
from .goals import judge_episode, why_unmet
from .seeds import DEFAULT_TAU


@dataclass
class Candidate:
    """A task file to validate: where it came from (a path or a key) and its source."""
    file: str
    source: str
    dialect: str = "roboinstruct"  # "gensim": GenSim's meaning of the calls (files from a checkout)
    assets: dict = field(default_factory=dict)  # a checkout's own asset files (catalogue.urdf), by name
    dynamics: dict = field(default_factory=dict)  # a checkout's masses and frictions by asset name (GenSim's dialect)


@dataclass
class TaskVerdict:
    file: str
    status: str  # pass | fail | unsupported
    stage: str | None
    reason: str
    task: str | None = None  # the class name
    code_hash: str = ""
    passed: int = 0
    seeds: int = 0
    tau: float = DEFAULT_TAU
    counterexample: dict | None = None  # {seed, step, what}
    deterministic: bool | None = None
    assets: list = field(default_factory=list)
    sim_steps: int = 0
    episodes: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # GenSim's dialect: what its meaning filled in (all seeds)
    # GenSim's dialect: the verdict under GenSim's own rule (validate.gensim_rules), beside this strict one
    gensim_verdict: dict | None = None
    # seeds whose oracle was not run because the other seeds had decided both verdicts (validate.decided);
    # `passed` counts the seeds that ran
    not_run: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        if self.ok:
            return f"pass  {self.passed}/{self.seeds} seeds" + (f" ({self.not_run} not run: decided)" if self.not_run else "")
        where = f" (seed {self.counterexample['seed']})" if self.counterexample else ""
        return f"{self.status} at {self.stage}{where}: {self.reason}"


def crashed(seed: int, message: str) -> dict:
    return {"seed": seed, "ok": False, "stage": "reset", "step": None, "sim_steps": 0, "state_hash": "",
            "reason": f"the sandbox worker stopped: {message}", "assets": [], "actions": 0, "goals": 0,
            "goals_met": 0, "declared": ""}


SCENE_DATA = ("goal_specs", "tolerances", "sizes", "nominal", "scenes")
JUDGED = (None, "trivial", "oracle")  # the stages the goals decide
NOT_RUN = gensim_rules.NOT_RUN


def not_run(result: dict) -> bool:
    """A seed that went through every check before the oracle, whose oracle the caller did not ask for
    (neither a success nor a failure: validate.decided)."""
    return result.get("oracle_run") is False and result.get("stage") is None


def judged(result: dict) -> dict:
    """A worker's per-seed result with its goal stages decided here, from its scene data
    (`goals.judge_episode`): the worker's own judgment only drove its oracle. Without the scene
    data into the verdict."""
    out = {k: v for k, v in result.items() if k not in SCENE_DATA}
    if out.get("stage") not in JUDGED:
        return out  # stopped before or outside the goals: instantiate, reset, goals, stable, ...
    record = judge_episode(result)
    if record is None:
        return {**out, "ok": False, "stage": "oracle", "reason": "the worker sent no scene data to judge the goals on"}
    met, n = record[0], record[1]
    if met[0] == n:
        stage, reason = "trivial", "every goal is already met at reset: the task asks for nothing"
    elif result.get("oracle_run") is False:
        return {**out, "ok": False, "stage": None, "reason": NOT_RUN}
    elif met[-1] == n:
        stage, reason = None, ""
    else:
        stage = "oracle"
        why = why_unmet(result)
        reason = out["reason"] if out.get("stage") == "oracle" else \
            f"after {len(met) - 1} actions goal {met[-1] + 1}/{n} is not met (judged on the caller's side)" + \
            (f": {why}" if why else "")
    if stage == out.get("stage") and (stage is None) == bool(out.get("ok")):
        return out
    return {**out, "ok": stage is None, "stage": stage, "reason": reason, "goals_met": met[-1]}


def aggregate(file: str, name: str, digest: str, results: list[dict], replay: str | None,
              tau: float, dialect: str = "roboinstruct") -> TaskVerdict:
    gensim = gensim_rules.verdict(results, tau) if dialect == "gensim" else None
    results = [gensim_rules.strict(judged(r)) for r in results]
    k = len(results)
    passed = sum(r["ok"] for r in results)
    base = dict(task=name, code_hash=digest, passed=passed, seeds=k, tau=tau, not_run=sum(map(not_run, results)),
                assets=sorted({a for r in results for a in r["assets"]}),
                sim_steps=sum(r["sim_steps"] for r in results), episodes=results,
                notes=sorted({n for r in results for n in r.get("notes", [])})[:20], gensim_verdict=gensim)
    hard = [r for r in results if not r["ok"] and r["stage"] != "oracle" and not not_run(r)]
    if hard:
        first = min(hard, key=lambda r: STAGES.index(r["stage"]))
        bad = next(r for r in results if r["stage"] == first["stage"])
        status = "unsupported" if bad["stage"] == "unsupported" else "fail"
        return TaskVerdict(file, status, bad["stage"], bad["reason"], **base,
                           counterexample={"seed": bad["seed"], "step": bad["step"], "what": bad["reason"]})
    need = math.ceil(tau * k)
    if passed < need:
        bad = next((r for r in results if not r["ok"] and not not_run(r)), None) or next(r for r in results if not r["ok"])
        skipped = f", {base['not_run']} not run: they could not reach it" if base["not_run"] else ""
        return TaskVerdict(file, "fail", "oracle", f"the oracle succeeded on {passed}/{k} seeds (needs {need}{skipped}); "
                                                   f"seed {bad['seed']}: {bad['reason']}", **base,
                           counterexample={"seed": bad["seed"], "step": bad["step"], "what": bad["reason"]})
    if replay is not None and replay != results[0].get("declared"):
        return TaskVerdict(file, "fail", "determinism", f"seed {results[0]['seed']} replayed declared scene "
                                                        f"{replay}, first run {results[0].get('declared')}", **base,
                           deterministic=False,
                           counterexample={"seed": results[0]["seed"], "step": None, "what": "state differs on replay"})
    return TaskVerdict(file, "pass", None, "", **base, deterministic=replay is not None or None)
