"""`roboinstruct` command line: one subcommand per verb, each in its own module.

Subcommand modules expose `register(subparsers)`; heavy imports happen inside the
handlers, so `roboinstruct --help` stays instant. Bad input ends in one clear line
on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import UserError

# module -> provides register(subparsers); optional ones may be absent in a light install
_COMMAND_MODULES = ("roboinstruct.generate_cli", "roboinstruct.verify_cli", "roboinstruct.llm.cli",
                    "roboinstruct.benchmark.cli", "roboinstruct.finetune.cli", "roboinstruct.score.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roboinstruct",
        description="Verified instruction->program datasets for robot APIs (Robo-Instruct): "
                    "generate, verify, evaluate, fine-tune, score.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name and name.startswith(e.name):  # the command module itself is not there
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from .domain import DomainError

    try:
        return int(args.func(args) or 0)
    except (UserError, DomainError) as e:
        print(f"roboinstruct {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; finished results are saved", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
