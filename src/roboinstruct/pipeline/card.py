"""The dataset card (README.md in the run directory): what this data is and how it was made."""

from __future__ import annotations

import json

from .reader_kept import card_lines
from .records import RunRecords


def card_text(rec: RunRecords, rows: list[dict], stats: dict) -> str:
    cfg = rec.config
    example = rows[0] if rows else None
    lines = [
        "---",
        "task_categories: [text-generation]",
        "tags: [robotics, code, robo-instruct, roboinstruct]",
        "configs:",
        "- config_name: default",
        "  data_files: dataset.jsonl",
        "---",
        f"# roboinstruct dataset `{rec.fingerprint}`",
        "",
        f"{len(rows)} instruction→program pairs for the `{rec.domain.name}` robot API, generated with "
        f"{cfg.method} and filtered in mode `{cfg.mode}` (Robo-Instruct, arXiv 2405.20179).",
        "Every program in `robosim` / `robo-instruct` mode passed RoboSim verification with the run's seed.",
        "",
        "Load it with `datasets.load_dataset('json', data_files='dataset.jsonl')` or read `dataset.parquet`:",
        "both files hold the same rows and the same typed columns — `verdict` and `provenance` are nested",
        "records (Parquet structs), so `verdict.paths` or `provenance.mode` filter without parsing JSON.",
        "",
        "## Columns",
        "- `instruction`: the final instruction (after InstAlign when enabled)",
        "- `original_instruction`: the instruction as generated",
        "- `program`: `def task_program():` using the robot API",
        "- `attempts`: programs sampled for this instruction",
        "- `verdict`: RoboSim's verdict on the kept program (valid, paths explored, exhaustive)",
        "- `provenance`: round/index of generation, method, mode, kept attempt, InstAlign decision",
        "",
        "## Settings",
        "```json",
        json.dumps(cfg.fingerprinted(), indent=2, default=str),
        "```",
        "",
        "## Statistics",
        f"- instructions generated: {stats['instructions_generated']}, kept after dedup: {stats['instructions_kept']}",
        f"- programs sampled: {stats['programs_sampled']} ({stats['programs_valid']} valid under RoboSim)",
        f"- rejected programs by error kind: {stats['rejected_by_error_kind']}",
        f"- discard rate by resample budget: {stats['discard_curve']}",
        f"- InstAlign: {stats['instalign']}",
        f"- 4-gram diversity of instructions: {stats['diversity_4gram']}",
        f"- distinct names by kind in programs: {stats['distinct_names']}",
        f"- model tokens per pair: {stats['tokens_per_pair']}, model seconds per pair: {stats['model_seconds_per_pair']}",
    ]
    lines += [""] + card_lines(cfg.fingerprinted())
    if example:
        lines += ["", "## Example", "", f"> {example['instruction']}", "", "```python", example["program"].rstrip(), "```"]
    return "\n".join(lines) + "\n"
