"""A generation run: the stages in order, over append-only records in the run directory.

Each stage reads its records first and only does what is missing, so the same command
resumes a killed run; the model backend is created lazily, so a run with nothing left
to generate never loads a model. Stage outputs are rebuilt from records at the end.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from ..artifacts import RecordFile, claim_dir
from ..domain import load_domain
from ..errors import RunFailed
from ..llm.settings import OwnsBackend
from ..robosim import extract_program, extraction_verdict
from ..seedtasks import load_seeds
from . import instalign, instructions, rejection, topup
from .config import GenerateConfig
from .agreement import stage_agreement
from .dedup import Deduplicator, benchmark_prompts
from .progress import StageProgress
from .records import RunRecords, add_usage, usage_of
from .stats import SURPLUS  # unique, but the run already had its --num instructions

PROGRAM_CHUNK = 32  # program requests asked, verified and recorded together

BackendFactory = Callable[[GenerateConfig], object]


def default_backend(cfg: GenerateConfig):
    from ..llm.settings import build_backend

    return build_backend(cfg)


class GenerationRun(OwnsBackend):
    def __init__(self, cfg: GenerateConfig, backend_factory: BackendFactory = default_backend,
                 progress=None, verifier=None):
        self.cfg = cfg
        self.fingerprint = cfg.fingerprint()
        self.dir = Path(cfg.out or Path("runs") / self.fingerprint)
        self._claim_dir()
        self.domain = load_domain(cfg.domain)
        self.seeds = load_seeds(cfg.seeds_file, self.domain.name)
        stages = self.dir / "stages"
        self.instr = RecordFile(stages / "instructions.jsonl", key=("round", "index"))
        self.attempts = RecordFile(stages / "programs.jsonl", key=("id", "attempt"))
        self.aligned = RecordFile(stages / "instalign.jsonl", key=("id",))
        self.agreed = RecordFile(stages / "agreement.jsonl", key=("id",))
        self._factory = backend_factory
        self._backend = None
        self.progress = progress  # callable(stage, done, total) or None
        self.meter = StageProgress(progress)  # run-wide totals; a stage finishes when its records are written
        self.verifier = verifier  # callable(programs) -> list[Verdict]; default: sandbox workers
        self.notes: list[str] = []
        self._stage_totals: dict[str, list] = {}  # stage -> requests, seconds, sent, evaluated, written, note index

    # -- run directory ------------------------------------------------------
    def _claim_dir(self) -> None:
        claim_dir(self.dir, "config.json", self.fingerprint, {"config": self.cfg.fingerprinted()}, "another run")

    def close(self) -> None:
        for rf in (self.instr, self.attempts, self.aligned, self.agreed):
            rf.close()
        self.close_backend()

    def _generate(self, stage: str, requests: list) -> list:
        t0 = time.perf_counter()
        responses = self.backend.generate(requests, progress=self.meter.start(stage, len(requests)))
        failed = [r for r in responses if r.error]
        if requests and len(failed) == len(requests):
            raise RunFailed(f"{stage}: all {len(requests)} model requests failed: {failed[0].error}; "
                            f"finished work is saved, re-run the same command to resume")
        sent = sum(r.usage.prompt_tokens for r in responses)
        evaluated = sent - sum(r.usage.cached_prompt_tokens for r in responses)
        done = sum(r.usage.completion_tokens for r in responses)
        # One note per stage: InstAlign and the rounds call a stage many times in small groups.
        total = self._stage_totals.setdefault(stage, [0, 0.0, 0, 0, 0, len(self.notes)])
        for i, v in enumerate((len(requests), time.perf_counter() - t0, sent, evaluated, done)):
            total[i] += v
        note = (f"{stage}: {total[0]} requests in {total[1]:.1f} s "
                f"(prompt tokens {total[2]} sent, {total[3]} evaluated; {total[4]} written)")
        if total[5] == len(self.notes):
            self.notes.append(note)
        else:
            self.notes[total[5]] = note
        return responses

    # -- stage 1+2: instructions, dedup, decontamination ----------------------
    def kept_instructions(self) -> list[dict]:
        return self._all_kept()[: self.target()]

    def _all_kept(self) -> list[dict]:
        return sorted((r for r in self.instr if r.get("kept")), key=lambda r: (r["round"], r["index"]))

    def target(self) -> int:
        """Kept instructions the run works on: --num, topped up (pipeline.topup)."""
        return topup.target(self)

    def _pair_of(self, rec: dict):
        return topup.pair_of(self, rec)

    def new_deduplicator(self) -> Deduplicator:
        """The dedup index new instructions are checked against: the benchmarks' prompts and the seeds."""
        refs, notes = benchmark_prompts(self.cfg.decontaminate)
        self.notes += notes
        dedup = Deduplicator(self.cfg.dedup_threshold, references=refs)
        for i, s in enumerate(self.seeds):
            dedup.add(s.instruction, key=f"seed:{i}")
        return dedup

    def stage_instructions(self) -> None:
        cfg = self.cfg
        if cfg.origin == "plans":  # a domain shape filled and worded by the model (pipeline/plans.py)
            from .plans import stage_plans

            return stage_plans(self)
        dedup = self.new_deduplicator()
        done = sorted(self.instr, key=lambda r: (r["round"], r["index"]))
        for rec in done:  # replay: the index must hold exactly what it held when these were decided
            if rec.get("kept"):
                dedup.add(rec["instruction"], key=rec["id"])
        kept = [r for r in done if r.get("kept")]
        seed_texts = [s.instruction for s in self.seeds]
        target = self.target()
        for rnd in range(cfg.rounds):
            if len(kept) >= target:
                break
            # Request j of a round asks for the instructions at indices j*k .. j*k+k-1 (k = 1: the paper's
            # one per request; more share one prompt among several answers). A request is due while
            # any of its indices is missing; re-appending the others is a no-op.
            k = cfg.instructions_per_request if cfg.method == "self-instruct" else 1
            groups = [list(range(j * k, min((j + 1) * k, cfg.batch))) for j in range(-(-cfg.batch // k))]
            if cfg.prompts >= 2:
                # Ask only for what is still missing (+25% for near-duplicates), counted from the rounds
                # before this one, so a resumed round asks exactly what an uninterrupted one did.
                missing = target - sum(1 for r in kept if r["round"] < rnd)
                groups = groups[:max(1, -(-(missing * 5 // 4) // k))]
            due = [(j, g) for j, g in enumerate(groups) if any((rnd, i) not in self.instr for i in g)]
            if not due:
                continue
            machine = [r["instruction"] for r in kept if r["round"] < rnd]
            plans = [self._plan(rnd, j, seed_texts, machine, len(g)) for j, g in due]
            responses = self._generate("instructions", [p["request"] for p in plans])
            for (j, group), plan, resp in zip(due, plans, responses):
                if resp.error:
                    continue  # not recorded: retried when the run is resumed
                texts = instructions.parse_instructions(resp.texts[0], len(group))
                for n, (i, text) in enumerate(zip(group, texts)):
                    if (rnd, i) in self.instr:
                        continue  # recorded before a kill: the replay above already counted it
                    # strict: a gated instruction never enters the dedup index (a resumed run replays kept ones only)
                    gate = self._gate(text) if text else None
                    decision = _Gated(gate) if gate else dedup.add(text or "", key=f"r{rnd:03d}i{i:02d}")
                    surplus = decision.kept and len(kept) >= target
                    reason = "unparseable" if not text else SURPLUS if surplus else decision.reason or "kept"
                    rec = {"round": rnd, "index": i, "id": f"r{rnd:03d}i{i:02d}", "instruction": text,
                           "kept": decision.kept and not surplus, "reason": reason,
                           "similar_to": decision.similar_to, "similarity": round(decision.similarity, 3),
                           "method": cfg.method, **plan["meta"], "raw": resp.texts[0][:1000],
                           "usage": usage_of(resp) if n == 0 else {}}  # one request's cost, counted once
                    self.instr.append(rec)
                    if rec["kept"]:
                        kept.append(rec)
            self.meter.settle("instructions")

    def _gate(self, text: str):
        """The first instruction gate the text fails (strict check), else None."""
        if self.cfg.check != "strict":
            return None
        from ..quality import check_instruction

        found = check_instruction(text, self.domain)
        return found[0] if found else None

    def _plan(self, rnd: int, i: int, seed_texts: list[str], machine: list[str], count: int = 1) -> dict:
        cfg = self.cfg
        rng = instructions.request_rng(cfg.seed, rnd, i, "instruction")
        sampling = {"temperature": cfg.instruction_temperature, "max_tokens": cfg.max_tokens_instruction * count,
                    "seed": rng.randrange(2**31)}
        from ..llm.types import ChatRequest

        if cfg.method == "evol-instruct":
            parent = rng.choice(seed_texts + machine)
            op = instructions.pick_operator(rng)
            msgs = instructions.evol_messages(self.domain, parent, op)
            return {"request": ChatRequest(messages=msgs, **sampling), "meta": {"operator": op, "parent": parent}}
        shots = instructions.pick_shots(rng, seed_texts, machine, cfg.shots, cfg.machine_shots)
        msgs = instructions.self_instruct_messages(self.domain, shots, count, cfg.prompts)
        schema = instructions.tasks_schema(count) if count > 1 else None
        return {"request": ChatRequest(messages=msgs, json_schema=schema, **sampling), "meta": {"shots": shots}}

    # -- stage 3+4: programs and RoboSim rejection sampling --------------------
    def attempts_of(self, pair_id: str) -> list[dict]:
        out, k = [], 0
        while (pair_id, k) in self.attempts:
            out.append(self.attempts.get(pair_id, k))
            k += 1
        return out

    def stage_programs(self) -> None:
        cfg = self.cfg
        kept = self.kept_instructions()
        for k in range(rejection.max_attempts(cfg.mode, cfg.max_resamples)):
            due = [r for r in kept if (r["id"], k) not in self.attempts
                   and rejection.needs_attempt(cfg.mode, self.attempts_of(r["id"]), k, cfg.max_resamples)]
            # in chunks, each on disk before the next is asked for: stage records are committed and
            # outlive the machine, the model's response cache need not (an attempt is ~45 min here)
            for at in range(0, len(due), PROGRAM_CHUNK):
                self._programs_chunk(due[at:at + PROGRAM_CHUNK], k)

    def _programs_chunk(self, due: list[dict], k: int) -> None:
        from .plans import plan_observer, program_examples
        cfg = self.cfg
        reqs = [rejection.attempt_request(
            r["instruction"], self.domain, program_examples(self, r), attempt=k,
            seed=instructions.request_rng(cfg.seed, k, 0, "program/" + r["id"]).randrange(2**31),
            temperature=cfg.program_temperature, max_tokens=cfg.max_tokens_program,
            previous=self.attempts_of(r["id"])[-1] if k else None, repair=cfg.repair) for r in due]
        responses = self._generate(f"programs (attempt {k})", reqs)
        # Extract once: the text verified is the very text stored (and trained on).
        answered = [(r, resp, extract_program(resp.texts[0])) for r, resp in zip(due, responses) if not resp.error]
        runnable = [ex.code for _, _, ex in answered if ex.ok]
        observers = [plan_observer(self, r) for r, _, ex in answered if ex.ok]
        verdicts, observed = iter(self._verify(runnable, observers)), iter(observers)
        for r, resp, ex in answered:
            v = next(verdicts) if ex.ok else extraction_verdict(ex)
            seen = next(observed) if ex.ok else None
            verdict = rejection.compact_verdict(v)
            if cfg.check == "strict":
                verdict = rejection.with_static_rules(verdict, r["instruction"], ex.code if ex.ok else None, self.domain,
                                                      plan=r.get("plan"), traced=getattr(seen, "finding", None))
            self.attempts.append({"id": r["id"], "attempt": k, "program": ex.code if ex.ok else None,
                                  "raw": resp.texts[0][:4000], "verdict": verdict, "usage": usage_of(resp)})
        self.meter.settle(f"programs (attempt {k})", "verify")

    def _verify(self, programs: list[str], observers: list | None = None) -> list:
        """Verdicts for already-extracted programs, in order (`observers`: verify_many's, one per program;
        a custom or Ray verifier does not take them, so plan-place is judged only on the local path)."""
        if not programs:
            return []
        if self.verifier is not None:
            return self.verifier(programs)
        if self.cfg.executor == "ray":
            from .ray_executor import verify_on_ray
            return verify_on_ray(programs, self.domain, seed=self.cfg.seed, paths=self.cfg.paths, extracted=True,
                                 **self._strict_option())
        from ..robosim import verify_many
        tick = self.meter.start("verify", len(programs))
        return verify_many(programs, self.domain, seed=self.cfg.seed, paths=self.cfg.paths, workers=self.cfg.workers,
                           extracted=True, on_result=lambda i, v: tick(i + 1, len(programs)),
                           observers=observers if observers and any(observers) else None, **self._strict_option())

    def _strict_option(self) -> dict:
        # passed only when on, so a reference run sends workers exactly the tasks it always did
        return {"strict": True} if self.cfg.check == "strict" else {}

    def chosen_pairs(self, agreed: bool = True) -> list[tuple[dict, dict]]:
        """(instruction, attempt) per kept instruction with a program; `agreed`: after agreement."""
        from .agreement import apply

        pairs = []
        for r in self.kept_instructions():
            att = rejection.chosen(self.cfg.mode, self.attempts_of(r["id"]))
            if att is not None and agreed and self.cfg.agreement > 1:
                att = apply(self.agreed.get(r["id"]) if r["id"] in self.agreed else None, att)
            if att is not None:
                pairs.append((r, att))
        return pairs

    # -- stage 5: InstAlign -------------------------------------------------------
    def stage_instalign(self) -> None:
        cfg = self.cfg
        if cfg.mode not in ("instalign", "robo-instruct") or cfg.origin == "plans":
            return
        todo = [(r, a) for r, a in self.chosen_pairs() if r["id"] not in self.aligned]
        if not todo:
            return
        # JSON answers: pairs go in groups of the backend's parallel slots, and each selection is a
        # follow-up turn of its own revision, so llama.cpp finds that conversation still in the
        # slot's KV cache and evaluates only the new question. Text (the paper's prompts): one batch.
        group = max(1, getattr(self.backend, "parallelism", 8)) if cfg.instalign_format == "json" else len(todo)
        self.meter.expect("instalign (revise)", len(todo))  # one revision per pair (selections: only where it differs)
        for start in range(0, len(todo), group):
            self._instalign_group(todo[start:start + group])

    def _instalign_group(self, todo: list[tuple[dict, dict]]) -> None:
        cfg = self.cfg
        seeds = {r["id"]: instructions.request_rng(cfg.seed, 0, 0, "instalign/" + r["id"]).randrange(2**31)
                 for r, _ in todo}
        rev_reqs = [instalign.revise_request(self.domain, r["instruction"], a["program"], seed=seeds[r["id"]],
                                             temperature=cfg.instalign_temperature,
                                             max_tokens=cfg.max_tokens_instalign, fmt=cfg.instalign_format,
                                             prompts=cfg.prompts)
                    for r, a in todo]
        revs = self._generate("instalign (revise)", rev_reqs)
        revised = [instalign.parse_revision(x.texts[0]) if not x.error else None for x in revs]
        # strict: a revision that fails a gate or a meaning rule with this program keeps the original, unasked
        refused = {r["id"]: self._refuse_revision(rv, a["program"]) for (r, a), rv in zip(todo, revised)
                   if rv and rv != r["instruction"]}
        sel_items = [(r, a, rv, instalign.select_order(cfg.seed, r["id"]), req, resp)
                     for (r, a), rv, req, resp in zip(todo, revised, rev_reqs, revs)
                     if rv and rv != r["instruction"] and not refused.get(r["id"])]
        sels = self._generate("instalign (select)", [
            instalign.select_request(a["program"], r["instruction"], rv, revised_first=first,
                                     seed=seeds[r["id"]], max_tokens=cfg.max_tokens_select,
                                     fmt=cfg.instalign_format, after=(req, resp.texts[0]), prompts=cfg.prompts)
            for r, a, rv, first, req, resp in sel_items]) if sel_items else []
        selection = {item[0]["id"]: (resp, item[3]) for item, resp in zip(sel_items, sels)}
        for (r, a), rev_resp, rv in zip(todo, revs, revised):
            if rev_resp.error:
                continue  # retried on resume
            rec = {"id": r["id"], "original": r["instruction"], "revised": rv, "revise_raw": rev_resp.texts[0][:4000],
                   "usage": usage_of(rev_resp)}
            if rv is None:
                rec.update(choice="original", final=r["instruction"], fallback="revision not parseable")
            elif rv == r["instruction"]:
                rec.update(choice="original", final=r["instruction"], fallback="revision identical")
            elif refused.get(r["id"]):
                rec.update(choice="original", final=r["instruction"], fallback=f"revision fails {refused[r['id']]}")
            else:
                resp, first = selection[r["id"]]
                if resp.error:
                    continue
                choice = instalign.parse_choice(resp.texts[0], first)
                rec.update(choice=choice or "original", final=rv if choice == "revised" else r["instruction"],
                           select_raw=resp.texts[0][:4000], revised_first=first,
                           fallback=None if choice else "selection not parseable")
                rec["usage"] = add_usage(rec["usage"], usage_of(resp))
            self.aligned.append(rec)
        self.meter.settle("instalign (revise)", "instalign (select)")

    def _refuse_revision(self, revised: str, program: str) -> str | None:
        """Why a revision may not replace the original under the strict check (None: it may)."""
        if self.cfg.check != "strict":
            return None
        from ..quality import check_instruction, check_program

        found = check_instruction(revised, self.domain) or check_program(revised, program, self.domain)
        return str(found[0]) if found else None

    def records(self) -> RunRecords:
        """A snapshot of every stage's records, for post-processing and reports."""
        kept = self.kept_instructions()
        return RunRecords(
            fingerprint=self.fingerprint, config=self.cfg, domain=self.domain, seeds=self.seeds,
            instructions=sorted(self.instr, key=lambda r: (r["round"], r["index"])), kept=kept,
            attempts={r["id"]: self.attempts_of(r["id"]) for r in kept},
            aligned={r["id"]: r for r in self.aligned}, chosen=self.chosen_pairs(), notes=list(self.notes),
            agreed={r["id"]: r for r in self.agreed})

    def run(self) -> dict:
        from .dataset import write_outputs

        started = time.time()
        if self.cfg.origin == "programs":  # back-translation: program first, then its instruction
            from .backtranslate import stage_program_first

            stage_program_first(self)
            manifest = write_outputs(self.dir, self.records(), started)
            self._overall(manifest["stats"]["pairs"])
            return manifest
        for _ in range(self.cfg.rounds):  # each pass tops up what the last one lost (top_up), within the rounds
            before = self._record_counts()  # until a pass adds nothing ("target unchanged" ended a --num 100 at 99)
            self.stage_instructions()
            self.stage_programs()
            stage_agreement(self)
            self._overall()
            if self._record_counts() == before:
                break
        self.stage_instalign()
        manifest = write_outputs(self.dir, self.records(), started)
        self._overall(manifest["stats"]["pairs"])
        return manifest

    def _record_counts(self) -> tuple[int, int, int]:
        return len(self.instr), len(self.attempts), len(self.agreed)

    def _overall(self, pairs: int | None = None) -> None:
        """Pairs of --num and rounds of the budget, as the records say now."""
        if self.progress:
            pairs = len(self.chosen_pairs()) if pairs is None else pairs
            self.meter.overall(pairs, self.cfg.num, len({r["round"] for r in self.instr}), self.cfg.rounds)


class _Gated:
    """A dedup-shaped decision for an instruction an instruction gate refused."""

    kept = False
    similar_to = None
    similarity = 0.0

    def __init__(self, finding):
        self.reason = finding.rule
        self.finding = finding
