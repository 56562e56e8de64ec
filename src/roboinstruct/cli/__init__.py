"""`roboinstruct` command line: one module per command, one error boundary.

Each command module exposes `register(subparsers)` and a `run(args)` handler; heavy imports
happen inside handlers, so `roboinstruct --help` stays instant. `main` is the only place that
turns an error into output: a `RoboinstructError` (bad flag, file, config, domain, endpoint)
is one `roboinstruct COMMAND: error: ...` line (argparse's own format) and its exit code; anything unexpected is one line too, with the
traceback only under `--debug` (or ROBOINSTRUCT_DEBUG=1).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# command modules, in the order `--help` lists them
COMMANDS = ("generate", "report", "audit", "verify", "domains", "evaluate", "models", "complete", "finetune", "score",
            "compare", "tabletop")


class Parser(argparse.ArgumentParser):
    """argparse, but a bad flag is one line (usage is one `--help` away), exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> Parser:
    parser = Parser(prog="roboinstruct",
                    description="Verified instruction->program datasets for robot APIs (Robo-Instruct): "
                                "generate, verify, evaluate, fine-tune, score.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    _add_sandbox_flags(sub)
    return parser


def _add_sandbox_flags(sub: argparse._SubParsersAction) -> None:
    """The sandbox settings (settings.SandboxSettings) on every command, nested ones included."""
    from ..settings import SandboxSettings
    from .options import add_settings_flags

    for p in sub.choices.values():
        nested = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            for n in nested:
                _add_sandbox_flags(n)
        elif "require_isolation" not in {a.dest for a in p._actions}:
            add_settings_flags(p, SandboxSettings)


def main(argv: list[str] | None = None) -> int:
    from ..errors import RoboinstructError

    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # report it as the command's own error, like every other bad flag of that command
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
        (commands.get(getattr(args, "command", None)) or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    debug = args.debug or os.environ.get("ROBOINSTRUCT_DEBUG") == "1"
    from ..errors import IsolationRefused
    from ..sandbox import isolation

    before = isolation.settings()
    isolation.configure(error=IsolationRefused, require=True if getattr(args, "require_isolation", None) else None)
    if getattr(sys.stdout, "errors", None) in ("strict", "surrogateescape") and hasattr(sys.stdout, "reconfigure"):
        # a candidate's text (a verdict's message) may hold a lone surrogate: printed as its escape, not a crash
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        return int(args.func(args) or 0)
    except RoboinstructError as e:
        if debug:
            raise
        print(f"roboinstruct {args.command}: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("interrupted; finished results are saved", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - the boundary: a bug is one line unless --debug
        if debug:
            raise
        print(f"roboinstruct {args.command}: error: unexpected {type(e).__name__}: {e} "
              f"(a bug; rerun with --debug for the traceback)", file=sys.stderr)
        return 1
    finally:
        isolation.configure(**before)  # a command's settings end with it (main may be called in-process)


if __name__ == "__main__":
    sys.exit(main())
