"""RoboSim: verification of robot programs without a hand-made world (the program domain).

Angelic execution over an open, three-valued world that grows as the program asks about
it; every choice point explored (depth-first, then seeded random); a rejection carries its
counterexample. Modules, in the order a program meets them: `intake` (find the program in
model text) → `rooms` (static facts) → `explore` (paths) → `api` (the domain's functions as
callables over a `world`, choices from `choices`) → `verdict`. `verifier` runs it all in
sandbox workers.

    from roboinstruct.robosim import verify, verify_many, Verdict
"""

from .intake import Extraction, extract_program
from .verdict import ERROR_KINDS, Verdict
from .verifier import extraction_verdict, verify, verify_in_process, verify_many

__all__ = ["ERROR_KINDS", "Extraction", "Verdict", "extract_program", "extraction_verdict", "verify",
           "verify_in_process", "verify_many"]
