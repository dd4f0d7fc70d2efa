"""JAX 0.10.2's default PRNG on the package's `uniform` workload; prints JSON lines.

    uniform  jax.random.uniform(key, (n,), float32), compiled once; ns per float

Usage: python jax_workloads.py [count ...]   (default 1000000)
"""
import json
import os
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")
import warnings

warnings.filterwarnings("ignore")

import jax
import jax.numpy as jnp


def main(counts):
    for count in counts:
        draw = jax.jit(lambda key: jax.random.uniform(key, (count,), jnp.float32))
        key = jax.random.key(0)
        jax.block_until_ready(draw(key))
        samples = []
        for _ in range(7):
            start = time.perf_counter()
            jax.block_until_ready(draw(key))
            samples.append(time.perf_counter() - start)
        samples.sort()
        print(json.dumps({"lib": "jax", "workload": "uniform", "n": count,
                          "ns_per_item": round(samples[3] * 1e9 / count, 2)}), flush=True)


if __name__ == "__main__":
    main([int(count) for count in sys.argv[1:]] or [1_000_000])
