"""`from roboinstruct.verify import verify, verify_many` — the documented entry point, kept
stable; the verifier itself lives in the `roboinstruct.robosim` package."""

from .robosim import Verdict, verify, verify_many

__all__ = ["Verdict", "verify", "verify_many"]
