"""Defects fixed in the restructuring, through a real run (scripted model, real RoboSim,
real files): typed Parquet columns, every dropped instruction with its reason, and the
program extracted once (what is verified is what is stored)."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
from fake_model import FakeBackend

from roboinstruct.pipeline.config import GenerateConfig
from roboinstruct.pipeline.run import GenerationRun
from roboinstruct.pipeline.stats import SURPLUS
from roboinstruct.robosim import verify_many


def _run(tmp_path, verifier=None, **kw):
    cfg = GenerateConfig(origin="instructions", num=kw.pop("num", 5), out=str(tmp_path / "run"), batch=4, max_rounds=6, workers=2,
                         decontaminate=[], paths=200, **kw).validate()
    r = GenerationRun(cfg, backend_factory=lambda c: FakeBackend(), verifier=verifier)
    try:
        manifest = r.run()
    finally:
        r.close()
    rows = [json.loads(line) for line in (tmp_path / "run" / "dataset.jsonl").read_text().splitlines()]
    return r, manifest, rows


def test_parquet_holds_the_same_typed_nested_columns_as_jsonl(tmp_path):
    _, _, rows = _run(tmp_path)
    table = pq.read_table(tmp_path / "run" / "dataset.parquet")
    assert pa.types.is_struct(table.schema.field("verdict").type)
    assert pa.types.is_struct(table.schema.field("provenance").type)
    assert table.schema.field("verdict").type.field("paths").type == pa.int64()
    # row for row, the Parquet file is the JSONL file
    assert table.to_pylist() == rows
    # and a Parquet user filters on a nested field without parsing JSON
    import pyarrow.compute as pc

    valid = table.filter(pc.struct_field(table["verdict"], "valid"))
    assert valid.num_rows == len(rows)
    card = (tmp_path / "run" / "README.md").read_text()
    assert "same typed columns" in card
    # and says what blind readers kept of data made with its settings, or that nobody measured it
    assert "## What careful readers keep" in card


def test_every_dropped_instruction_has_its_reason(tmp_path):
    _, manifest, _ = _run(tmp_path, num=2)
    dropped = manifest["stats"]["instructions_dropped"]
    assert "kept" not in dropped and None not in dropped
    assert dropped.get(SURPLUS, 0) >= 1  # unique instructions beyond --num are surplus, said so
    records = [json.loads(x) for x in (tmp_path / "run" / "stages" / "instructions.jsonl").read_text().splitlines()]
    assert all(r["reason"] for r in records)
    assert sum(not r["kept"] for r in records) == sum(dropped.values())


def test_program_is_extracted_once_and_stored_as_verified(tmp_path):
    seen: list[str] = []

    def verifier(programs):
        seen.extend(programs)
        return verify_many(programs, seed=0, paths=200, workers=1, extracted=True)

    r, _, rows = _run(tmp_path, verifier=verifier)
    stored = [a["program"] for a in r.attempts if a["program"] is not None]
    assert seen == stored  # byte for byte: no second extraction between verifier and record
    assert not any("```" in p or "Sure" in p for p in seen)  # the verifier got code, not model prose
    assert {row["program"].rstrip("\n") for row in rows} <= {p.rstrip("\n") for p in stored}
