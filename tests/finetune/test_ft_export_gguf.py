"""PEFT LoRA → llama.cpp LoRA GGUF: names, shapes and scale on a synthetic adapter, and the
real check — a PEFT adapter run by transformers and its GGUF run by llama.cpp write the
same greedy program."""

from __future__ import annotations

import json

import pytest

from roboinstruct.errors import UserError

gguf = pytest.importorskip("gguf", reason="needs pip install 'roboinstruct[finetune]'")
np = pytest.importorskip("numpy")
pytest.importorskip("safetensors")

from roboinstruct.finetune.export_gguf import export_adapter  # noqa: E402

R, HIDDEN, FFN = 4, 32, 64


def _adapter(tmp_path, **cfg_over):
    """A two-layer qwen2-shaped adapter folder on q_proj (square) and down_proj (ffn → hidden)."""
    from safetensors.numpy import save_file

    folder = tmp_path / "adapter"
    folder.mkdir()
    rng = np.random.default_rng(0)
    tensors = {}
    for layer in range(2):
        for module, d_in, d_out in (("self_attn.q_proj", HIDDEN, HIDDEN), ("mlp.down_proj", FFN, HIDDEN)):
            key = f"base_model.model.model.layers.{layer}.{module}"
            tensors[f"{key}.lora_A.weight"] = rng.standard_normal((R, d_in)).astype(np.float32)
            tensors[f"{key}.lora_B.weight"] = rng.standard_normal((d_out, R)).astype(np.float32)
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    cfg = {"r": R, "lora_alpha": 8, "target_modules": ["q_proj", "down_proj"], **cfg_over}
    (folder / "adapter_config.json").write_text(json.dumps(cfg))
    base = tmp_path / "config.json"
    base.write_text(json.dumps({"model_type": "qwen2", "num_hidden_layers": 2}))
    return folder, base, tensors


def test_names_shapes_and_alpha(tmp_path):
    folder, base, tensors = _adapter(tmp_path)
    path = export_adapter(folder, base)
    assert path == folder / "adapter.gguf" and not list(folder.glob("*.tmp*"))
    reader = gguf.GGUFReader(path)
    got = {t.name: t for t in reader.tensors}
    assert set(got) == {f"blk.{i}.{m}.weight.lora_{ab}" for i in range(2) for m in ("attn_q", "ffn_down")
                        for ab in "ab"}
    # ggml dims are numpy's reversed: A is (in, r), B is (r, out) — what llama.cpp checks against W
    assert list(got["blk.1.ffn_down.weight.lora_a"].shape) == [FFN, R]
    assert list(got["blk.1.ffn_down.weight.lora_b"].shape) == [R, HIDDEN]
    a = np.asarray(got["blk.0.attn_q.weight.lora_a"].data).reshape(R, HIDDEN)
    assert np.array_equal(a, tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"])
    fields = reader.fields
    assert bytes(fields["general.type"].parts[-1]).decode() == "adapter"
    assert bytes(fields["adapter.type"].parts[-1]).decode() == "lora"
    assert float(fields["adapter.lora.alpha"].parts[-1][0]) == 8.0


def test_rslora_alpha_keeps_peft_scale(tmp_path):
    folder, base, _ = _adapter(tmp_path, use_rslora=True)
    reader = gguf.GGUFReader(export_adapter(folder, base))
    alpha = float(reader.fields["adapter.lora.alpha"].parts[-1][0])
    assert alpha / R == pytest.approx(8 / R ** 0.5)  # llama.cpp: alpha/r; rsLoRA: lora_alpha/sqrt(r)


@pytest.mark.parametrize("over, message", [
    ({"use_dora": True}, "DoRA"),
    ({"modules_to_save": ["lm_head"]}, "whole modules"),
    ({"rank_pattern": {"q_proj": 8}}, "per-layer"),
])
def test_unexportable_adapters_say_why(tmp_path, over, message):
    folder, base, _ = _adapter(tmp_path, **over)
    with pytest.raises(UserError, match=message):
        export_adapter(folder, base)
    assert not (folder / "adapter.gguf").exists()


def test_unknown_architecture_and_missing_weights(tmp_path):
    folder, base, _ = _adapter(tmp_path)
    base.write_text(json.dumps({"model_type": "no-such-arch", "num_hidden_layers": 2}))
    with pytest.raises(UserError, match="no-such-arch.*--engine transformers"):
        export_adapter(folder, base)
    base.write_text(json.dumps({"model_type": "qwen2", "num_hidden_layers": 2}))
    (folder / "adapter_model.safetensors").unlink()
    with pytest.raises(UserError, match="no adapter_model.safetensors"):
        export_adapter(folder, base)


def test_finetune_writes_the_gguf_and_hashes_it(trained):
    _, adapter, manifest, _ = trained
    assert manifest["train"]["gguf"] == "adapter.gguf"
    assert manifest["files"]["adapter.gguf"] and (adapter / "adapter.gguf").stat().st_size > 1_000_000


def test_llama_cpp_runs_the_adapter_like_peft(base_model, tmp_path):
    """A random (non-identity) adapter strong enough to change the answer: transformers+PEFT
    and llama.cpp+GGUF must agree token for token, and both must differ from the bare base.
    A wrong name map, orientation or scale would break one of the three."""
    pytest.importorskip("xllamacpp", reason="needs pip install 'roboinstruct[local]'")
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from roboinstruct.llm import models
    from roboinstruct.llm.local_backend import LocalBackend
    from roboinstruct.taskprompt import program_messages, program_request, render_prompt

    tok = AutoTokenizer.from_pretrained(str(base_model.path))
    model = AutoModelForCausalLM.from_pretrained(str(base_model.path), dtype=torch.float32)
    torch.manual_seed(0)
    peft_model = get_peft_model(model, LoraConfig(r=8, lora_alpha=3, init_lora_weights=False,
                                                  target_modules=["q_proj", "v_proj", "down_proj"]))
    folder = tmp_path / "random-adapter"
    peft_model.save_pretrained(str(folder))
    instruction = "Go to the kitchen and tell me if there is an apple"
    ids = tok(render_prompt(tok, program_messages(instruction, None)), return_tensors="pt", add_special_tokens=False)
    n_prompt, new = ids["input_ids"].shape[1], 24
    with torch.no_grad():
        tuned = peft_model.generate(**ids, max_new_tokens=new, do_sample=False)[0, n_prompt:]
        with peft_model.disable_adapter():
            plain = peft_model.generate(**ids, max_new_tokens=new, do_sample=False)[0, n_prompt:]
    del peft_model, model

    lora = export_adapter(folder, base_model.path / "config.json")
    request = program_request(instruction, None, n=1, temperature=0.0, max_tokens=new)
    with LocalBackend(models.DEFAULT_TEST_MODEL, lora=lora, no_cache=True) as backend:
        llama_text = backend.generate([request])[0].texts[0]
    hf_text = tok.decode(tuned, skip_special_tokens=True)
    assert hf_text != tok.decode(plain, skip_special_tokens=True), "the adapter should change the answer"
    assert llama_text.strip() == hf_text.strip()
