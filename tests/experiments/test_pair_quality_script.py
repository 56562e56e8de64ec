"""The pair-quality experiment end to end on a tiny run: collect, a blind sheet (opaque refs, no
run names), labels from two readers, and measure (audit with the strict check, precision/recall
per rule with intervals, kappa, the table files)."""

from __future__ import annotations

import json

from experiment_scripts import load_script


def _script():
    return load_script('pair_quality')


GOOD = ("Go to Bob's office and ask him whether he wants tea or coffee, then come back and tell me.",
        'def task_program():\n    start = get_current_location()\n    go_to("Bob\'s office")\n'
        '    a = ask("Bob", "Tea or coffee?", ["tea", "coffee"])\n    go_to(start)\n    say("Bob wants " + a)\n')
BAD = ("Go to the kitchen and cook a meal.", 'def task_program():\n    go_to("kitchen")\n    say("cooking")\n')
PRINT = ("Ask Bob in his office if he is free and tell me.",
         'def task_program():\n    go_to("Bob\'s office")\n    a = ask("Bob", "Free?", ["Yes", "No"])\n    print(a)\n')


def test_collect_sheet_measure(tmp_path):
    pq = _script()
    run = tmp_path / "runs" / "r1"
    run.mkdir(parents=True)
    (run / "manifest.json").write_text(json.dumps({"fingerprint": "abc", "config": {"model": "m", "prompts": 2}}))
    rows = [{"id": f"x{i}", "instruction": i_, "original_instruction": i_, "program": p}
            for i, (i_, p) in enumerate([GOOD, BAD, PRINT])]
    (run / "dataset.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "pq"
    pq.collect(out, [str(run)])
    pq.sheet(out, "s1", ["r1"])
    blind = [json.loads(x) for x in (out / "blind_s1.jsonl").read_text().splitlines()]
    assert sorted(b["ref"] for b in blind) == ["p0000", "p0001", "p0002"]
    assert all(set(b) == {"ref", "instruction", "program"} and "r1" not in json.dumps(b) for b in blind)
    for reader in ("A", "B"):
        (out / f"labels_{reader}.jsonl").write_text("".join(json.dumps(
            {"ref": b["ref"], "good": "yes" if b["instruction"] == GOOD[0] else "no", "instruction_ok": "yes",
             "program_matches": "yes", "why": "-"}) + "\n" for b in blind))
    res = pq.measure(out, workers=1)
    o = res["overall"]
    assert o["pairs"] == 3 and o["good"] == 1 and o["strict_kept"] == 1
    assert o["reader_kept_share_of_strict_kept"]["rate"] == 1.0 and o["bad_pairs_rejected"]["rate"] == 1.0
    assert res["per_rule"]["gate:beyond-api"]["precision"]["rate"] == 1.0
    assert res["reader_agreement"]["kappa_good"] == 1.0
    assert (out / "table.md").read_text().startswith("# Pair quality") and (out / "report.html").exists()
    assert json.loads((out / "manifest.json").read_text())["kind"] == "roboinstruct.pair_quality"
    # the card's measurements: beside these tables, never into the package from a folder of one's own
    assert json.loads((out / "reader_kept.json").read_text())["kind"] == "roboinstruct.reader_kept"
