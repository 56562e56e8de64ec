"""A generation run's settings: YAML file + CLI overrides, validated, fingerprinted.

The fingerprint covers exactly the settings that change what the run produces (model,
prompts' inputs, sampling, verification, mode); it names the run directory, and a
directory that holds a run with another fingerprint is never reused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..artifacts import fingerprint
from ..errors import DomainError, UserError
from ..llm.settings import BackendSettings
from ..settings import fingerprinted, load_settings, option
from ..quality import CHECKS
from .instalign import FORMATS

MODES = ("self-instruct", "reject-unsolvable", "robosim", "instalign", "robo-instruct")
METHODS = ("self-instruct", "evol-instruct")
ORIGINS = ("auto", "instructions", "programs", "plans")
_RUNTIME = {"fingerprinted": False}


@dataclass
class GenerateConfig(BackendSettings):
    # Settings with help text are CLI flags (cli.options); fingerprinted=False marks settings
    # that change how fast or where a run goes, not what it produces.
    num: int = option(20, "instruction->program pairs to aim for (instructions kept after dedup)")
    mode: str = option("robo-instruct", "pipeline ablation", choices=MODES)
    method: str = option("self-instruct", "instruction generation", choices=METHODS)
    seed: int = option(0, "seed of every sampled request and of RoboSim's random phase")
    domain: str = option("service_robot", "built-in domain or a domain YAML")
    seeds_file: str | None = option(None, "YAML of seed tasks (instruction + program); default: the domain's own")
    shots: int = option(3)                      # seed/generated examples per instruction prompt
    machine_shots: int = option(1)              # of which machine-written, once enough exist
    batch: int = option(8, "new instructions per round")
    instructions_per_request: int = option(4, "self-instruct: new instructions asked for in one request (a JSON "
                                              "list); 1 = one per request, as in the paper's code", legacy=1)
    max_rounds: int | None = option(None)       # default: enough rounds for num at a 25% keep rate
    instruction_temperature: float = option(1.0)
    program_temperature: float = option(0.7)
    instalign_temperature: float = option(0.3)
    max_resamples: int = option(3, "RoboSim resamples per instruction")
    repair: bool = option(False, "show the counterexample when resampling")
    dedup_threshold: float = option(0.6)
    decontaminate: list[str] = option(factory=lambda: ["builtin"], help="benchmark whose prompts new instructions "
                                      "must not resemble: builtin, roboeval:PATH or a task directory; repeat for several")
    paths: int = option(1000, "RoboSim path budget per program")
    # strict: this project's meaning checks on top of the paper's RoboSim (roboinstruct.quality): instruction
    # gates, RoboSim's strict semantics and static rules, for originals and InstAlign revisions alike.
    # reference: the paper's pipeline exactly. Runs made before the option existed were reference runs.
    top_up: bool = option(True, "do not replace instructions that end without a pair (by default new ones are "
                                "asked for, so --num N gives N pairs while the round budget max_rounds lasts)",
                          flag="--no-top-up", legacy=False)
    agreement: int = option(1, "programs per instruction compared by behaviour in shared worlds; the majority's "
                                "program is kept, no majority drops the instruction (1 = off)", legacy=1)
    origin: str = option("auto", "where a pair starts: plans (a request shape of the domain filled with names "
                                  "by the model; its program must make the shape's calls where the shape says; no "
                                  "InstAlign), instructions (the paper: an instruction, then programs sampled for "
                                  "it), programs (back-translation: a verified program, then the instruction it "
                                  "carries out; no InstAlign); auto: plans under --check strict with --mode robosim "
                                  "or robo-instruct when the domain declares shapes, else instructions",
                         choices=ORIGINS, legacy="instructions")
    check: str = option("strict", "strict (meaning checks on top of RoboSim) or reference (the paper's RoboSim "
                                  "only)", choices=CHECKS, legacy="reference")
    max_tokens_instruction: int = option(96)
    max_tokens_program: int = option(512)
    max_tokens_instalign: int = option(512)     # the revision's chain of thought
    max_tokens_select: int = option(256)        # the original-vs-revised decision
    instalign_format: str = option("json", "InstAlign answers: json (structured output, short) or text (the "
                                           "paper's free chain of thought)", choices=FORMATS, legacy="text")
    # Prompt templates of the JSON answers: 1 = as first shipped; 2 = shots listed as tasks not to repeat,
    # InstAlign's answer format before the pair, a one-sentence account, a short replay in the selection,
    # and rounds that ask only for what is missing (instructions.py, instalign.py, run.py).
    # In the fingerprint, so a run directory never mixes the two.
    # 3 = 2 + the instruction prompt says what the robot can and cannot do (the domain's quality words).
    prompts: int = option(3, legacy=1)
    out: str | None = option(None, "run directory (default runs/<fingerprint>)", fingerprinted=False)
    workers: int | None = option(None, "sandbox worker processes for verification (default: cores)",
                                 fingerprinted=False)
    executor: str = option("local", "where verification runs", choices=("local", "ray"), fingerprinted=False)
    progress: str = option("auto", "bars on a terminal, plain log lines elsewhere (auto), or bars, lines, none",
                           choices=("auto", "bars", "lines", "none"), fingerprinted=False)

    def validate(self) -> "GenerateConfig":
        if self.mode not in MODES:
            raise UserError(f"--mode {self.mode!r} is not one of {', '.join(MODES)}")
        if self.method not in METHODS:
            raise UserError(f"--method {self.method!r} is not one of {', '.join(METHODS)}")
        if self.num < 1:
            raise UserError("--num must be at least 1")
        if self.max_resamples < 0:
            raise UserError("--max-resamples must be 0 or more")
        if not 0 < self.dedup_threshold <= 1:
            raise UserError("dedup_threshold must be in (0, 1]")
        if self.agreement < 1:
            raise UserError("--agreement must be at least 1 (1 = off)")
        if self.origin not in ORIGINS:
            raise UserError(f"--origin {self.origin!r} is not one of {', '.join(ORIGINS)}")
        if self.origin == "auto":  # resolved here, so the fingerprint and config.json name what ran
            self.auto_origin, self.origin = True, self._auto_origin()
        if self.origin == "programs" and (self.agreement > 1 or self.mode not in ("robosim", "robo-instruct")):
            raise UserError("--origin programs keeps one verified program per instruction: use it with --mode "
                            "robosim or robo-instruct and without --agreement")
        if self.origin == "plans" and (self.check != "strict" or self.mode not in ("robosim", "robo-instruct")):
            raise UserError("--origin plans checks each program against its plan: use it with --check strict and "
                            "--mode robosim or robo-instruct")
        if self.origin == "plans":
            from ..domain import load_domain
            from ..quality.plans import domain_plans

            if domain_plans(load_domain(self.domain)) is None:
                raise UserError(f"--origin plans: domain {self.domain!r} declares no request shapes; add a "
                                "'plans:' section to its YAML (see domains/service_robot.yaml)")
        if self.check not in CHECKS:
            raise UserError(f"--check {self.check!r} is not one of {', '.join(CHECKS)}")
        if self.instalign_format not in FORMATS:
            raise UserError(f"--instalign-format {self.instalign_format!r} is not one of {', '.join(FORMATS)}")
        if self.executor not in ("local", "ray"):
            raise UserError(f"--executor {self.executor!r} is not one of local, ray")
        if self.instructions_per_request < 1:
            raise UserError("--instructions-per-request must be at least 1")
        if self.prompts not in (1, 2, 3):
            raise UserError(f"prompts must be 1, 2 or 3 (the prompt template version), got {self.prompts!r}")
        if self.shots < 1 or self.batch < 1:
            raise UserError("shots and batch must be at least 1")
        if self.workers is not None and self.workers < 1:
            raise UserError("--workers must be at least 1")
        self.check_backend()
        return self

    def _auto_origin(self) -> str:
        """plans where they apply (measured on blind labels: experiments/results/pair-quality), else the paper's
        instructions: the reference check, the modes without RoboSim and domains without shapes keep it."""
        if self.check != "strict" or self.mode not in ("robosim", "robo-instruct"):
            return "instructions"
        from ..domain import load_domain
        from ..quality.plans import domain_plans

        try:
            return "plans" if domain_plans(load_domain(self.domain)) is not None else "instructions"
        except (UserError, DomainError):
            return "instructions"  # an unreadable domain: its own error comes where it is loaded

    @property
    def rounds(self) -> int:
        return self.max_rounds or max(4, (self.num * 4 + self.batch - 1) // self.batch)

    def fingerprinted(self) -> dict:
        if self.origin == "auto":  # not validated yet: name the run by what auto resolves to
            from dataclasses import replace

            return replace(self, origin=self._auto_origin()).fingerprinted()
        out = fingerprinted(self)
        if self.prompts >= 2:  # from template 2 on, the templates' text names the run too: an edit starts a new run
            out["prompt_text"] = prompt_text_hash(self.prompts)
        if self.origin == "programs":  # its own templates (prompts/program_first/) name the run too
            out["program_first_text"] = program_first_text_hash()
        if self.origin == "plans":  # its template and the domain's shapes name the run too
            out["plans_text"] = plans_text_hash(self.domain)
        if self.prompts >= 3:  # and the seeds' text (they are in every prompt; the built-in ones were rewritten)
            out["seeds_text"] = seeds_text_hash(self.seeds_file, self.domain)
        return out

    def fingerprint(self) -> str:
        return fingerprint(self.fingerprinted())


# The templates version 2 shipped with: its runs hash exactly these, so templates added for later
# versions leave their fingerprints (and run directories) as they were.
TEMPLATES_V2 = ("evol.j2", "instalign_revise.j2", "instalign_revise_json.j2", "instalign_revise_json_v2.j2",
                "instalign_select.j2", "instalign_select_followup.j2", "instalign_select_json.j2",
                "instruction_ask.j2", "instruction_ask_many.j2", "instruction_ask_many_v2.j2",
                "instruction_system.j2", "repair.j2")


def prompt_text_hash(version: int = 2) -> str:
    """sha256 (12 hex) of the prompt templates a version renders, by file name (version 3 on: all)."""
    folder = Path(__file__).parent / "prompts"
    digest = hashlib.sha256()
    paths = [folder / n for n in TEMPLATES_V2] if version == 2 else sorted(folder.glob("*.j2"))
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def program_first_text_hash() -> str:
    """sha256 (12 hex) of back-translation's own templates (prompts/program_first/, `--origin programs`).
    Here, beside the other template hashes, so the config needs no import of the stage (no cycle)."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "prompts" / "program_first").glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def plans_text_hash(domain: str) -> str:
    """sha256 (12 hex) of plan-first's template (prompts/plans/) and the domain's `plans:` section."""
    import json

    from ..domain import load_domain

    digest = hashlib.sha256(json.dumps(load_domain(domain).raw.get("plans"), sort_keys=True).encode())
    for path in sorted((Path(__file__).parent / "prompts" / "plans").glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def seeds_text_hash(seeds_file: str | None, domain: str) -> str:
    from ..domain import load_domain
    from ..seedtasks import load_seeds

    seeds = load_seeds(seeds_file, load_domain(domain).name)
    return hashlib.sha256(repr([(s.instruction, s.program) for s in seeds]).encode()).hexdigest()[:12]


def load_config(path: str | None, overrides: dict) -> GenerateConfig:
    """defaults < YAML file (optional) < CLI overrides (None means 'not given')."""
    return load_settings(GenerateConfig, path, overrides)
