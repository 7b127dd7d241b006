#!/usr/bin/env bash
# Builds the browser (MLC) version of DimMem-4B in both quantizations the app uses:
#   dist/models/DimMem-4B-q4f16_1-MLC/  (GPUs with shader-f16)
#   dist/models/DimMem-4B-q4f32_1-MLC/  (all other WebGPU GPUs)
# Only the weights and mlc-chat-config.json are converted: DimMem-4B has exactly the Qwen3-4B
# architecture, so WebLLM's prebuilt Qwen3-4B model library runs it (see docs/model.md).
#
# Needs: Python 3.10+, git, ~20 GB of disk, no GPU. Usage:
#   scripts/build-mlc-model.sh [output-dir]
# Optional environment:
#   CHECKPOINT_DIR     a local copy of the checkpoint (skips the download)
#   CHECKPOINT_REV     Hugging Face revision of the checkpoint (default below)
#   MLC_LLM_VERSION / MLC_AI_VERSION   nightly wheel versions (defaults below)
set -euo pipefail

# --- Pinned inputs -------------------------------------------------------------------------------
CHECKPOINT_REPO="wtqiu/DimMem-4B-Longmemeval"
CHECKPOINT_REV="${CHECKPOINT_REV:-main}"
# MLC publishes CPU wheels as nightlies on https://mlc.ai/wheels. Pin the pair you built with:
# the script writes the versions it used into BUILD-INFO.txt next to the models.
MLC_LLM_VERSION="${MLC_LLM_VERSION:-}"
MLC_AI_VERSION="${MLC_AI_VERSION:-}"
CONTEXT_WINDOW_SIZE=8192
# WebLLM's prebuilt Qwen3-4B libraries are compiled with a 1024-token prefill chunk ("cs1k").
PREFILL_CHUNK_SIZE=1024
CONV_TEMPLATE="qwen2"
QUANTIZATIONS=(q4f16_1 q4f32_1)
# -------------------------------------------------------------------------------------------------

OUT="${1:-dist/models}"
WORK="${WORK_DIR:-build/mlc}"
mkdir -p "$OUT" "$WORK"

python3 - <<'PY'
import sys
if sys.version_info < (3, 10):
    sys.exit(f"Python 3.10 or newer is needed, found {sys.version.split()[0]}")
PY

if [ ! -d "$WORK/venv" ]; then python3 -m venv "$WORK/venv"; fi
# shellcheck disable=SC1091
source "$WORK/venv/bin/activate"
python -m pip install --quiet --upgrade pip
mlc_llm_spec="mlc-llm-nightly-cpu${MLC_LLM_VERSION:+==$MLC_LLM_VERSION}"
mlc_ai_spec="mlc-ai-nightly-cpu${MLC_AI_VERSION:+==$MLC_AI_VERSION}"
python -m pip install --quiet --pre -f https://mlc.ai/wheels "$mlc_llm_spec" "$mlc_ai_spec" \
  "huggingface_hub>=0.24"

if [ -z "${CHECKPOINT_DIR:-}" ]; then
  CHECKPOINT_DIR="$WORK/checkpoint"
  python - "$CHECKPOINT_REPO" "$CHECKPOINT_REV" "$CHECKPOINT_DIR" <<'PY'
import sys
from huggingface_hub import snapshot_download
repo, rev, out = sys.argv[1:4]
snapshot_download(repo_id=repo, revision=rev, local_dir=out,
                  allow_patterns=["*.json", "*.safetensors", "*.txt", "*.model", "merges.txt", "vocab.json"])
PY
fi

# The checkpoint must be a Qwen3 model: the prebuilt library only runs that architecture.
python - "$CHECKPOINT_DIR/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
checks = {"model_type": "qwen3", "hidden_size": 2560, "num_hidden_layers": 36,
          "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 151936}
wrong = {k: (config.get(k), v) for k, v in checks.items() if config.get(k) != v}
if wrong:
    sys.exit(f"Not the Qwen3-4B architecture: {wrong} (found, expected)")
PY

for quant in "${QUANTIZATIONS[@]}"; do
  dest="$OUT/DimMem-4B-$quant-MLC"
  echo "== $quant → $dest"
  mlc_llm convert_weight "$CHECKPOINT_DIR" --quantization "$quant" -o "$dest"
  mlc_llm gen_config "$CHECKPOINT_DIR" --quantization "$quant" --conv-template "$CONV_TEMPLATE" \
    --context-window-size "$CONTEXT_WINDOW_SIZE" --prefill-chunk-size "$PREFILL_CHUNK_SIZE" -o "$dest"
  # WebLLM 0.2.86 reads tensor-cache.json; older mlc_llm versions name it ndarray-cache.json.
  if [ ! -f "$dest/tensor-cache.json" ] && [ -f "$dest/ndarray-cache.json" ]; then
    cp "$dest/ndarray-cache.json" "$dest/tensor-cache.json"
  fi
  python - "$dest" "$quant" "$CONTEXT_WINDOW_SIZE" "$PREFILL_CHUNK_SIZE" <<'PY'
import json, os, sys
dest, quant, ctx, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
config = json.load(open(os.path.join(dest, "mlc-chat-config.json")))
problems = []
if config.get("model_type") != "qwen3": problems.append(f"model_type {config.get('model_type')}")
if config.get("quantization") != quant: problems.append(f"quantization {config.get('quantization')}")
if config.get("context_window_size") != ctx: problems.append(f"context {config.get('context_window_size')}")
if config.get("prefill_chunk_size") != chunk: problems.append(f"prefill chunk {config.get('prefill_chunk_size')}")
if (config.get("conv_template") or {}).get("name") != "qwen2": problems.append("conv_template is not qwen2")
if "tokenizer.json" not in config.get("tokenizer_files", []): problems.append("no tokenizer.json")
tensors = json.load(open(os.path.join(dest, "tensor-cache.json")))
for shard in tensors["records"]:
    path = os.path.join(dest, shard["dataPath"])
    if os.path.getsize(path) != shard["nbytes"]: problems.append(f"{shard['dataPath']} has the wrong size")
if problems:
    sys.exit("Build check failed: " + "; ".join(problems))
total = sum(s["nbytes"] for s in tensors["records"])
print(f"   ok: {len(tensors['records'])} shards, {total / 2**30:.2f} GiB")
PY
done

# Record what was used, and integrity hashes (SRI) a catalog may pin.
{
  echo "checkpoint: $CHECKPOINT_REPO@$CHECKPOINT_REV"
  python -m pip show mlc-llm-nightly-cpu mlc-ai-nightly-cpu 2>/dev/null | grep -E '^(Name|Version):'
  echo "context_window_size: $CONTEXT_WINDOW_SIZE, prefill_chunk_size: $PREFILL_CHUNK_SIZE"
  for quant in "${QUANTIZATIONS[@]}"; do
    dest="$OUT/DimMem-4B-$quant-MLC"
    for file in mlc-chat-config.json tensor-cache.json tokenizer.json; do
      echo "$quant $file sha256-$(openssl dgst -sha256 -binary "$dest/$file" | openssl base64 -A)"
    done
  done
} > "$OUT/BUILD-INFO.txt"
echo "Done. Models in $OUT (see BUILD-INFO.txt). Publish each folder and point the app at it:"
echo "  VITE_DIMMEM_MODEL_URL='https://your.host/path/DimMem-4B-{quant}-MLC' npm run build"
