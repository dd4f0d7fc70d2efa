#!/usr/bin/env bash
# Creates (once) a virtual environment with the libraries the benchmark is compared against:
# JAX 0.10.2 (CPU), Inox 0.8.0, Penzai 0.2.5, optax 0.2.8 and Python's safetensors, from PyPI.
# Prints the path of its python.
set -euo pipefail
venv=${STATEKEYS_ANCHORS_VENV:-$HOME/.cache/statekeys-anchors-venv}
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import jax, inox, penzai, optax, safetensors" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet "jax[cpu]==0.10.2" "jaxlib==0.10.2" "inox==0.8.0" "penzai==0.2.5" \
    "optax==0.2.8" safetensors numpy >&2
fi
echo "$venv/bin/python"
