"""The generation pipeline end to end with a scripted model (real RoboSim, real files)."""

import json

import pyarrow.parquet as pq
import pytest
from fake_model import FakeBackend

from roboinstruct.errors import UserError
from roboinstruct.pipeline.config import GenerateConfig
from roboinstruct.pipeline.run import GenerationRun


def run(tmp_path, name="run", backend=None, **kw):
    backend = backend or FakeBackend()
    cfg = GenerateConfig(origin="instructions", num=kw.pop("num", 5), out=str(tmp_path / name), batch=4, max_rounds=6, workers=2,
                         decontaminate=[], paths=200, **kw).validate()
    r = GenerationRun(cfg, backend_factory=lambda c: backend)
    try:
        manifest = r.run()
    finally:
        r.close()
    rows = [json.loads(line) for line in (tmp_path / name / "dataset.jsonl").read_text().splitlines()]
    return r, manifest, rows, backend


def test_robo_instruct_run_writes_verified_dataset(tmp_path):
    r, manifest, rows, backend = run(tmp_path)
    d = tmp_path / "run"
    for f in ("dataset.jsonl", "dataset.parquet", "README.md", "manifest.json", "report.html", "config.json"):
        assert (d / f).exists(), f
    assert rows and all(row["verdict"]["valid"] for row in rows)
    # the near-duplicate task and the unsolvable one never make it
    assert not any("please" in row["original_instruction"] for row in rows)
    assert not any("garage" in row["original_instruction"] for row in rows)
    # the charger task needed a resample: the invalid first program was rejected by RoboSim
    charger = [row for row in rows if "charger" in row["original_instruction"]]
    assert charger[0]["attempts"] == 2 and charger[0]["provenance"]["attempt"] == 1
    # InstAlign ran and the selector's choice (B) was applied according to the shown order
    assert all(row["provenance"]["instalign"] in ("original", "revised") for row in rows)
    table = pq.read_table(d / "dataset.parquet")
    assert table.num_rows == len(rows) and "program" in table.column_names
    import datasets

    for files in ({"train": str(d / "dataset.jsonl")}, {"train": str(d / "dataset.parquet")}):
        kind = "json" if files["train"].endswith("jsonl") else "parquet"
        ds = datasets.load_dataset(kind, data_files=files, cache_dir=str(tmp_path / "hf"))["train"]
        assert ds.num_rows == len(rows) and ds[0]["program"] == rows[0]["program"]
    assert manifest["stats"]["pairs"] == len(rows)
    assert manifest["fingerprint"] in (d / "README.md").read_text()
    html = (d / "report.html").read_text()
    assert "Discard rate by resample budget" in html and "<svg" in html
    assert backend.closed  # run.close() closes the backend it created
    assert manifest["config"]["mode"] == "robo-instruct"


def test_rerun_resumes_with_no_model_calls(tmp_path):
    _, m1, rows1, _ = run(tmp_path)
    again = FakeBackend()
    _, m2, rows2, _ = run(tmp_path, backend=again)
    assert again.calls == 0  # everything came from the stage records
    assert rows1 == rows2 and m1["files"] == m2["files"]


def test_a_resumed_run_keeps_the_earlier_invocations_notes_and_seconds(tmp_path):
    """The manifest of a run finished over several invocations keeps each one's stage notes and
    seconds (a resume used to overwrite them: a 5182 s stage vanished from a committed manifest)."""
    _, m1, _, _ = run(tmp_path)
    stage_notes = [n for n in m1["notes"] if n.startswith("programs")]
    assert stage_notes and len(m1["invocations"]) == 1
    _, m2, _, _ = run(tmp_path, backend=FakeBackend())
    assert [i["notes"] for i in m2["invocations"][:1]] == [m1["notes"]] and len(m2["invocations"]) == 2
    assert all(n in m2["notes"] for n in stage_notes)
    assert m2["seconds_all_invocations"] == pytest.approx(m1["seconds_this_invocation"] + m2["seconds_this_invocation"],
                                                          abs=0.11)


def test_killed_mid_stage_resumes_without_loss_or_duplicates(tmp_path):
    _, _, full_rows, _ = run(tmp_path, name="full")
    _, _, _, _ = run(tmp_path, name="cut")
    stages = tmp_path / "cut" / "stages"
    progs = (stages / "programs.jsonl").read_text().splitlines()
    # simulate kill -9 in the middle of the programs stage, halfway through writing a record
    (stages / "programs.jsonl").write_text("\n".join(progs[:2]) + "\n" + progs[2][: len(progs[2]) // 2])
    (stages / "instalign.jsonl").unlink()
    for f in ("dataset.jsonl", "manifest.json"):
        (tmp_path / "cut" / f).unlink()
    resumed = FakeBackend(bad_first_attempts=1)
    _, _, rows, _ = run(tmp_path, name="cut", backend=resumed)
    assert [r["id"] for r in rows] == [r["id"] for r in full_rows]
    records = [json.loads(x) for x in (stages / "programs.jsonl").read_text().splitlines()]
    keys = [(x["id"], x["attempt"]) for x in records]
    assert len(keys) == len(set(keys)) == len(progs)
    aligned = [json.loads(x) for x in (stages / "instalign.jsonl").read_text().splitlines()]
    selects = sum(1 for a in aligned if "select_raw" in a)
    # only the missing work was redone: the torn + unwritten program attempts, and InstAlign
    assert resumed.calls == (len(progs) - 2) + len(aligned) + selects


def test_program_chunks_are_on_disk_before_the_next_is_asked(tmp_path, monkeypatch):
    """A run killed during a programs attempt keeps every chunk finished before it (its stage records
    are committed between sessions; the model's response cache may be gone with the machine), and the
    resumed run asks only for the rest."""
    from roboinstruct.pipeline import run as run_module

    real, chunks = run_module.GenerationRun._programs_chunk, []

    def counted(self, due, k, die_at=None):
        chunks.append((k, len(due)))
        if len(chunks) == die_at:
            raise KeyboardInterrupt("killed")
        return real(self, due, k)

    monkeypatch.setattr(run_module, "PROGRAM_CHUNK", 2)
    monkeypatch.setattr(run_module.GenerationRun, "_programs_chunk", lambda self, due, k: counted(self, due, k, 3))
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path)
    stages = tmp_path / "run" / "stages"
    records = [json.loads(x) for x in (stages / "programs.jsonl").read_text().splitlines()]
    assert len(records) == 4 and {r["attempt"] for r in records} == {0}, records
    first_due = sum(n for k, n in chunks if k == 0)
    chunks.clear()
    monkeypatch.setattr(run_module.GenerationRun, "_programs_chunk", lambda self, due, k: counted(self, due, k))
    _, _, rows, _ = run(tmp_path)
    assert rows and chunks[0] == (0, first_due - 4), chunks  # the killed attempt's rest, no more
    keys = [(x["id"], x["attempt"]) for x in map(json.loads, (stages / "programs.jsonl").read_text().splitlines())]
    assert len(keys) == len(set(keys))


def test_other_settings_into_the_same_dir_are_refused(tmp_path):
    run(tmp_path)
    with pytest.raises(UserError, match="holds another run"):
        run(tmp_path, seed=1)


def test_modes_filter_differently(tmp_path):
    results = {}
    for mode in ("self-instruct", "reject-unsolvable", "robosim", "instalign", "robo-instruct"):
        _, m, rows, _ = run(tmp_path, name=mode, mode=mode, num=8)
        results[mode] = (m, rows)
    si = results["self-instruct"][1]
    # self-instruct keeps every pair, including the unsolvable one and invalid programs
    assert any("garage" in r["original_instruction"] for r in si)
    assert any(not r["verdict"]["valid"] for r in si)
    # reject-unsolvable drops the unsolvable instruction but keeps the FIRST (invalid) charger program
    ru = results["reject-unsolvable"][1]
    assert not any("garage" in r["original_instruction"] for r in ru)
    assert any(not r["verdict"]["valid"] for r in ru if "charger" in r["original_instruction"])
    # robosim keeps only valid programs
    assert all(r["verdict"]["valid"] for r in results["robosim"][1])
    # instalign / robo-instruct revise instructions; self-instruct / robosim never do
    assert all(r["provenance"]["instalign"] is None for r in results["robosim"][1])
    assert results["robo-instruct"][0]["stats"]["instalign"]["aligned"] > 0
    assert results["instalign"][0]["stats"]["instalign"]["aligned"] > 0
    # discard curve falls as the resample budget grows
    curve = [c["discard_rate"] for c in results["robosim"][0]["stats"]["discard_curve"]]
    assert curve == sorted(curve, reverse=True) and curve[0] > curve[-1]


def test_evol_instruct_and_repair(tmp_path):
    _, m, rows, backend = run(tmp_path, method="evol-instruct", repair=True)
    assert rows
    recs = [json.loads(x) for x in (tmp_path / "run" / "stages" / "instructions.jsonl").read_text().splitlines()]
    assert all(r["operator"] in ("add-constraint", "concretize", "add-reasoning", "complexity") for r in recs)
    assert all(r["instruction"].endswith("Do it twice.") for r in recs if r["instruction"])
