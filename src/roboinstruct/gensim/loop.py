"""GenSim's loop as a resumable run: propose → novelty → code → validate → repair → critic →
library, one trial at a time (each accepted task feeds the next trial's prompts).

Every model answer is an append-only record keyed (trial, step, round) and is read back on
resume, so a run killed at any point repeats no model call (the response cache covers a kill
between the answer and its record); validation is deterministic and simply re-runs. A trial's
outcome and each accepted task (file written first, then its `library.jsonl` row) are
records too. Outputs are rebuilt from the records by `outputs.finish`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ..artifacts import RecordFile, atomic_write, claim_dir
from ..errors import RunFailed
from ..llm.settings import OwnsBackend
from ..llm.types import ChatRequest
from ..core.similarity import edit_similarity
from ..tabletop.catalogue.assets import asset_list_text
from ..tabletop.prompt.reference import api_reference
from ..tabletop.validate.taskcode import code_hash
from ..tabletop.validate.run import validate_many
from ..tabletop.validate.verdict import Candidate
from ..templates import renderer
from . import answers
from .config import GensimConfig
from .library import Entry
from .seed_library import starting_library

render = renderer(Path(__file__).parent / "prompts")
CODE_NEAR_DUPLICATE = 0.95


class TrialFailed(Exception):
    def __init__(self, stage: str, reason: str, **extra):
        super().__init__(reason)
        self.stage, self.reason, self.extra = stage, reason, extra


CONTEXT_PER_SLOT = 8192  # API reference + examples + a task file + a repair round (4096 overflowed, measured)


def default_backend(cfg: GensimConfig):
    from ..llm.registry import get_backend

    cfg.check_backend()
    opts = cfg.backend_options()
    if cfg.backend == "local":
        opts["ctx_per_slot"] = CONTEXT_PER_SLOT
    return get_backend(cfg.backend, **opts)


class GensimRun(OwnsBackend):
    def __init__(self, cfg: GensimConfig, backend_factory: Callable = default_backend,
                 validator: Callable | None = None, progress: Callable | None = None):
        self.cfg = cfg
        self.fingerprint = cfg.fingerprint()
        self.dir = Path(cfg.out or Path("runs") / f"gensim-{self.fingerprint}")
        claim_dir(self.dir, "config.json", self.fingerprint, {"kind": "gensim", "config": cfg.fingerprinted()},
                  "another task-generation run")
        self.calls = RecordFile(self.dir / "stages" / "calls.jsonl", key=("trial", "step", "round"))
        self.trials = RecordFile(self.dir / "stages" / "trials.jsonl", key=("trial",))
        self.accepted = RecordFile(self.dir / "library.jsonl", key=("name",))
        self.library = starting_library(cfg.library, self.dir, {"seeds": cfg.seeds, "tau": cfg.tau, "seed": cfg.seed,
                                                                "workers": cfg.workers})
        for rec in self.accepted:
            self.library.add(Entry(rec["name"], rec["description"], (self.dir / rec["file"]).read_text(),
                                   rec["assets"], "generated", rec["lineage"]))
        self._factory, self._backend = backend_factory, None
        self.validator = validator or self._validate
        self.progress = progress  # callable(stage, done, total): every run's progress signature (pipeline.progress)

    def close(self) -> None:
        for rf in (self.calls, self.trials, self.accepted):
            rf.close()
        self.close_backend()

    # -- model calls (recorded) ----------------------------------------------------------------
    def _ask(self, trial: int, step: str, rnd: int, messages: list[dict], *, schema=None, temperature: float,
             max_tokens: int, n: int = 1) -> list[str]:
        rec = self.calls.get(trial, step, rnd)
        if rec is not None:
            return rec["texts"]
        seed = self.cfg.seed * 1_000_003 + max(trial, 0) * 1009 + rnd * 17 + (["plan", "propose", "code", "critic", "reference"].index(step))
        req = ChatRequest(messages=tuple(messages), temperature=temperature, max_tokens=max_tokens, n=n,
                          seed=seed, json_schema=schema)
        (resp,) = self.backend.generate([req])
        if not resp.ok:
            raise RunFailed(f"model request failed ({step}, trial {trial}): {resp.error}; re-run to resume")
        u = resp.usage
        self.calls.append({"trial": trial, "step": step, "round": rnd, "texts": list(resp.texts),
                           "usage": {"prompt": u.prompt_tokens, "completion": u.completion_tokens},
                           "latency_s": round(resp.latency_s, 3)})
        return list(resp.texts)

    def _messages(self, user: str) -> list[dict]:
        return [{"role": "system", "content": render("system.j2")}, {"role": "user", "content": user}]

    # -- what to try -----------------------------------------------------------------------------
    def _plan(self) -> list[dict]:
        cfg = self.cfg
        text = self._ask(-1, "plan", 0, self._messages(render(
            "plan.j2", target=cfg.target, steps=cfg.curriculum_steps, assets=asset_list_text(),
            library=self.library.summary(cfg.target or "", cfg.summary))),
            schema=answers.PLAN_SCHEMA, temperature=cfg.temperature, max_tokens=cfg.max_tokens_propose * 3)[0]
        try:
            steps = answers.plan(text, cfg.target)[:cfg.curriculum_steps]
        except answers.AnswerError as e:
            raise RunFailed(f"the curriculum plan could not be read: {e}") from None
        return steps + [{"name": answers.task_name(cfg.target), "description": f"the target task: {cfg.target}"}]

    def _spec(self, trial: int) -> dict | None:
        """This trial's task (name, description, assets); None when the curriculum is done."""
        cfg = self.cfg
        if cfg.mode == "curriculum":
            todo = [s for s in self._plan() if s["name"] not in self.library]
            if not todo:
                return None
            step = todo[0]
            if step["name"] != answers.task_name(cfg.target):
                return {**step, "assets": []}
            goal = (f"Write the specification of the target task named '{cfg.target}', building on the "
                    f"stepping-stone tasks already in the library.")
        elif cfg.mode == "top-down":
            if answers.task_name(cfg.target) in self.library:
                return None
            goal = f"Write the specification of the task named '{cfg.target}'."
        else:
            goal = ("Propose a new tabletop task that is different from every task in the library: new "
                    "objects, new arrangements or new goals, solvable by picking and placing.")
        text = self._ask(trial, "propose", 0, self._messages(render(
            "propose.j2", goal=goal, assets=asset_list_text(),
            library=self.library.summary(cfg.target or "", cfg.summary))),
            schema=answers.PROPOSAL_SCHEMA, temperature=cfg.temperature, max_tokens=cfg.max_tokens_propose)[0]
        try:
            spec = answers.proposal(text)
        except answers.AnswerError as e:
            raise TrialFailed("propose", str(e)) from None
        if cfg.mode != "bottom-up":
            spec["name"] = answers.task_name(cfg.target)
        return spec

    def _novel(self, spec: dict) -> None:
        if spec["name"] in self.library:
            raise TrialFailed("novelty", f"the library already has a task named {spec['name']}")
        for e in self.library.entries.values():
            sim = edit_similarity(spec["description"], e.description)
            if sim > self.cfg.novelty_threshold:
                raise TrialFailed("novelty", f"too close to library task {e.name} (description similarity {sim:.2f})")

    # -- code, validation, repair ------------------------------------------------------------------
    def _validate(self, candidates: list[Candidate]):
        return validate_many(candidates, seeds=self.cfg.seeds, tau=self.cfg.tau, run_seed=self.cfg.seed,
                             workers=self.cfg.workers)

    def _examples(self, trial: int, spec: dict) -> list[Entry]:
        """The code examples: the most similar library tasks, or (`--references model`) those the
        model picks from the library's list of names, as GenSim's pipeline asks for two reference
        files; the most similar fill the places of names it got wrong."""
        cfg = self.cfg
        ranked = self.library.ranked(f"{spec['name']} {spec['description']}", spec["assets"], cfg.examples)
        if cfg.references != "model" or cfg.examples == 0:
            return ranked
        names = sorted(self.library.entries)
        text = self._ask(trial, "reference", 0, self._messages(render(
            "reference.j2", task_name=spec["name"], description=spec["description"], names=names, k=cfg.examples)),
            schema=answers.REFERENCE_SCHEMA, temperature=0.0, max_tokens=40 * cfg.examples + 40)[0]
        try:
            picked = [self.library.entries[n] for n in answers.references(text, names)[:cfg.examples]]
        except answers.AnswerError:
            picked = []
        return picked + [e for e in ranked if e not in picked][:cfg.examples - len(picked)]

    def _write(self, trial: int, spec: dict) -> tuple[str, dict, list[dict], list[str]]:
        cfg = self.cfg
        examples = self._examples(trial, spec)
        messages = self._messages(render(
            "code.j2", reference=api_reference(), examples=examples, task_name=spec["name"],
            description=spec["description"], assets=", ".join(spec["assets"]) or "your choice from the list"))
        attempts: list[dict] = []
        for rnd in range(cfg.repair_rounds + 1):
            text = self._ask(trial, "code", rnd, messages, temperature=cfg.code_temperature,
                             max_tokens=cfg.max_tokens_code)[0]
            try:
                source = answers.code(text)
            except answers.AnswerError as e:
                attempt = {"round": rnd, "status": "fail", "stage": "code", "reason": str(e), "seed": None,
                           "step": None, "passed": 0, "sim_steps": 0}
            else:
                (v,) = self.validator([Candidate(f"{spec['name']}.py", source)])
                ce = v.counterexample or {}
                attempt = {"round": rnd, "status": v.status, "stage": v.stage, "reason": v.reason,
                           "seed": ce.get("seed"), "step": ce.get("step"), "passed": v.passed,
                           "sim_steps": v.sim_steps, "assets": v.assets, "code_hash": code_hash(source)}
                if v.ok:
                    attempts.append(attempt)
                    return source, attempt, attempts, [e.name for e in examples]
            attempts.append(attempt)
            messages = messages + [{"role": "assistant", "content": text},
                                   {"role": "user", "content": render("repair.j2", **attempt)}]
        last = attempts[-1]
        raise TrialFailed(last["stage"], last["reason"], attempts=attempts)

    def _critic(self, trial: int, spec: dict, source: str) -> list[str]:
        cfg = self.cfg
        texts = self._ask(trial, "critic", 0, self._messages(render(
            "critic.j2", task_name=spec["name"], description=spec["description"], code=source,
            library=self.library.summary(spec["description"], cfg.summary))),
            schema=answers.CRITIC_SCHEMA, temperature=0.0 if cfg.critic_samples == 1 else 0.7,
            max_tokens=200, n=cfg.critic_samples)
        reasons = []
        for text in texts:
            try:
                accept, reason = answers.critic(text)
            except answers.AnswerError as e:
                raise TrialFailed("critic", str(e)) from None
            if not accept:
                raise TrialFailed("critic", f"rejected: {reason}")
            reasons.append(reason)
        return reasons

    # -- trials ------------------------------------------------------------------------------------
    def trial(self, t: int) -> dict:
        start = time.monotonic()
        rec: dict = {"trial": t, "library_before": len(self.library)}
        try:
            spec = self._spec(t)
            if spec is None:
                return {**rec, "status": "done", "stage": None, "reason": "the target is in the library"}
            # what the proposal said it would load: beside what the accepted code loads, a check of the critic
            rec.update(name=spec["name"], description=spec["description"], proposed_assets=list(spec.get("assets", [])))
            done = self.accepted.get(spec["name"])
            if done is not None and done["lineage"]["trial"] == t:  # accepted, then killed before this record
                return {**rec, "status": "accepted", "stage": None, "reason": "", "wall_s": 0.0,
                        "library_after": len(self.library)}
            self._novel(spec)
            source, final, attempts, examples = self._write(t, spec)
            rec["attempts"] = attempts
            for e in self.library.entries.values():
                if edit_similarity(source, e.code) > CODE_NEAR_DUPLICATE:
                    raise TrialFailed("novelty", f"the code is a near copy of library task {e.name}", attempts=attempts)
            reasons = self._critic(t, spec, source) if self.cfg.critic else []
        except TrialFailed as f:
            rec.update(status="rejected", stage=f.stage, reason=f.reason, **f.extra)
        else:
            self._accept(t, spec, source, final, examples, reasons)
            rec.update(status="accepted", stage=None, reason="")
        rec["wall_s"] = round(time.monotonic() - start, 2)
        rec["library_after"] = len(self.library)
        return rec

    def _accept(self, t: int, spec: dict, source: str, final: dict, examples: list[str], reasons: list[str]) -> None:
        file = f"tasks/{spec['name'].replace('-', '_')}.py"
        atomic_write(self.dir / file, source)  # the file first: a library row always has its code
        lineage = {"trial": t, "mode": self.cfg.mode, "target": self.cfg.target, "examples": examples,
                   "repair_round": final["round"], "critic": reasons}
        row = {"name": spec["name"], "description": spec["description"], "assets": final["assets"], "file": file,
               "code_hash": final["code_hash"], "verdict": {"passed": final["passed"], "seeds": self.cfg.seeds},
               "lineage": lineage}
        self.accepted.append(row)
        self.library.add(Entry(spec["name"], spec["description"], source, final["assets"], "generated", lineage))

    def records(self):
        """The run's records, read once: what `outputs.finish` rebuilds the outputs from."""
        from .outputs import GensimRecords

        trials = [self.trials.get(t) for t in range(self.cfg.trials)]
        return GensimRecords(self.cfg, self.fingerprint, self.dir, [t for t in trials if t], list(self.accepted),
                             list(self.calls), [e for e in self.library.entries.values() if e.origin != "generated"])

    def run(self) -> dict:
        from .outputs import finish

        for t in range(self.cfg.trials):
            done = self.trials.get(t)
            if done is None:
                done = self.trial(t)
                self.trials.append(done)
            if self.progress:
                self.progress("trials", t + 1, self.cfg.trials)
            if done["status"] == "done":
                break
        return finish(self.records())
