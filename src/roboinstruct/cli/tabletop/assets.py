"""`roboinstruct tabletop assets`: the asset catalogue."""

from __future__ import annotations


def register(verbs) -> None:
    a = verbs.add_parser("assets", help="the asset catalogue")
    a.set_defaults(func=run)


def run(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from ...tabletop.catalogue.assets import catalogue

    table = Table(title="Tabletop asset catalogue")
    for col in ("name", "shape", "size (m)", "template", "pickable", "what"):
        table.add_column(col)
    for a in catalogue().values():
        table.add_row(a.name, a.shape, " x ".join(f"{v:g}" for v in a.size) if a.shape != "unsupported" else "",
                      ", ".join(a.template), "yes" if a.pickable else "", a.describe or a.reason)
    Console().print(table)
    return 0
