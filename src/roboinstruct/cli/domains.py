"""`roboinstruct domains [NAME|FILE]`: the built-in robot APIs, or one API as prompts show it."""

from __future__ import annotations


def register(sub) -> None:
    d = sub.add_parser("domains", help="list built-in robot domains, or show one's API")
    d.add_argument("name", nargs="?", help="a domain name or YAML path to show")
    d.set_defaults(func=run)


def run(args) -> int:
    from ..domain import builtin_domains, load_domain

    if not args.name:
        for name in builtin_domains():
            print(f"{name}: {load_domain(name).description}")
        return 0
    dom = load_domain(args.name)
    print(f"# {dom.name} ({dom.source})\n# {dom.description}\n")
    print(dom.api_prompt())
    return 0
