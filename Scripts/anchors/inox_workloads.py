"""Inox 0.8.0 on the package's benchmark workloads; prints JSON lines like `benchmark` does.

    export        export_state of a stack of n/2 Moments layers (n entries); ns per entry
    update1       update_state of one key of a state of n entries; ns per call
    moments_eager (y, state) = model(x, state) on n Moments layers of 16 features; ns per layer
    moments_jit   the same call compiled with jax.jit (compilation not timed); ns per layer

Usage: python inox_workloads.py [layers ...]   (default 100 1000 10000)
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
import inox.nn as nn

FEATURES = 16


class Moments(nn.Module):
    def __init__(self, features):
        self.first = nn.StateEntry(jnp.zeros(features))
        self.second = nn.StateEntry(jnp.ones(features))

    def __call__(self, x, state):
        first, second = state[self.first], state[self.second]
        return nn.update_state(state, {
            self.first: 0.9 * first + 0.1 * x,
            self.second: 0.9 * second + 0.1 * x * x,
        })


class MomentsStack(nn.Module):
    def __init__(self, layers):
        self.layers = [Moments(FEATURES) for _ in range(layers)]

    def __call__(self, x, state):
        for layer in self.layers:
            state = layer(x, state)
        return x, state


def median_seconds(run, repetitions):
    run()
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples[len(samples) // 2]


def report(workload, n, seconds, items):
    print(json.dumps({"lib": "inox", "workload": workload, "n": n,
                      "ns_per_item": round(seconds * 1e9 / items, 1)}), flush=True)


def main(sizes):
    for layers in sizes:
        entries = 2 * layers
        model = MomentsStack(layers)
        report("export", entries, median_seconds(lambda: nn.export_state(model), 3), entries)
        exported, state = nn.export_state(model)
        key = exported.layers[layers // 2].first
        value = state[key]
        report("update1", entries, median_seconds(lambda: nn.update_state(state, {key: value}), 15), 1)
        if layers > 1000:
            continue
        x = jnp.ones(FEATURES)
        report("moments_eager", layers,
               median_seconds(lambda: jax.block_until_ready(exported(x, state)), 3), layers)
        compiled = jax.jit(lambda x, s: exported(x, s))
        jax.block_until_ready(compiled(x, state))
        report("moments_jit", layers,
               median_seconds(lambda: jax.block_until_ready(compiled(x, state)), 7), layers)


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [100, 1000, 10000])
