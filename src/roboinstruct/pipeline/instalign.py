"""Stage 5: InstAlign — make the instruction say what the (verified) program does.

Two calls per pair: a revision at a low temperature, then a second call that picks the
better of the original and the revised instruction. Two answer formats (`instalign_format`):
- "json" (default): structured output — the server constrains the answer to a JSON schema
  (a short account of what the program does, then the instruction; then {"answer": "A"|"B"}),
  so even a 0.5B model answers parseably, in a fraction of the tokens;
- "text": the paper's free chain of thought (APIs used, the program step by step, the
  corrected instruction under a fixed heading; then reasoning and "Answer: A/B").
Any parse failure falls back to the original instruction.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from ..domain import Domain
from ..llm.types import ChatRequest
from ..templates import renderer

render = renderer(Path(__file__).parent / "prompts")

HEADING = re.compile(r"#+\s*Revised Instruction\s*:?\s*#*", re.I)
ANSWER = re.compile(r"answer\s*[:\-]?\s*\**\s*\(?\s*(?:instruction\s+)?([AB])\b", re.I)
FORMATS = ("json", "text")
# llama.cpp writes the properties in name order: the account of the program ("analysis")
# comes before the answer ("revised_instruction"), a short chain of thought.
REVISION_SCHEMA = {
    "type": "object",
    "properties": {"analysis": {"type": "string", "maxLength": 500},
                   "revised_instruction": {"type": "string", "minLength": 10, "maxLength": 500}},
    "required": ["analysis", "revised_instruction"], "additionalProperties": False,
}
# Template 2's account is one sentence; the cap bounds what a rambling model can spend on it.
REVISION_SCHEMA_V2 = {**REVISION_SCHEMA, "properties": {**REVISION_SCHEMA["properties"],
                                                        "analysis": {"type": "string", "maxLength": 200}}}
CHOICE_SCHEMA = {"type": "object", "properties": {"answer": {"type": "string", "enum": ["A", "B"]}},
                 "required": ["answer"], "additionalProperties": False}


def revise_request(domain: Domain, instruction: str, program: str, *, seed: int, temperature: float,
                   max_tokens: int, fmt: str = "json", prompts: int = 1) -> ChatRequest:
    # The API block comes first: byte-identical across pairs, so the server reuses its KV cache.
    # Template 2 also puts the answer format before the pair (reused too) and asks for a short account.
    if fmt != "json":
        template, schema = "instalign_revise.j2", None
    elif prompts >= 2:
        template, schema = "instalign_revise_json_v2.j2", REVISION_SCHEMA_V2
    else:
        template, schema = "instalign_revise_json.j2", REVISION_SCHEMA
    prompt = render(template, api=domain.api_prompt().strip(), instruction=instruction, program=program.strip())
    return ChatRequest(messages=[{"role": "user", "content": prompt}], temperature=temperature,
                       max_tokens=max_tokens, seed=seed, json_schema=schema)


def _json_field(text: str, field: str) -> str | None:
    """`field` of the JSON object in `text` (a server without structured output may wrap it)."""
    text = (text or "").strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        value = json.loads(text[start:end + 1]).get(field)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _clean(revised: str) -> str | None:
    revised = " ".join(revised.replace("**", "").split()).strip().strip('"“”').strip()
    revised = re.sub(r"^(?:revised instruction|instruction)\s*:\s*", "", revised, flags=re.I)
    return revised if len(revised.split()) >= 3 else None


def parse_revision(text: str) -> str | None:
    """The revised instruction: the JSON answer's "instruction", else the first prose
    paragraph after the last "### Revised Instruction" heading."""
    found = _json_field(text, "revised_instruction")
    if found is not None:
        return _clean(found)
    heads = list(HEADING.finditer(text or ""))
    if not heads:
        return None
    body = text[heads[-1].end():]
    for para in re.split(r"\n\s*\n", body):
        para = para.strip()
        if not para or para.startswith(("#", "```", "|")):
            continue
        return _clean(para)
    return None


def select_order(seed: int, pair_id: str) -> bool:
    """True: the revised instruction is shown as A. Randomized per pair against position bias."""
    return random.Random(f"{seed}/select/{pair_id}").random() < 0.5


def select_request(program: str, original: str, revised: str, *, revised_first: bool, seed: int,
                   max_tokens: int, fmt: str = "json", after: tuple[ChatRequest, str] | None = None,
                   prompts: int = 1) -> ChatRequest:
    """The original-vs-revised decision. JSON format: a follow-up turn after the revision's own
    conversation (`after` = (revise request, its answer)), which already shows the program.

    Template 2 replays the answer as just {"revised_instruction": ...}: the server re-tokenizes a
    replayed turn, and the grammar-guided answer's tokens rarely match that, so every replayed
    token is evaluated again (≈130 per pair with the account in it)."""
    first, second = (revised, original) if revised_first else (original, revised)
    if fmt != "json":
        prompt = render("instalign_select.j2", program=program.strip(), first=first, second=second)
        return ChatRequest(messages=[{"role": "user", "content": prompt}], temperature=0.0,
                           max_tokens=max_tokens, seed=seed)
    if after is None:
        messages = [{"role": "user", "content": render("instalign_select_json.j2", program=program.strip(),
                                                       first=first, second=second)}]
    else:
        revise, answer = after
        if prompts >= 2:
            answer = json.dumps({"revised_instruction": revised}, ensure_ascii=False)
        messages = [*revise.messages, {"role": "assistant", "content": answer},
                    {"role": "user", "content": render("instalign_select_followup.j2", first=first, second=second)}]
    return ChatRequest(messages=messages, temperature=0.0, max_tokens=max_tokens, seed=seed,
                       json_schema=CHOICE_SCHEMA)


def parse_choice(text: str, revised_first: bool) -> str | None:
    """'revised' or 'original' from the JSON answer, else the last 'Answer: A/B'; None if absent."""
    letter = _json_field(text, "answer")
    if letter not in ("A", "B"):
        found = ANSWER.findall(text or "")
        if not found:
            return None
        letter = found[-1].upper()
    return "revised" if (letter == "A") == revised_first else "original"
