"""A real 1-step LoRA fine-tune of the 0.5B model: finite loss, card, manifest, a usable adapter."""

from __future__ import annotations

import json
import math

import pytest
from ft_helpers import RUN_FINGERPRINT

from roboinstruct.cli import main
from roboinstruct.errors import UserError
from roboinstruct.finetune.settings import FinetuneSettings, adapter_fingerprint


def test_one_step_trains_with_finite_loss(trained):
    _, adapter, manifest, seconds = trained
    t = manifest["train"]
    assert t["steps"] == 1 and t["loss_curve"] and all(math.isfinite(c["loss"]) for c in t["loss_curve"])
    assert 0 < t["train_loss"] < 20
    assert t["trainable_params"] > 1_000_000  # LoRA r=16 on all 7 projections of the 0.5B
    assert (adapter / "adapter_model.safetensors").is_file() and (adapter / "adapter_config.json").is_file()
    assert not (adapter / "checkpoints").exists()
    print(f"1-step fine-tune incl. model load: {seconds:.0f}s ({t['seconds_per_step']} s/step)")


def test_the_step_moved_the_adapter(trained):
    """LoRA B starts at zero; after one step with lr > 0 it is not."""
    from safetensors.torch import load_file

    weights = load_file(str(trained[1] / "adapter_model.safetensors"))
    b = [v for k, v in weights.items() if "lora_B" in k]
    assert b and any(float(v.abs().sum()) > 0 for v in b)


def test_card_and_manifest(trained):
    run, adapter, manifest, _ = trained
    on_disk = json.loads((adapter / "manifest.json").read_text())
    assert on_disk == manifest
    assert manifest["kind"] == "roboinstruct.adapter"
    assert manifest["dataset"]["fingerprint"] == RUN_FINGERPRINT
    assert manifest["dataset"]["sha256"] == json.loads((run / "manifest.json").read_text())["files"]["dataset.jsonl"]
    assert manifest["base"]["identity"].startswith("gguf-sha256:")
    s = manifest["settings"]
    assert (s["lr"], s["schedule"], s["optimizer"], s["max_steps"]) == (1e-4, "constant_with_warmup", "adamw_torch", 1)
    assert set(manifest["files"]) >= {"adapter_model.safetensors", "adapter_config.json"}
    card = (adapter / "README.md").read_text()
    for needle in ("qwen2.5-coder-0.5b", RUN_FINGERPRINT, manifest["fingerprint"], "| lr | 0.0001 |",
                   "effective batch 8, 5 epochs", "loss_curve.svg", "| step | loss |"):
        assert needle in card
    assert "<polyline" in (adapter / "loss_curve.svg").read_text()
    assert manifest["fingerprint"] == adapter_fingerprint(FinetuneSettings(**{
        k: (tuple(v) if k == "lora_targets" else v) for k, v in s.items() if k != "effective_batch"}),
        manifest["dataset"]["sha256"], manifest["base"]["identity"])


def test_same_out_is_reused_and_other_settings_refused(trained):
    from roboinstruct.finetune.train import finetune

    run, adapter, manifest, _ = trained
    again = finetune(str(run), "qwen2.5-coder-0.5b", adapter,
                     FinetuneSettings(max_steps=1, batch_size=2, grad_accum=1, max_len=448, lr=1e-4, warmup_ratio=0.0),
                     log=lambda m: None)
    assert again["fingerprint"] == manifest["fingerprint"]  # found, not retrained
    with pytest.raises(UserError, match="holds adapter"):
        finetune(str(run), "qwen2.5-coder-0.5b", adapter, FinetuneSettings(max_steps=2), log=lambda m: None)


def test_settings_validation_and_defaults():
    s = FinetuneSettings()
    assert (s.lr, s.warmup_ratio, s.schedule, s.effective_batch, s.epochs) == (3e-5, 0.03, "constant_with_warmup", 8, 5)
    with pytest.raises(UserError, match="--lr"):
        FinetuneSettings(lr=0).validate()
    with pytest.raises(UserError, match="--max-steps"):
        FinetuneSettings(max_steps=0).validate()


@pytest.mark.parametrize("argv, message", [
    (["finetune", "--data", "/nonexistent/run", "--out", "x"], "no such file or directory"),
    (["finetune", "--data", ".", "--out", "x", "--base", "no-such-model"], "--base"),
])
def test_cli_errors_are_one_line(tmp_path, capsys, monkeypatch, argv, message):
    from ft_helpers import write_run

    pytest.importorskip("trl", reason="without the finetune extra the command stops at its install hint")
    monkeypatch.chdir(tmp_path)
    write_run(tmp_path)  # "." is a valid run for the --base case
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_cli_merge_folds_the_adapter_into_the_base(trained, tmp_path, capsys):
    """`finetune --merge` on an adapter that is already trained: no retraining, and
    merged/ holds base + scale * B @ A for every adapted weight."""
    import shutil

    from safetensors.torch import load_file, save_file

    from roboinstruct.finetune.base import resolve_base
    from roboinstruct.score.models import parse_model

    run, adapter, manifest, _ = trained
    copy = tmp_path / "adapter"
    shutil.copytree(adapter, copy)  # the session's adapter stays untouched for other tests
    # One step leaves B ~1e-4, below bf16 resolution of the merged weights: scale B up so the
    # fold is visible (the manifest is unchanged, so the adapter still counts as trained).
    weights = load_file(str(copy / "adapter_model.safetensors"))
    save_file({k: v * 1000 if "lora_B" in k else v for k, v in weights.items()},
              str(copy / "adapter_model.safetensors"))
    argv = ["finetune", "--data", str(run), "--out", str(copy), "--max-steps", "1", "--batch-size", "2",
            "--grad-accum", "1", "--max-len", "448", "--lr", "1e-4", "--warmup-ratio", "0"]
    assert main(argv + ["--merge"]) == 0
    assert manifest["fingerprint"] in capsys.readouterr().out  # found the trained adapter, did not retrain
    merged = copy / "merged"
    assert json.loads((copy / "manifest.json").read_text())["merged"]["path"] == "merged"

    def tensors(folder):
        out = {}
        for f in sorted(folder.glob("*.safetensors")):
            out.update(load_file(str(f)))
        return out

    lora, base, folded = tensors(copy), tensors(resolve_base("qwen2.5-coder-0.5b").path), tensors(merged)
    key = "model.layers.0.self_attn.q_proj"
    a, b = (lora[f"base_model.model.{key}.lora_{x}.weight"].float() for x in "AB")
    scale = manifest["settings"]["lora_alpha"] / manifest["settings"]["lora_r"]
    expected = base[f"{key}.weight"].float() + scale * (b @ a)
    change = (expected - base[f"{key}.weight"].float()).abs()
    error = (folded[f"{key}.weight"].float() - expected).abs()
    assert float(change.max()) > 1e-2  # a visible change...
    assert bool((error <= expected.abs() * 2 ** -7 + 1e-4).all())  # ...folded in, up to bf16 rounding
    assert float(error.mean()) < float(change.mean()) / 4
    ref = parse_model(f"hf:{merged}")  # the merged folder still traces back to its adapter and data
    assert ref.lineage["merged"] is True and ref.lineage["adapter_fingerprint"] == manifest["fingerprint"]
