"""The one small interface every stage uses to talk to a model.

Requests are plain frozen dataclasses so they hash, pickle and serialise into cache keys
without surprises. A backend takes a *batch* of requests and returns one `Response` per
request, in order; a failure of one request is recorded in that Response's `error` and
never raised through the batch, so one bad prompt cannot cost a 10,000-request run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence, Union, runtime_checkable

from ..errors import LLMError

Message = dict  # {"role": "system" | "user" | "assistant", "content": str}
# Called as progress(done, total) after each request of a batch finishes (cache hits too),
# so a caller can drive a progress bar without knowing how the backend schedules work.
Progress = Callable[[int, int], None]


def _check_sampling(req: "_Sampling") -> None:
    # Validate at construction so a bad batch fails before any model time is spent.
    if not 0.0 <= req.temperature <= 5.0:
        raise LLMError(f"temperature must be in [0, 5], got {req.temperature}")
    if not 0.0 < req.top_p <= 1.0:
        raise LLMError(f"top_p must be in (0, 1], got {req.top_p}")
    if req.max_tokens < 1:
        raise LLMError(f"max_tokens must be >= 1, got {req.max_tokens}")
    if req.n < 1:
        raise LLMError(f"n must be >= 1, got {req.n}")
    if isinstance(req.stop, str):
        object.__setattr__(req, "stop", (req.stop,))
    else:
        object.__setattr__(req, "stop", tuple(req.stop))
    if isinstance(req.json_schema, dict):  # kept as canonical text: hashable, and one cache key per schema
        object.__setattr__(req, "json_schema", json.dumps(req.json_schema, sort_keys=True, separators=(",", ":")))
    elif req.json_schema is not None and not isinstance(req.json_schema, str):
        raise LLMError(f"json_schema must be a JSON Schema dict, got {type(req.json_schema).__name__}")


@dataclass(frozen=True, kw_only=True)
class _Sampling:
    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 512
    stop: tuple[str, ...] = ()
    n: int = 1
    # With a seed, sample i is drawn with seed + i: reproducible and cacheable even at T>0.
    seed: int | None = None
    # Structured output: the answer must be JSON valid under this schema (sent as the
    # OpenAI-compatible `response_format`; llama.cpp turns it into a grammar, vLLM too).
    json_schema: str | dict | None = None

    def sampling(self) -> dict:
        out = {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_tokens": self.max_tokens,
            "stop": list(self.stop),
            "seed": self.seed,
        }
        if self.json_schema is not None:  # only when set: keys of plain requests stay as they were
            out["json_schema"] = self.json_schema
        return out


@dataclass(frozen=True, kw_only=True)
class ChatRequest(_Sampling):
    messages: tuple[Message, ...]

    def __post_init__(self) -> None:
        msgs = tuple(self.messages)
        if not msgs:
            raise LLMError("a chat request needs at least one message")
        for m in msgs:
            if not isinstance(m, dict) or not isinstance(m.get("content"), str) or m.get("role") not in (
                "system",
                "user",
                "assistant",
            ):
                raise LLMError(f"bad chat message {m!r}: expected {{'role': system|user|assistant, 'content': str}}")
        object.__setattr__(self, "messages", msgs)
        _check_sampling(self)

    def __hash__(self) -> int:  # dicts inside: hash the content, not the objects
        return hash((tuple(tuple(sorted(m.items())) for m in self.messages), self.temperature, self.seed))


@dataclass(frozen=True, kw_only=True)
class CompletionRequest(_Sampling):
    prompt: str

    def __post_init__(self) -> None:
        if not isinstance(self.prompt, str):
            raise LLMError(f"prompt must be a string, got {type(self.prompt).__name__}")
        _check_sampling(self)


Request = Union[ChatRequest, CompletionRequest]


@dataclass
class Usage:
    prompt_tokens: int = 0  # sent
    completion_tokens: int = 0
    cached_prompt_tokens: int = 0  # of the prompt tokens, how many the server reused from its KV cache

    def add(self, other: "Usage") -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cached_prompt_tokens += other.cached_prompt_tokens

    @property
    def evaluated_prompt_tokens(self) -> int:
        return self.prompt_tokens - self.cached_prompt_tokens

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class Response:
    """The n samples of one request. `usage` counts only tokens actually generated in this
    run (cache hits cost nothing), which is what cost-per-accepted-example reports need."""

    texts: list[str] = field(default_factory=list)
    finish_reasons: list[str | None] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0
    cached: int = 0  # how many of the samples came from the response cache
    error: str | None = None
    model: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def text(self) -> str:
        """The first sample; raises with the recorded error when the request failed."""
        if self.error is not None:
            raise LLMError(self.error)
        return self.texts[0]


@runtime_checkable
class Backend(Protocol):
    name: str
    model: str

    def generate(self, requests: Sequence[Request], progress: Progress | None = None) -> list[Response]:
        """Run a batch; results in request order; per-request errors in Response.error."""
        ...

    def close(self) -> None: ...
