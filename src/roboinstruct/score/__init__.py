"""Scoring: a model (GGUF, HF folder, LoRA adapter or served) → benchmark pass@1 with lineage.

    models.py       what --model names, its identity and lineage
    hf_generate.py  completions with transformers (hf:/adapter:)
    run.py          the resumable run: completions → evaluation
    results.py      results.json, manifest.json, report.html, compare
"""
