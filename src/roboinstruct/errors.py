"""Errors that reach the user as one line: what was wrong, where, and how to fix it.

Every user-facing error derives from `RoboinstructError`, so the CLI has one boundary
(`roboinstruct.cli.main`) that prints it and exits non-zero — no traceback unless `--debug`.
Layers raise the subclass that names their concern; none of them prints.
"""


class RoboinstructError(Exception):
    """Base of every error a user can cause and fix (bad flag, file, config, domain, endpoint)."""

    exit_code = 2  # bad input; a command that ran and failed uses RunFailed (1)


class UserError(RoboinstructError):
    """Bad input from the user: a flag, a file, a config value, a run directory."""


class DomainError(RoboinstructError, ValueError):
    """A domain file is malformed; the message says where and how to fix it."""


class LLMError(RoboinstructError, RuntimeError):
    """A model backend is misconfigured or unreachable (backend name, model, endpoint)."""


class MissingDependency(UserError):
    """An optional package is not installed; the message names the pip command that fixes it."""


class RunFailed(RoboinstructError):
    """The input was fine but the work failed (e.g. every model request failed)."""

    exit_code = 1


class IsolationRefused(RoboinstructError):
    """--require-isolation was given and this machine cannot isolate sandbox workers; the message
    says what is missing (bubblewrap, user namespaces, libseccomp)."""
