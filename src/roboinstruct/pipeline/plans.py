"""Plan-first generation (`--origin plans`): the instruction stage when pairs start from a plan.

Measured on blind labels (experiments/results/pair-quality), the 1.5B's free instructions are the
binding constraint: most are requests no person would make, and back-translation (`--origin
programs`) only describes the wandering programs it writes. Here a request starts from one of the
domain's shapes (roboinstruct.quality.plans: a request in terms of the API plus the calls a program
for it must make):

  1. fill      the model, shown one shape and one setting (both drawn from the run's seed), chooses
               the slots' names (JSON); the request is one of the shape's wordings with those names;
  2. keep      the fill checks (names of the right kind, no placeholders), the instruction gates,
               dedup/decontamination as for any instruction;
  3. programs  the usual stage samples programs for the request and RoboSim verifies them; under the
               strict check a program must also make the plan's calls (`plan-coverage`).

Records are the pipeline's own: an `instructions.jsonl` record per fill (round, index) with its plan
(shape, setting, values, calls), so programs, top-up, dataset and report read the run unchanged.
InstAlign does not run: the request is the plan's by construction, and InstAlign's revisions were
measured to add steps the program lacks.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..llm.types import ChatRequest
from ..quality.findings import Finding
from ..quality.plans import Shape, check_fill, domain_plans, fill_schema, normal, render_request
from ..templates import renderer
from . import instructions
from .records import usage_of
from .stats import SURPLUS

render = renderer(Path(__file__).parent / "prompts" / "plans")
STAGE = "instructions (planned)"


def fill_request(domain, shape: Shape, setting: str, avoid: list[str], *, seed: int, temperature: float,
                 max_tokens: int) -> ChatRequest:
    keys = [s.name for s in shape.slots]
    msgs = [{"role": "system", "content": instructions.system_prompt(domain, 3)},
            {"role": "user", "content": render("fill.j2", setting=setting, shape=shape.shape, slots=shape.slots,
                                               avoid=avoid, keys=keys,
                                               several=sum(s.kind == "location" and s.text is None for s in shape.slots) > 1)}]
    return ChatRequest(messages=msgs, temperature=temperature, max_tokens=max_tokens, seed=seed,
                       json_schema=fill_schema(shape))


def parse_fill(text: str, shape: Shape) -> dict:
    """The slot values of a fill answer ({} when it is not a JSON object)."""
    start, end = (text or "").find("{"), (text or "").rfind("}")
    if not 0 <= start < end:
        return {}
    try:
        data = json.loads(text[start:end + 1])
    except ValueError:
        return {}
    return {s.name: data.get(s.name) for s in shape.slots} if isinstance(data, dict) else {}


def plan_key(shape: str, values: dict) -> tuple:
    """A plan's identity: its shape and its names, as the checks compare them."""
    return (shape, *sorted((k, str([normal(x) for x in v]) if isinstance(v, list) else normal(str(v)))
                           for k, v in values.items()))


def stage_plans(run) -> None:
    """Rounds of fill → check → keep until the run has its target of kept requests."""
    cfg = run.cfg
    plans = domain_plans(run.domain)
    shapes = {s.name: s for s in plans.shapes}
    dedup = run.new_deduplicator()  # the benchmark's prompts and the seeds
    done = sorted(run.instr, key=lambda r: (r["round"], r["index"]))
    kept = [r for r in done if r.get("kept")]
    seen = {plan_key(r["plan"]["shape"], r["plan"]["values"]) for r in done if r["reason"] in ("kept", SURPLUS)}
    for rnd in range(cfg.rounds):
        target = run.target()
        if len(kept) >= target:
            break
        missing = target - sum(1 for r in kept if r["round"] < rnd)
        # ask for what is missing and half again (fills refused by the checks or as near-duplicates)
        due = [i for i in range(max(1, min(cfg.batch * 2, missing * 3 // 2 + 1))) if (rnd, i) not in run.instr]
        if not due:
            continue
        earlier = [r for r in kept if r["round"] < rnd]
        asks = []
        for i in due:
            rng = instructions.request_rng(cfg.seed, rnd, i, "plan")
            shape = rng.choice(plans.shapes)
            setting = rng.choice(plans.settings)
            same = [r["instruction"] for r in earlier if r["plan"]["shape"] == shape.name]
            avoid = rng.sample(same, min(3, len(same)))
            wording = rng.choice(shape.requests)
            asks.append((i, shape, setting, wording, fill_request(
                run.domain, shape, setting, avoid, seed=rng.randrange(2**31),
                temperature=cfg.instruction_temperature, max_tokens=cfg.max_tokens_instruction * 2)))
        responses = run._generate(STAGE, [a[4] for a in asks])
        for (i, shape, setting, wording, _), resp in zip(asks, responses):
            if resp.error or (rnd, i) in run.instr:
                continue  # an error is not recorded: retried (from the cache) when the run is resumed
            values = parse_fill(resp.texts[0], shape)
            finding = (check_fill(shape, values, run.domain) if values
                       else Finding("plan:unparseable", "no JSON object with the slots"))
            text = render_request(wording, shape, values) if finding is None else None
            reason = finding.rule if finding else None
            if reason is None:
                gate = run._gate(text)
                reason = gate.rule if gate else None
            # Decontamination by text (the benchmark's prompts, the seeds); among the run's own requests,
            # by plan: two wordings of one shape differ in a name or two, which text similarity calls
            # near-duplicates, so the same shape with other names is kept and the same names are not.
            decision = dedup.check(text) if reason is None else None
            if decision is not None and not decision.kept:
                reason = decision.reason
            if reason is None and plan_key(shape.name, values) in seen:
                reason = "same plan"
            if reason is None:
                seen.add(plan_key(shape.name, values))
            surplus = reason is None and len(kept) >= target
            rec = {"round": rnd, "index": i, "id": f"r{rnd:03d}i{i:02d}", "instruction": text,
                   "kept": reason is None and not surplus, "reason": SURPLUS if surplus else reason or "kept",
                   "why": finding.reason if finding else None, "origin": "plans",
                   "plan": {"shape": shape.name, "setting": setting, "wording": wording, "values": values,
                            "calls": shapes[shape.name].call_texts,
                            "texts": [s.name for s in shape.slots if s.text in ("question", "message")]},
                   "similar_to": getattr(decision, "similar_to", None),
                   "similarity": round(getattr(decision, "similarity", 0.0), 3),
                   "raw": resp.texts[0][:1000], "usage": usage_of(resp)}
            run.instr.append(rec)
            if rec["kept"]:
                kept.append(rec)
        run.meter.settle(STAGE)



def program_examples(run, record: dict) -> list[tuple[str, str]]:
    """The earlier turns of a program prompt: the seeds, and for a planned request its shape's worked
    example last (nearest the request: the turn the model copies from)."""
    examples = [(s.instruction, s.program) for s in run.seeds[: run.cfg.shots]]
    plan = record.get("plan")
    if plan:
        plans = domain_plans(run.domain)
        shape = next((s for s in plans.shapes if s.name == plan.get("shape")), None) if plans else None
        pair = shape.example_pair() if shape is not None else None
        examples += [pair] if pair else []
    return examples


def plan_observer(run, record: dict):
    """For a planned request under the strict check, the judge of its program's paths against the plan
    (quality.plan_trace, fed by the verifier's replay); None otherwise."""
    if run.cfg.check != "strict" or not record.get("plan"):
        return None
    from ..quality.plan_trace import PlanTrace

    return PlanTrace.for_plan(record["plan"], run.domain)
