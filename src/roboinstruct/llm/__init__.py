"""The LLM layer: one small interface (requests in, responses out, in order), backends by
name (`openai`, `local`), a response cache, a model registry, and prompt templates.

Only light modules are imported here; httpx and llama.cpp load when a backend is built.
"""

from .registry import backend_names, get_backend, register_backend
from .types import (
    Backend,
    ChatRequest,
    CompletionRequest,
    LLMError,
    Request,
    Response,
    Usage,
)

__all__ = [
    "Backend",
    "ChatRequest",
    "CompletionRequest",
    "LLMError",
    "Request",
    "Response",
    "Usage",
    "backend_names",
    "get_backend",
    "register_backend",
]
