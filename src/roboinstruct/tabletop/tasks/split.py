"""The held-out split of a GenSim checkout: by content, not by name.

Every checkout task is compared with each target of `tabletop:gensim-targets` (GenSim's
fine-tuning targets). Its similarity to a target is the largest of three TF-IDF cosines
(`tasks.content`): its description text against the target's description, its description text
against the target's own checkout file (when one has the target's name), and its code against
that file's code. A task whose similarity to any target reaches the threshold is held out — never
in a training set, so a near-copy of a target (GenSim's `code_rainbow_pyramid`,
`rainbow_pyramid_in_zone`, ...) cannot leak into training under another name.

The default threshold, 0.40, is the 95th percentile of the description similarity between two
checkout tasks (0.385 on liruiw/GenSim@5d01b67), rounded up to a multiple of 0.05: a task is held
out when it is closer to a target than 95% of GenSim's task pairs are to each other. Every
near-copy the issue names scores >= 0.449 there (`experiments/results/gensim-split/`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from .content import Vectors, code_terms, description_text, words
from .heldout import HeldoutTask, load_heldout
from .sources import gensim_files, read_gensim_file

DEFAULT_THRESHOLD = 0.40
TARGETS_SPEC = "tabletop:gensim-targets"
MEASURE = ("max of three TF-IDF cosines: the task's description text (name, docstring, language templates) vs the "
           "target's description; vs the description text of the target's own checkout file; the task's code "
           "3-grams vs that file's code")
RULE = "held out when the similarity to any target >= threshold"
PERCENTILES = (50, 90, 95, 99)


@dataclass
class Placement:
    """One checkout task: its nearest target, how close, through which comparison, held out or not."""
    file: str
    name: str
    target: str
    similarity: float
    via: str  # description | target-file-description | target-file-code
    held_out: bool


@dataclass
class Split:
    threshold: float
    targets: dict[str, str | None]  # target name -> its checkout file, if one has that name
    placements: list[Placement]
    pair_percentiles: dict[str, float]  # description similarity between two checkout tasks
    pair_share_below: float  # share of checkout task pairs less similar than the threshold
    rule: str = RULE
    measure: str = MEASURE
    histogram: list[dict] = field(default_factory=list)  # nearest-target similarity, 0.05 bins

    @property
    def held_out(self) -> list[Placement]:
        return [p for p in self.placements if p.held_out]

    def is_held_out(self, file: str) -> bool:
        return any(p.file == file and p.held_out for p in self.placements)

    def counts(self) -> dict:
        per_target: dict[str, int] = {t: 0 for t in self.targets}
        for p in self.held_out:
            per_target[p.target] += 1
        return {"tasks": len(self.placements), "held_out": len(self.held_out),
                "kept": len(self.placements) - len(self.held_out), "held_out_per_target": per_target}

    def to_dict(self) -> dict:
        return {"rule": self.rule, "measure": self.measure, "threshold": self.threshold,
                "targets": [{"name": t, "checkout_file": f} for t, f in self.targets.items()],
                "counts": self.counts(),
                "held_out": [asdict(p) for p in sorted(self.held_out, key=lambda p: (-p.similarity, p.file))],
                "distribution": {"task_pair_percentiles": self.pair_percentiles,
                                 "task_pairs_below_threshold": self.pair_share_below,
                                 "nearest_target_histogram": self.histogram}}


def task_name(file: str) -> str:
    """GenSim's task name of a file: its stem, underscores as dashes (as GenSim's own scripts do)."""
    return Path(file).stem.replace("_", "-")


def _percentile(values: list[float], q: float) -> float:
    return round(values[min(len(values) - 1, int(q / 100 * len(values)))], 4) if values else 0.0


def split(tasks: dict[str, str], targets: list[HeldoutTask], threshold: float = DEFAULT_THRESHOLD) -> Split:
    """The split of `tasks` (file label -> code) against `targets`."""
    names = {f: task_name(f) for f in tasks}
    target_file = {t.name: next((f for f in sorted(tasks) if names[f] == t.name), None) for t in targets}
    descriptions = {f: words(description_text(names[f], code)) for f, code in tasks.items()}
    descriptions.update({f"target:{t.name}": words(f"{t.name.replace('-', ' ')} {t.description}") for t in targets})
    text = Vectors(descriptions)
    code = Vectors({f: code_terms(c) for f, c in tasks.items()})
    placements = []
    for f in sorted(tasks):
        best = (-1.0, "", "")
        for t in targets:
            own = target_file[t.name]
            sims = [(text.cosine(f, f"target:{t.name}"), "description")]
            if own is not None:
                sims += [(text.cosine(f, own), "target-file-description"), (code.cosine(f, own), "target-file-code")]
            s, via = max(sims, key=lambda sv: sv[0])
            if s > best[0]:
                best = (s, t.name, via)
        s, target, via = best
        placements.append(Placement(f, names[f], target, round(s, 4), via, s >= threshold))
    files = sorted(tasks)
    pairs = sorted(text.cosine(a, b) for i, a in enumerate(files) for b in files[i + 1:])
    below = sum(p < threshold for p in pairs) / len(pairs) if pairs else 1.0
    bins = [0] * 20
    for p in placements:
        bins[min(19, int(p.similarity * 20 + 1e-9))] += 1
    histogram = [{"from": round(i * 0.05, 2), "to": round((i + 1) * 0.05, 2), "tasks": n} for i, n in enumerate(bins)]
    return Split(threshold, target_file, placements, {f"p{q}": _percentile(pairs, q) for q in PERCENTILES},
                 round(below, 4), histogram=histogram)


def read_checkout(checkout: str | Path) -> dict[str, str]:
    """A checkout's task files as file label (path in the checkout) -> code, as `sources.collect` labels them."""
    root = Path(checkout)
    return {str(f.relative_to(root)): read_gensim_file(f, root) for f in gensim_files(root)}


def split_checkout(checkout: str | Path, threshold: float = DEFAULT_THRESHOLD,
                   targets_spec: str = TARGETS_SPEC) -> Split:
    return split(read_checkout(checkout), list(load_heldout(targets_spec).values()), threshold)
