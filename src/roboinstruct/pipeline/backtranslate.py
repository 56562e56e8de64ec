"""Program-first generation (`--origin programs`): back-translation, as SelfCodeAlign and OSS-Instruct do.

The paper writes an instruction, then samples programs until RoboSim accepts one; a small model's
program then often does something else than its instruction says (the blind readers' largest
group of bad pairs). Here the order is turned around:

  1. propose   the model writes a new program, shown the seed programs (and, once there are
               some, one of its own kept programs) — no instruction to drift from;
  2. verify    RoboSim (strict semantics under `--check strict`) runs it; invalid ones stop here;
  3. describe  the model reads the verified program and writes the request it carries out
               (JSON: a one-sentence account first, then the instruction);
  4. keep      the instruction gates, dedup/decontamination against the seeds, the benchmark
               and the run's earlier instructions, then the static meaning rules on the pair.

Records are the pipeline's own: one `instructions.jsonl` record per proposal (round, index),
kept only when the pair passed everything, and its program as attempt 0 in `programs.jsonl`
with the verdict, so dataset, stats, report and top-up read a program-first run unchanged.
A proposal's record is written once its pair is decided; the model requests are seeded and
cached, so a killed round is redone from the cache.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..llm.types import ChatRequest
from ..robosim import extract_program, extraction_verdict
from ..templates import renderer
from . import instructions, rejection
from .records import usage_of
from .stats import SURPLUS

render = renderer(Path(__file__).parent / "prompts" / "program_first")

DESCRIBE_SCHEMA = {"type": "object", "properties": {
    "analysis": {"type": "string", "maxLength": 400},
    "instruction": {"type": "string", "minLength": 15, "maxLength": 400}},
    "required": ["analysis", "instruction"], "additionalProperties": False}


def templates_hash() -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "prompts" / "program_first").glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def propose_request(domain, examples: list[str], *, seed: int, temperature: float, max_tokens: int) -> ChatRequest:
    msgs = [{"role": "system", "content": instructions.system_prompt(domain, 3)},
            {"role": "user", "content": render("propose.j2", examples=examples)}]
    return ChatRequest(messages=msgs, temperature=temperature, max_tokens=max_tokens, seed=seed,
                       stop=["\n```\n", "<|im_end|>"])


def describe_request(domain, program: str, *, seed: int, temperature: float, max_tokens: int) -> ChatRequest:
    msgs = [{"role": "system", "content": instructions.system_prompt(domain, 3)},
            {"role": "user", "content": render("describe.j2", api=domain.api_prompt().strip(), program=program)}]
    return ChatRequest(messages=msgs, temperature=temperature, max_tokens=max_tokens, seed=seed,
                       json_schema=DESCRIBE_SCHEMA)


def parse_description(text: str) -> str | None:
    start, end = (text or "").find("{"), (text or "").rfind("}")
    if 0 <= start < end:
        try:
            found = json.loads(text[start:end + 1]).get("instruction")
        except (ValueError, AttributeError):
            found = None
        if isinstance(found, str):
            return instructions.parse_instruction(found)
    return None


def stage_program_first(run) -> None:
    """Rounds of propose → verify → describe → keep until the run has its target of pairs."""
    cfg = run.cfg
    dedup = run.new_deduplicator()
    done = sorted(run.instr, key=lambda r: (r["round"], r["index"]))
    for rec in done:  # replay, as stage_instructions does
        if rec.get("kept"):
            dedup.add(rec["instruction"], key=rec["id"])
    kept = [r for r in done if r.get("kept")]
    seed_programs = [s.program for s in run.seeds]
    for rnd in range(cfg.rounds):
        target = run.target()
        if len(kept) >= target:
            break
        missing = target - sum(1 for r in kept if r["round"] < rnd)
        # about half the proposals end as pairs (measured on the 1.5B): ask for twice what is missing
        indices = range(max(1, min(cfg.batch * 2, 2 * missing)))
        due = [i for i in indices if (rnd, i) not in run.instr]
        if not due:
            continue
        machine = [run.attempts.get(r["id"], 0)["program"] for r in kept if r["round"] < rnd]
        reqs = []
        for i in due:
            rng = instructions.request_rng(cfg.seed, rnd, i, "program-first")
            shots = instructions.pick_shots(rng, seed_programs, machine, cfg.shots, cfg.machine_shots)
            reqs.append(propose_request(run.domain, shots, seed=rng.randrange(2**31),
                                        temperature=cfg.instruction_temperature, max_tokens=cfg.max_tokens_program))
        responses = run._generate("programs (proposed)", reqs)
        answered = [(i, resp, extract_program(resp.texts[0])) for i, resp in zip(due, responses) if not resp.error]
        verdicts = iter(run._verify([ex.code for _, _, ex in answered if ex.ok]))
        judged = []
        for i, resp, ex in answered:
            v = next(verdicts) if ex.ok else extraction_verdict(ex)
            judged.append((i, resp, ex, rejection.compact_verdict(v)))
        valid = [(i, ex) for i, _, ex, v in judged if v["valid"]]
        desc = run._generate("instructions (described)", [
            describe_request(run.domain, ex.code, seed=instructions.request_rng(cfg.seed, rnd, i, "describe").randrange(
                2**31), temperature=cfg.instalign_temperature, max_tokens=cfg.max_tokens_instalign)
            for i, ex in valid]) if valid else []
        described = {i: d for (i, _), d in zip(valid, desc)}
        for i, resp, ex, verdict in judged:
            d = described.get(i)
            if d is not None and d.error:
                continue  # not recorded: redone (from the cache) when the run is resumed
            text = parse_description(d.texts[0]) if d is not None else None
            rec_id = f"r{rnd:03d}i{i:02d}"
            reason = None if verdict["valid"] else f"program:{verdict.get('rule') or verdict.get('error_kind')}"
            if reason is None and not text:
                reason = "unparseable"
            if reason is None:
                gate = run._gate(text)
                reason = gate.rule if gate else None
            if reason is None and cfg.check == "strict":
                verdict = rejection.with_static_rules(verdict, text, ex.code, run.domain)
                reason = None if verdict["valid"] else f"rule:{verdict['rule']}"
            decision = dedup.add(text, key=rec_id) if reason is None else None
            if decision is not None and not decision.kept:
                reason = decision.reason
            surplus = reason is None and len(kept) >= target
            rec = {"round": rnd, "index": i, "id": rec_id, "instruction": text, "kept": reason is None and not surplus,
                   "reason": SURPLUS if surplus else reason or "kept", "origin": "programs",
                   "similar_to": getattr(decision, "similar_to", None),
                   "similarity": round(getattr(decision, "similarity", 0.0), 3),
                   "raw": d.texts[0][:1000] if d is not None else None,
                   "usage": usage_of(d) if d is not None else {}}
            run.attempts.append({"id": rec_id, "attempt": 0, "program": ex.code if ex.ok else None,
                                 "raw": resp.texts[0][:4000], "verdict": verdict, "usage": usage_of(resp)})
            run.instr.append(rec)
            if rec["kept"]:
                kept.append(rec)
        run.meter.settle("programs (proposed)", "verify", "instructions (described)")
        run._overall()
