#!/usr/bin/env bash
# Builds the DocC catalog of every library module with the toolchain's `docc`, no plugin:
# symbol graphs from the compiler, then `docc convert` per module, warnings as errors (a broken
# symbol link fails). Usage: bash Scripts/build-docs.sh [OUTPUT_DIR]   (default .build-docs)
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-.build-docs}
rm -rf "$output"
mkdir -p "$output/symbol-graphs"
output=$(cd "$output" && pwd)
graphs="$output/symbol-graphs"
for target in StateKeys PenzaiGemma; do
  swift build --scratch-path "$output/build" --target "$target" \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs" > "$output/build.log" 2>&1 \
    || { cat "$output/build.log"; exit 1; }
done
for module in ExplicitState RandomKeys TensorLayers DataEffects Checkpoints Training StateViews PenzaiGemma; do
  mkdir -p "$graphs/$module"
  cp "$graphs/$module".symbols.json "$graphs/$module"/
  cp "$graphs/$module"@*.symbols.json "$graphs/$module"/ 2>/dev/null || true
  docc convert "Sources/$module/$module.docc" \
    --additional-symbol-graph-dir "$graphs/$module" \
    --fallback-display-name "$module" --fallback-bundle-identifier "org.statekeys.$module" \
    --warnings-as-errors --output-path "$output/$module.doccarchive" > "$output/$module.log" 2>&1 \
    || { cat "$output/$module.log"; echo "docc: $module's catalog has errors"; exit 1; }
  echo "built $output/$module.doccarchive"
done
