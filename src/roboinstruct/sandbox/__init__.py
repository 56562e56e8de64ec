"""The untrusted-code layer every domain uses.

- `policy`: the static check — an AST allow-list shaped by a per-domain `Policy` (API names,
  entry function), a rewrite that meters steps, compilation cached by source hash.
- `execution`: one run of a checked program against a `Host` (the API callables a simulator
  lends it), with restricted builtins, shims and a deterministic step budget.
- `workers` / `worker` / `child` / `protocol`: the parent's pool of zygotes, each forking one fresh
  OS-limited child per job ("package.module:function"); JSON frames, a per-job nonce, replies
  checked by the parent, so a hostile program costs its own verdict and nothing else.
- `isolation`: the OS layer behind it (bubblewrap namespaces, uid nobody, an empty /tmp,
  no-new-privs, seccomp), or one warning line — or a refusal under `require_isolation`.

Nothing here knows a robot: domains (robosim, the benchmark, tabletop) bring their policy,
their host and their job function.
"""

from .execution import (
           Budget,
           Host,
           RobotError,
           StepBudgetExceeded,
           api_callable,
           base_env,
           bind_arguments,
           classify,
           run_once,
)
from .policy import (
           CheckedProgram,
           Meter,
           Policy,
           ProgramCache,
           ProgramRejected,
           SandboxViolation,
           check_program,
)


def __getattr__(name: str):
    # The pool is the parent's: imported on first use, so a zygote (which imports this package) never
    # imports subprocess and with it `threading`, whose after-fork hook each candidate's child would run.
    if name == "WorkerPool":
        from .workers import WorkerPool

        return WorkerPool
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Budget", "CheckedProgram", "Host", "Meter", "Policy", "ProgramCache", "ProgramRejected", "RobotError",
           "SandboxViolation", "StepBudgetExceeded", "WorkerPool", "api_callable", "base_env", "bind_arguments", "check_program",
           "classify", "run_once"]
