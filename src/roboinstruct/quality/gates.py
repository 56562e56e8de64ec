"""Instruction gates: is this a request a person would give *this* robot?

Pure text rules, read from the domain (its function names, its `quality:` words), applied to
generated instructions and to InstAlign's revisions alike. Each gate names what it found, so
a reader can check the call. Gates are conservative on purpose: a gate that fires on good
instructions costs pairs at the source, where they are cheapest to lose, but still costs them.
"""

from __future__ import annotations

import re

from ..domain import Domain
from .findings import Finding

# Words that describe code or the robot's program rather than ask for something.
CODE_WORDS = ("program", "function", "python", "script", "variable", "source code", "api", "parameter",
              "boolean", "integer", "return value", "iterate", "algorithm")
# Openings of a description, not a request ("The robot should ...", "This program ...").
# (Context first is fine: "The thermostat is set to 72 degrees. Go to ...")
DESCRIPTIVE_OPENINGS = ("the program", "this program", "the robot", "this robot", "a robot", "robot ", "the code",
                        "this code", "the function", "this function", "the script", "the task is", "this task",
                        "your task", "task:", "instruction", "it ", "i ", "we ", "they ", "you should", "you will",
                        "you need to", "you must", "you are", "the user ")
# References to something outside the instruction.
DANGLING = ("the above", "above ", "previous", "the following", "as before", "as mentioned", "same as",
            "the list below", "listed below", "aforementioned", "earlier task", "the message to", "say the message",
            "the given ", "the specified ", "a certain ", "some task")
TRAILING_FRAGMENTS = ("and", "or", "the", "a", "an", "to", "of", "with", "then", "if", "for", "in", "at", "is")


# What comes right before a verb in an imperative clause ("... and cook", "Then, book it", "try to fix").
VERB_CUES = ("and", "then", "to", "please", "also", "or", "first", "finally", "next", "so", "yes", "not")
DELEGATES = ("ask", "tell", "remind", "request", "asking", "telling")
# "... if they want to borrow": someone else's wish, not the robot's action
WISHES = ("want", "wants", "like", "likes", "need", "needs", "wish", "wishes", "plan", "plans", "going", "prefer")
# What comes shortly before a place named as a destination ("to the park", "at a nearby store").
PLACE_CUES = ("the", "a", "an", "to", "at", "in", "into", "nearby", "local", "from", "go", "them", "it", "back")
# The robot described in the third person anywhere ("... The robot will assist you"): a description.
ROBOT_TALK = re.compile(r"\b(?:the|this) robot (?:will|should|must|is|can|needs|has|would|may)\b")


def _matches(text: str, phrase: str):
    """Whole-word matches that also take simple inflections (cook: cooks, cooked, cooking)."""
    words = re.escape(phrase).replace(r"\ ", r"\s+")
    return re.finditer(rf"\b{words}(?:s|es|ed|d|ing)?\b", text)


def _has_phrase(text: str, phrase: str) -> bool:
    return next(_matches(text, phrase), None) is not None


def as_verb(text: str, phrase: str) -> bool:
    """The phrase in a verb's place: a clause's first word, or after a cue word."""
    for m in _matches(text, phrase):
        before = text[: m.start()].rstrip()
        if not before or before[-1] in ".,;:!?":
            return True
        words = before.split()
        # "ask them to open it": the robot asks; someone else acts
        others = words[-1] == "to" and (len(words) > 1 and words[-2] in WISHES or
                                        any(w in DELEGATES for w in words[-4:-1]))
        if words[-1] in VERB_CUES and not others:
            return True
    return False


def _as_place(text: str, phrase: str) -> bool:
    """The phrase named as a destination: a determiner or preposition among the two words before."""
    for m in _matches(text, phrase):
        before = re.findall(r"[a-z']+", text[: m.start()])[-2:]
        if any(w in PLACE_CUES for w in before):
            return True
    return False


def check_instruction(text: str, domain: Domain) -> list[Finding]:
    """Every gate the instruction fails (empty: it passes)."""
    found: list[Finding] = []
    raw = (text or "").strip()
    low = " ".join(raw.lower().split())
    words = low.split()
    if len(words) < 4:
        return [Finding("gate:incomplete", f"too short to be a task ({len(words)} words)")]
    # a missing full stop is fine ("Ask Ben if he needs a coffee"); a dangling last word is not
    if words[-1].strip(".,;:") in TRAILING_FRAGMENTS or "..." in raw or raw[-1] in ",;:(-":
        found.append(Finding("gate:incomplete", "reads as cut off (ends on a dangling word)"))
    if re.search(r"[{}\[\]<>=_`#]|\w\(", raw) or any(ord(c) > 0x2FFF for c in raw):
        found.append(Finding("gate:describes-code", "contains code-like symbols"))
    # an API name as code: underscored, called, or quoted ("use the 'say' function")
    api = [n for n in domain.api_names if ("_" in n and n.lower() in low)
           or re.search(rf"['\"`]{re.escape(n.lower())}['\"`]|\b{re.escape(n.lower())}\(", low)]
    if api:
        found.append(Finding("gate:describes-code", f"names the API function {api[0]!r}"))
    code = next((w for w in CODE_WORDS if _has_phrase(low, w)), None)
    if code and not api:
        found.append(Finding("gate:describes-code", f"talks about code ({code!r}), not a task"))
    opening = next((o for o in DESCRIPTIVE_OPENINGS if low.startswith(o)), None)
    if opening:
        found.append(Finding("gate:not-imperative", f"describes rather than asks (starts {raw.split()[0]!r})"))
    elif ROBOT_TALK.search(low):
        found.append(Finding("gate:not-imperative", f"describes the robot ({ROBOT_TALK.search(low).group(0)!r})"))
    dangling = next((d for d in DANGLING if d in low), None)
    if dangling:
        found.append(Finding("gate:not-self-contained", f"refers to something not in the instruction ({dangling!r})"))
    vocab = domain.vocabulary
    action = next((a for a in vocab.cannot if as_verb(low, a)), None)
    if action:
        found.append(Finding("gate:beyond-api", f"asks for {action!r}, which this robot cannot do"))
    place = next((p for p in vocab.outside if _as_place(low, p)), None)
    if place:
        found.append(Finding("gate:beyond-api", f"names {place!r}, a place this robot cannot go"))
    return found
