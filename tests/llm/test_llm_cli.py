"""`roboinstruct models` / `roboinstruct complete` through the registered subcommands."""

import pytest
from faultserver import FaultServer

from roboinstruct.cli import main

PROGRAM = 'Sure:\n```python\ndef task_program():\n    go_to("kitchen")\n    pick("apple")\n```'


def run(argv):
    return main(argv)  # the real entry point, error boundary included


def test_models_lists_backends_and_weights(capsys):
    assert run(["models"]) == 0
    out = capsys.readouterr().out
    for word in ("openai", "local", "qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b", "smollm2-135m", ".gguf"):
        assert word in out


def test_complete_against_openai_server(capsys):
    with FaultServer(default=("text", PROGRAM)) as srv:
        code = run(["complete", "Bring me an apple", "--backend", "openai", "--base-url", srv.url, "--model", "m"])
    out = capsys.readouterr().out
    try:
        import roboinstruct.robosim.intake  # noqa: F401
    except ImportError:
        assert code == 1 and PROGRAM.splitlines()[2] in out  # raw answer shown
        return
    assert code == 0
    assert out.startswith('def task_program():\n    go_to("kitchen")')
    assert "Sure:" not in out


def test_complete_dead_server_is_one_error_line(capsys, dead_url, monkeypatch):
    from roboinstruct.llm import retry

    monkeypatch.setattr(retry.RetryPolicy, "__init__", _fast_policy_init)
    code = run(["complete", "Bring me an apple", "--backend", "openai", "--base-url", dead_url, "--model", "m"])
    err = capsys.readouterr().err.strip().splitlines()
    # one line, in the CLI's one error format (`roboinstruct COMMAND: error: ...`)
    assert code == 1 and err[-1].startswith("roboinstruct complete: error: ") and "gave up after" in err[-1]


def _fast_policy_init(self, max_tries=2, backoff_base=0.01, backoff_max=0.02, retry_after_max=1.0):
    object.__setattr__(self, "max_tries", max_tries)
    object.__setattr__(self, "backoff_base", backoff_base)
    object.__setattr__(self, "backoff_max", backoff_max)
    object.__setattr__(self, "retry_after_max", retry_after_max)


@pytest.mark.parametrize(
    "argv, msg",
    [
        (["complete", "x", "--backend", "nope"], "unknown backend 'nope'"),
        (["complete", "x", "--model", "gpt-9"], "unknown model 'gpt-9'"),
        (["complete", " ", "--backend", "openai", "--base-url", "http://127.0.0.1:9"], "instruction is empty"),
    ],
)
def test_complete_bad_input(argv, msg, capsys):
    assert run(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err == err.splitlines()[-1] and msg in err


def test_complete_local_embedded_model(small_model_path, capsys):
    code = run(["complete", "Go to the kitchen and bring me an apple", "--model", "qwen2.5-coder-0.5b", "--max-tokens", "96", "--raw"])
    out = capsys.readouterr().out
    assert "def task_program" in out
    assert code in (0, 1)


def test_task_prompt_answers_extract_code_per_sample():
    from roboinstruct.llm import get_backend
    from roboinstruct.taskprompt import extract_program, program_request

    with FaultServer(default=("text", PROGRAM)) as srv:
        with get_backend("openai", base_url=srv.url, model="m") as b:
            resps = b.generate([program_request(i, n=2, temperature=0.5, seed=1)
                                for i in ("Bring me an apple", "Fetch a pear")])
        sent = srv.requests[0]["body"]["messages"]
    out = [[extract_program(t) for t in r.texts] for r in resps]
    assert [len(s) for s in out] == [2, 2]
    assert all(s.code.startswith("def task_program():") and s.error is None for ss in out for s in ss)
    assert sent[0]["role"] == "system" and "go_to(location: str) -> None" in sent[0]["content"]
