"""Fine-tuning: a dataset from `roboinstruct generate` → a LoRA adapter (TRL SFT + PEFT).

    data.py      dataset loading (run dir or JSONL) and the training text: the same
                 task prompt as evaluation, completion-only labels, EOS after the program
    base.py      base models: a registry GGUF converted once to a cached bf16 folder, or
                 a local Hugging Face folder
    settings.py  the paper's defaults, validated and fingerprinted
    train.py     the training loop (SFTTrainer + LoRA), loss curve, optional merge
    card.py      the adapter's model card and manifest.json (lineage)

Nothing here imports torch at module level except train.py and base.py's converters,
so `roboinstruct --help` and the light install stay fast.
"""
