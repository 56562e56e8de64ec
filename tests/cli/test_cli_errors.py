"""One error boundary: every user-facing error of every command is one line on stderr and a
non-zero exit, with no traceback unless --debug — through the real `roboinstruct` entry point
(a subprocess, as a user runs it)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def roboinstruct(*argv: str, cwd=None, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "ROBOINSTRUCT_SKIP_MODEL_TESTS": "1", **(env_extra or {})}
    env.pop("ROBOINSTRUCT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "roboinstruct", *argv], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=120)


def _cases(tmp):
    bad_yaml = tmp / "bad.yaml"
    bad_yaml.write_text("num: [unclosed\n")
    unknown = tmp / "unknown.yaml"
    unknown.write_text("nmu: 3\n")
    wrong_type = tmp / "wrong_type.yaml"
    wrong_type.write_text("num: many\n")
    bad_domain = tmp / "dom.yaml"
    bad_domain.write_text("name: x\nfunctions: 3\n")
    not_json = tmp / "in.jsonl"
    not_json.write_text("not json\n")
    return {
        "unknown backend": (["generate", "--backend", "nosuch", "--out", str(tmp / "r1")], "unknown backend 'nosuch'"),
        "flag type": (["generate", "--num", "abc"], "invalid int value"),
        "unknown flag": (["generate", "--nmu", "3"], "unrecognized arguments"),
        "missing config": (["generate", "--config", str(tmp / "absent.yaml")], "cannot read config"),
        "bad YAML": (["generate", "--config", str(bad_yaml)], "invalid YAML"),
        "unknown setting": (["generate", "--config", str(unknown)], "unknown setting(s) nmu"),
        "wrong type": (["generate", "--config", str(wrong_type)], "must be int"),
        "bad domain": (["verify", "--domain", str(bad_domain), "--examples"], str(bad_domain)),
        "unknown domain": (["generate", "--domain", "nosuch_robot", "--out", str(tmp / "r2")], "nosuch_robot"),
        "bad endpoint": (["complete", "x", "--backend", "openai", "--base-url", "ftp://host"], "bad base URL"),
        "local-only flag": (["complete", "x", "--base-url", "http://h:1"], "apply to --backend openai only"),
        "bad model spec": (["score", "--model", "nope", "--out", str(tmp / "s")], "KIND:TARGET"),
        "bad jsonl": (["verify", "--jsonl", str(not_json), "--out", str(tmp / "o.jsonl")], "not valid JSON"),
        "missing data": (["finetune", "--data", str(tmp / "absent"), "--out", str(tmp / "a")], "absent"),
        "missing roboeval": (["evaluate", "--tasks", f"roboeval:{tmp / 'none'}", "--programs", str(not_json),
                              "--out", str(tmp / "e.jsonl")], "no such directory"),
        "report of a non-run": (["report", str(tmp)], "no manifest.json"),
    }


@pytest.mark.parametrize("case", [
    "unknown backend", "flag type", "unknown flag", "missing config", "bad YAML", "unknown setting", "wrong type",
    "bad domain", "unknown domain", "bad endpoint", "local-only flag", "bad model spec", "bad jsonl",
    "missing data", "missing roboeval", "report of a non-run"])
def test_every_bad_input_is_one_line(case, tmp_path):
    argv, needle = _cases(tmp_path)[case]
    p = roboinstruct(*argv, cwd=tmp_path)
    err = p.stderr.strip()
    assert p.returncode != 0, (case, p.stdout, err)
    assert "Traceback" not in err, err
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"roboinstruct {argv[0]}: error: ") and needle in err, err


def test_unknown_backend_fails_before_claiming_a_run_directory(tmp_path):
    p = roboinstruct("generate", "--backend", "nosuch", "--out", str(tmp_path / "run"))
    assert p.returncode == 2 and not (tmp_path / "run").exists()


def test_debug_shows_the_traceback(tmp_path):
    p = roboinstruct("--debug", "generate", "--backend", "nosuch", "--out", str(tmp_path / "run"))
    assert p.returncode != 0 and "Traceback" in p.stderr and "unknown backend 'nosuch'" in p.stderr
