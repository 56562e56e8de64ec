"""Stage 5: InstAlign — make the instruction say what the (verified) program does.

Two calls per pair: a chain-of-thought revision (APIs used and what they do, then the
program step by step, then the corrected instruction under a fixed heading) at a low
temperature, then a second call that reasons and picks the better of the original and
the revised instruction. Any parse failure falls back to the original instruction.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from ..domain import Domain
from ..llm.types import ChatRequest
from ..templates import renderer

render = renderer(Path(__file__).parent / "prompts")

HEADING = re.compile(r"#+\s*Revised Instruction\s*:?\s*#*", re.I)
ANSWER = re.compile(r"answer\s*[:\-]?\s*\**\s*\(?\s*(?:instruction\s+)?([AB])\b", re.I)


def revise_request(domain: Domain, instruction: str, program: str, *, seed: int, temperature: float,
                   max_tokens: int) -> ChatRequest:
    prompt = render("instalign_revise.j2", api=domain.api_prompt().strip(), instruction=instruction,
                    program=program.strip())
    return ChatRequest(messages=[{"role": "user", "content": prompt}], temperature=temperature,
                       max_tokens=max_tokens, seed=seed)


def parse_revision(text: str) -> str | None:
    """The first prose paragraph after the last "### Revised Instruction" heading."""
    heads = list(HEADING.finditer(text or ""))
    if not heads:
        return None
    body = text[heads[-1].end():]
    for para in re.split(r"\n\s*\n", body):
        para = para.strip()
        if not para or para.startswith(("#", "```", "|")):
            continue
        revised = " ".join(para.replace("**", "").split()).strip().strip('"“”').strip()
        revised = re.sub(r"^(?:revised instruction|instruction)\s*:\s*", "", revised, flags=re.I)
        return revised if len(revised.split()) >= 3 else None
    return None


def select_order(seed: int, pair_id: str) -> bool:
    """True: the revised instruction is shown as A. Randomized per pair against position bias."""
    return random.Random(f"{seed}/select/{pair_id}").random() < 0.5


def select_request(program: str, original: str, revised: str, *, revised_first: bool, seed: int,
                   max_tokens: int) -> ChatRequest:
    first, second = (revised, original) if revised_first else (original, revised)
    prompt = render("instalign_select.j2", program=program.strip(), first=first, second=second)
    return ChatRequest(messages=[{"role": "user", "content": prompt}], temperature=0.0,
                       max_tokens=max_tokens, seed=seed)


def parse_choice(text: str, revised_first: bool) -> str | None:
    """'revised' or 'original' from the last 'Answer: A/B' in the text; None if absent."""
    found = ANSWER.findall(text or "")
    if not found:
        return None
    letter = found[-1].upper()
    return "revised" if (letter == "A") == revised_first else "original"
