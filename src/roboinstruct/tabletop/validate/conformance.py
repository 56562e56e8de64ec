"""The conformance report: every task file with both verdicts (strict and GenSim's rule), the stage,
the reason and a start/end picture of its oracle episode, plus totals by reason — one
self-contained HTML page (`tabletop validate --report FILE.html`). The pictures are rendered by
the sandboxed render job (`pictures.render_many`: task code runs only in sandbox workers); here
they only become small data: URIs."""

from __future__ import annotations

import base64
import collections
import re

from ...report import DataTable, Report, Table
from .pictures import render_many, render_request
from .seeds import derive_seeds

THUMB_HEIGHT = 72  # pixels per view: four views (top, front; start, end) make one ~150x180 thumbnail


def reason_class(stage: str | None, reason: str) -> str:
    """A reason with its particulars (line numbers, names, numbers) taken out, for counting."""
    if not stage:
        return "pass"
    text = re.sub(r"^line \d+: ", "", reason or "")
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r"\([^()]*\)", "(…)", text)
    text = re.sub(r"\d+(\.\d+)?", "N", text)
    text = text.split(";")[0].split(": ")[0] if stage in ("oracle",) else text.split(";")[0]
    return f"{stage}: {text[:90]}"


def picture_requests(candidates, verdicts, run_seed: int = 0, height: int = THUMB_HEIGHT) -> list[dict | None]:
    """One render job per file that got past the static check (None for the others): the oracle
    episode on the verdict's first seed, in the file's dialect, as a JPEG."""
    out: list[dict | None] = []
    for c, v in zip(candidates, verdicts):
        if v.stage in ("parse", "sandbox") or not v.seeds:
            out.append(None)
            continue
        seed = derive_seeds(run_seed, v.code_hash, v.seeds)[0]
        out.append(render_request(c.source, seed, "jpeg", height, c.dialect, c.assets, c.dynamics))
    return out


def pictures(candidates, verdicts, run_seed: int = 0, height: int = THUMB_HEIGHT, workers=None,
             progress=None) -> list[dict]:
    """Per file: {"image": bytes | None, "message"/"stage"/...}, in the verdicts' order."""
    requests = picture_requests(candidates, verdicts, run_seed, height)
    wanted = [r for r in requests if r is not None]
    if progress and len(wanted) < len(requests):
        progress(len(requests) - len(wanted))  # the files with no picture to render count as done
    done = iter(render_many(wanted, workers=workers, progress=progress))
    return [next(done) if r is not None else {"image": None, "message": "not run: failed the static check"}
            for r in requests]


def data_uri(image: bytes) -> str:
    kind = "png" if image.startswith(b"\x89PNG") else "gif" if image.startswith(b"GIF8") else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(image).decode()


def _status(g: dict | None) -> str:
    return f"{g['status']} ({_seeds(g.get('passed', 0), g.get('seeds', 0), g.get('not_run', 0))})" if g else "not judged"


def _seeds(passed: int, seeds: int, not_run: int) -> str:
    """Seeds passed of K, and how many oracles were not run (validate.decided)."""
    return f"{passed}/{seeds}" + (f", {not_run} not run" if not_run else "")


def report(verdicts, pics: list[dict] | None = None, title: str = "Tabletop conformance",
           meta: dict | None = None, extra: list | None = None, column: tuple[str, dict] | None = None) -> Report:
    """The page: both verdicts' totals, `extra` sections, totals by reason, and one row per file
    with its picture; `column`: (title, file -> text), one more column of the caller's (e.g. what
    GenSim's own environment said of the file)."""
    pics = pics or [{"image": None, "message": "no pictures asked for"} for _ in verdicts]
    gensim = any(v.gensim_verdict for v in verdicts)
    rep = Report(title, meta=dict(meta or {}))
    strict_pass = sum(v.ok for v in verdicts)
    rule_pass = sum((v.gensim_verdict or {}).get("status") == "pass" for v in verdicts)
    rep.add(Table("Totals", ["files", "strict verdict: pass"] + (["GenSim's rule: pass"] if gensim else []),
                  [[len(verdicts), strict_pass] + ([rule_pass] if gensim else [])]))
    both = collections.Counter((v.status, (v.gensim_verdict or {}).get("status", "not judged")) for v in verdicts)
    if gensim:
        rep.add(Table("Strict verdict × GenSim's rule", ["strict", "GenSim's rule", "files"],
                      [[s, g, n] for (s, g), n in sorted(both.items(), key=lambda kv: (-kv[1], kv[0]))]))
    for section in extra or []:  # the caller's own sections (e.g. agreement with GenSim's environment)
        rep.add(section)
    for key, name in (("strict", "Strict verdict: files by reason"), ("gensim", "GenSim's rule: files by reason")):
        counts = collections.Counter(
            reason_class(v.stage, v.reason) if key == "strict" else
            reason_class(v.gensim_verdict.get("stage"), v.gensim_verdict.get("reason", ""))
            for v in verdicts if key == "strict" or v.gensim_verdict)
        if counts:
            rep.add(Table(name, ["files", "reason"], [[n, r] for r, n in
                                                     sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]))
    rows = []
    for v, pic in zip(verdicts, pics):
        g = v.gensim_verdict
        cell = ({"img": data_uri(pic["image"]), "alt": f"{v.file}: start and end of the oracle episode "
                 f"({'its goal checks met' if pic.get('ok') else pic.get('stage')})"}
                if pic.get("image") else f"no picture: {pic.get('message', '')}")
        rows.append([v.file, f"{v.status} ({_seeds(v.passed, v.seeds, v.not_run)})", _status(g) if gensim else "",
                     v.stage or "", v.reason or "", (g or {}).get("reason", "") if gensim else ""]
                    + ([column[1].get(v.file, "")] if column else []) + [cell])
    widths = ["15%", "8%", "8%", "7%", "21%", "14%", "27%"] if not column else \
        ["13%", "7%", "7%", "7%", "18%", "12%", "10%", "26%"]
    rep.add(DataTable("Files", ["task file", "strict verdict", "GenSim's rule", "stage (strict)", "reason (strict)",
                                "reason (GenSim's rule)"] + ([column[0]] if column else []) + ["start / end (top, front)"],
                      rows,
                      note="Search any word (a file, a stage, 'fail'). Pictures: the oracle episode on the "
                           "verdict's first seed, at reset (top row) and after the oracle (bottom row), in the "
                           "file's dialect: a GenSim file's oracle stops when GenSim's goal checks are met, which "
                           "the strict verdict may still judge unmet (its reason says why).",
                      page_size=20, widths=widths))
    return rep
