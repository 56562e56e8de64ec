"""Oracle demonstrations as a robot-learning dataset.

`worker.jobs.record_job` (a sandbox-worker job: task code runs there) plays the scripted oracle on one
seed and returns, for every action, the observation before it — the top-down RGB and height
map on Ravens' grid, plus a front camera image — the action (pick and place tip poses, their
pixels and the place rotation), the language goal, the reward and done. `record` runs the
episodes on the worker pool, keeps the successful ones (counting the failed), writes each
episode as a compressed shard as it finishes (a resumed run skips finished seeds), and builds a
Hugging Face `datasets` dataset with a card and a GIF of a few episodes.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import UserError
from ...settings import option

JOB = "roboinstruct.tabletop.learning.worker.jobs:record_job"


@dataclass
class DemoSettings:
    """How demonstrations are recorded (`tabletop demos` flags): declared once."""
    episodes: int = option(10, "episodes per task (distinct seeds)")
    seed: int = option(0, "run seed the episode seeds derive from")
    keep_failed: bool = option(False, "also keep episodes the oracle failed")
    workers: int | None = option(None, "sandbox workers (default: cores)")

    def validate(self) -> DemoSettings:
        if self.episodes < 1:
            raise UserError("--episodes must be at least 1")
        return self


def unpack(blob: str) -> dict:
    with np.load(io.BytesIO(base64.b64decode(blob)), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def dialect_of(candidate) -> dict:
    """What a job needs to run a candidate in its dialect: GenSim's (a checkout's file: its assets
    with it, `tasks.sources.collect(gensim=...)`) or nothing (this project's own)."""
    if getattr(candidate, "dialect", "roboinstruct") == "roboinstruct":
        return {}
    return {"dialect": candidate.dialect, "assets": candidate.assets}


def shard_name(task: str, seed: int) -> str:
    return f"{task}-{seed}.npz"


def record(candidates: list, episodes: int, seed: int, out: Path, workers: int | None = None,
           keep_failed: bool = False, progress=None) -> dict:
    """Record `episodes` oracle episodes per task into out/episodes/ (resumable); an index."""
    from ...artifacts import JsonlSink, atomic_write, read_objects
    from ...sandbox import WorkerPool
    from ..validate.taskcode import code_hash
    from ..validate.seeds import derive_seeds

    shards = out / "episodes"
    shards.mkdir(parents=True, exist_ok=True)
    index_path = out / "episodes.jsonl"
    done = {(r["file"], r["seed"]): r for _, r in read_objects(index_path)} if index_path.exists() else {}
    jobs, meta = [], []
    for c in candidates:
        for s in derive_seeds(seed, code_hash(c.source), episodes):
            if (c.file, s) not in done:
                jobs.append({"job": JOB, "source": c.source, "seed": s, **dialect_of(c)})
                meta.append(c.file)
    with JsonlSink(index_path) as sink, WorkerPool(workers, memory_mb=1024, cpu_seconds=120) as pool:
        for i, result in pool.run(jobs):
            row = {"file": meta[i], "seed": jobs[i]["seed"], "ok": bool(result.get("ok")),
                   "stage": result.get("stage"), "reason": result.get("reason") or result.get("message", ""),
                   "steps": result.get("steps", 0), "task": result.get("task"), "lang": result.get("lang", [])}
            # a crashed episode (CPU or memory limit, a reply refused) has no steps to keep: a failure,
            # never a KeyError that ends the recording
            if not isinstance(result.get("arrays"), str):
                row["ok"] = False
            elif row["ok"] or keep_failed:
                row["shard"] = shard_name(Path(meta[i]).stem, row["seed"])
                atomic_write(shards / row["shard"], base64.b64decode(result["arrays"]))
            sink.write(row)  # after the shard: an indexed episode always has its data
            done[(row["file"], row["seed"])] = row
            if progress:
                progress()
    rows = list(done.values())
    return {"episodes": len(rows), "kept": sum("shard" in r for r in rows),
            "failed": sum(not r["ok"] for r in rows), "rows": rows}


def load_episode(out: Path, row: dict) -> dict:
    with np.load(out / "episodes" / row["shard"], allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def build_dataset(out: Path, rows: list[dict]):
    """The kept episodes as a Hugging Face dataset (one row per step), saved to out/dataset."""
    import datasets

    datasets.disable_progress_bars()  # the command shows its own progress
    features = datasets.Features({
        "episode": datasets.Value("string"), "task": datasets.Value("string"), "seed": datasets.Value("int64"),
        "step": datasets.Value("int32"), "color": datasets.Image(), "height": datasets.Array2D((320, 160), "float16"),
        "front": datasets.Image(), "pick": datasets.Sequence(datasets.Value("float32"), length=7),
        "place": datasets.Sequence(datasets.Value("float32"), length=7),
        "pick_pixel": datasets.Sequence(datasets.Value("int32"), length=2),
        "place_pixel": datasets.Sequence(datasets.Value("int32"), length=2),
        "place_yaw": datasets.Value("float32"), "place_rotation": datasets.Value("int32"),
        "lang_goal": datasets.Value("string"), "reward": datasets.Value("float32"), "done": datasets.Value("bool")})

    def steps():
        for r in rows:
            if "shard" not in r:
                continue
            e = load_episode(out, r)
            for k in range(len(e["pick"])):
                yield {"episode": f"{r['task']}-{r['seed']}", "task": r["task"], "seed": r["seed"], "step": k,
                       "color": e["color"][k], "height": e["height"][k].astype(np.float16), "front": e["front"][k],
                       "pick": e["pick"][k], "place": e["place"][k], "pick_pixel": e["pick_pixel"][k],
                       "place_pixel": e["place_pixel"][k], "place_yaw": float(e["place_yaw"][k]),
                       "place_rotation": int(e["place_rotation"][k]), "lang_goal": r["lang"][k],
                       "reward": float(e["reward"][k]), "done": bool(e["done"][k])}

    ds = datasets.Dataset.from_generator(steps, features=features)
    ds.save_to_disk(str(out / "dataset"))
    return ds


def write_gif(out: Path, rows: list[dict], episodes: int = 4) -> Path | None:
    """A few episodes: each observation with the pick (red dot) and place (green ring) marked,
    then the final state; shown x-up like the render command's top view."""
    from PIL import Image, ImageDraw

    frames = []
    for r in [r for r in rows if "shard" in r][:episodes]:
        e = load_episode(out, r)
        views = [(e["color"][k], e["pick_pixel"][k], e["place_pixel"][k]) for k in range(len(e["pick"]))]
        for color, pick, place in views + [(e["final_color"], None, None)]:
            img = Image.fromarray(np.ascontiguousarray(color.transpose(1, 0, 2)[::-1]))  # rows: x (up), cols: y
            draw = ImageDraw.Draw(img)
            h = img.size[1]
            if pick is not None:
                (pr, pc), (qr, qc) = pick, place
                draw.ellipse((pr - 3, h - 1 - pc - 3, pr + 3, h - 1 - pc + 3), fill=(220, 30, 30))
                draw.ellipse((qr - 7, h - 1 - qc - 7, qr + 7, h - 1 - qc + 7), outline=(20, 160, 20), width=2)
            frames.append(img)
    if not frames:
        return None
    path = out / "episodes.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=700, loop=0)
    return path


def card(out: Path, summary: dict, tasks: list[str], gif: Path | None) -> str:
    lines = ["---", "task_categories: [robotics]", "tags: [tabletop, gensim, ravens, roboinstruct]", "---",
             "# Tabletop oracle demonstrations", "",
             f"{summary['kept']} successful oracle episodes of {len(tasks)} task(s) ({summary['failed']} failed "
             f"episodes were not kept), recorded by `roboinstruct tabletop demos` in PyBullet.", "",
             "Load with `datasets.load_from_disk('dataset')`: one row per action. Columns: `color` (top-down "
             "RGB, 320x160 on Ravens' grid: rows along y, columns along x, 3.125 mm per pixel), `height` (metres, "
             "same grid), `front` (a front camera image), `pick` / `place` (suction tip poses: xyz + quaternion), "
             "`pick_pixel` / `place_pixel` (row, col), `place_yaw` and `place_rotation` (one of 36 bins), "
             "`lang_goal`, `reward`, `done`.", "", "Tasks: " + ", ".join(tasks)]
    if gif:
        lines += ["", f"![a few episodes]({gif.name})"]
    return "\n".join(lines) + "\n"


def summary_json(summary: dict) -> str:
    return json.dumps({k: v for k, v in summary.items() if k != "rows"}, indent=2)
