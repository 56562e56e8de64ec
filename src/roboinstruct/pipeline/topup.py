"""How many kept instructions a run works on (`top_up`): --num plus one for every instruction of
the window that ended without a pair, so `--num N` gives N pairs while the round budget lasts.

Computed from records alone, and only from windows whose programs are all decided, so a resumed
run works on exactly the window an uninterrupted one did.
"""

from __future__ import annotations

from . import rejection
from .agreement import apply


def target(run) -> int:
    num = run.cfg.num
    if not run.cfg.top_up:
        return num
    kept, t = run._all_kept(), num
    while len(kept) >= t:
        window = kept[:t]
        if not all(decided(run, r) for r in window):
            return t
        lost = sum(1 for r in window if pair_of(run, r) is None)
        if num + lost == t:
            return t
        t = num + lost
    return t


def decided(run, rec: dict) -> bool:
    """Whether the instruction's programs (and agreement, when on) are all in."""
    cfg = run.cfg
    atts = run.attempts_of(rec["id"])
    if any(rejection.needs_attempt(cfg.mode, atts, k, cfg.max_resamples)
           for k in range(len(atts), rejection.max_attempts(cfg.mode, cfg.max_resamples))):
        return False
    if cfg.agreement > 1 and rejection.chosen(cfg.mode, atts) is not None:
        return rec["id"] in run.agreed
    return True


def pair_of(run, rec: dict):
    """The attempt this instruction contributes (None: no pair)."""
    att = rejection.chosen(run.cfg.mode, run.attempts_of(rec["id"]))
    if att is not None and run.cfg.agreement > 1:
        att = apply(run.agreed.get(rec["id"]) if rec["id"] in run.agreed else None, att)
    return att
