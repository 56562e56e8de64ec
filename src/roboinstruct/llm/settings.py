"""Which model backend a command talks to: the settings every LLM-using command shares.

Declared once here; `roboinstruct.cli.options` turns them into the `model backend` flags of
`generate`, `complete` and any later command, and `build_backend` makes the backend.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UserError
from ..settings import option

_GROUP = "model backend"


@dataclass
class BackendSettings:
    backend: str = option("local", "local (embedded llama.cpp) or openai (any OpenAI-compatible server)", group=_GROUP)
    model: str | None = option(None, "local: a model name from `roboinstruct models` or a .gguf path; "
                                     "openai: the served model name", group=_GROUP)
    base_url: str | None = option(None, "openai: server URL, e.g. http://127.0.0.1:8000/v1 (env OPENAI_BASE_URL)",
                                  group=_GROUP)
    concurrency: int | None = option(None, "openai: max requests in flight (default 16)", group=_GROUP,
                                     fingerprinted=False)
    timeout: float | None = option(None, "seconds per model request", group=_GROUP, fingerprinted=False)
    no_cache: bool = option(False, "bypass the response cache", group=_GROUP, fingerprinted=False)
    # ggml splits each matrix product by rows across threads: the count changes speed, not text.
    threads: int | None = option(None, "local: llama.cpp threads, like its -t (default: the cores idle when the "
                                       "model starts; never more, so a busy machine slows down instead of stalling)",
                                 group=_GROUP, fingerprinted=False)
    # Slots change how requests share the machine, not what is asked: re-runs hit the response cache.
    slots: int | None = option(None, "local: llama.cpp server slots (requests decoded together; default: 1 on a "
                                     "machine with 2 cores or fewer, where batching does not pay, else 2)",
                               group=_GROUP, fingerprinted=False)

    def check_backend(self) -> None:
        from .registry import backend_names

        if self.backend not in backend_names():
            raise UserError(f"unknown backend {self.backend!r}: use one of {', '.join(backend_names())}")
        if self.backend != "openai" and (self.base_url or self.concurrency):
            raise UserError("--base-url and --concurrency apply to --backend openai only")
        if self.backend != "local" and (self.threads or self.slots):
            raise UserError("--threads and --slots apply to --backend local only")
        for name in ("concurrency", "timeout", "threads", "slots"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise UserError(f"--{name} must be positive, got {value}")

    def backend_options(self) -> dict:
        """Constructor options for `get_backend(self.backend, **options)`."""
        opts = {"model": self.model, "timeout": self.timeout, "no_cache": self.no_cache or None}
        if self.backend == "openai":
            opts.update(base_url=self.base_url, concurrency=self.concurrency)
        if self.backend == "local":
            opts.update(n_threads=self.threads, n_parallel=self.slots)
        return {k: v for k, v in opts.items() if v is not None}


def build_backend(settings: BackendSettings, model_progress=None):
    """The backend the settings name (`model_progress` shows GGUF assembly for `local`)."""
    from .registry import get_backend

    settings.check_backend()
    opts = settings.backend_options()
    if settings.backend == "local" and model_progress is not None:
        opts["model_progress"] = model_progress
    return get_backend(settings.backend, **opts)


class OwnsBackend:
    """The backend lifecycle every run shares (generation, GenSim's loop): built from the run's
    settings by `self._factory(self.cfg)` on first use — a run with nothing left to ask never starts
    a model — and closed with the run (`close_backend`)."""

    _backend = None

    @property
    def backend(self):
        if self._backend is None:
            self._backend = self._factory(self.cfg)
        return self._backend

    def close_backend(self) -> None:
        if self._backend is not None and hasattr(self._backend, "close"):
            self._backend.close()
