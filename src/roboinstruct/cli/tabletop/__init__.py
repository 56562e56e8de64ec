"""`roboinstruct tabletop VERB`: GenSim-style tabletop tasks. One module per verb (`register(verbs)`
+ `run(args)`), the shared helpers in `common`; each verb's settings are a dataclass in the tabletop
domain (`settings.option`), its flags generated from it (`cli.options`)."""

from __future__ import annotations

import importlib

# verb modules, in the order `roboinstruct tabletop --help` lists them
VERBS = ("validate", "tasks", "assets", "render", "generate", "dataset", "demos", "train", "eval")
MODULES = {"eval": "evaluate"}  # a verb whose module is named otherwise


def register(sub) -> None:
    p = sub.add_parser("tabletop", help="GenSim-style tabletop tasks: generate, validate, tasks, assets, render, "
                                        "dataset, demos, train, eval",
                       description="Tabletop manipulation tasks (GenSim's Task API) validated in PyBullet.")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    for name in VERBS:
        importlib.import_module(f"{__name__}.{MODULES.get(name, name)}").register(verbs)
    p.set_defaults(func=lambda args: p.print_help() or 2)
