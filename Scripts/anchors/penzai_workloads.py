"""Penzai 0.2.5's V1 data effects on the package's benchmark workloads; prints JSON lines.

Each model is a Sequential of n layers, each adding its input into a 16-float local state.

    handle        pz.de.handle_local_states(model, category="state"); ns per layer
    handled_eager handled((x, states)), eager; ns per layer
    handled_jit   the same call compiled with jax.jit (compilation not timed); ns per layer
    freeze        pz.de.freeze_local_states(handled, states); ns per layer

Usage: python penzai_workloads.py [layers ...]   (default 10 100 1000)
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
from penzai.deprecated.v1 import pz


@pz.pytree_dataclass
class Accumulate(pz.Layer):
    accumulator: pz.de.LocalStateEffect

    def __call__(self, x):
        self.accumulator.set(self.accumulator.get() + x)
        return x

    @classmethod
    def make(cls):
        return cls(accumulator=pz.de.InitialLocalStateRequest(
            state_initializer=lambda: jnp.zeros(16), category="state"))


def median_seconds(run, repetitions):
    run()
    samples = []
    for _ in range(repetitions):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples[len(samples) // 2]


def report(workload, n, seconds):
    print(json.dumps({"lib": "penzai", "workload": workload, "n": n,
                      "ns_per_item": round(seconds * 1e9 / n, 1)}), flush=True)


def main(sizes):
    for layers in sizes:
        model = pz.nn.Sequential([Accumulate.make() for _ in range(layers)])
        report("handle", layers, median_seconds(lambda: pz.de.handle_local_states(model, category="state"), 3))
        handled, states = pz.de.handle_local_states(model, category="state")
        x = jnp.ones(16)
        report("handled_eager", layers, median_seconds(lambda: jax.block_until_ready(handled((x, states))), 3))
        compiled = jax.jit(lambda x, s: handled((x, s)))
        jax.block_until_ready(compiled(x, states))
        report("handled_jit", layers, median_seconds(lambda: jax.block_until_ready(compiled(x, states)), 7))
        _, new_states = handled((x, states))
        report("freeze", layers, median_seconds(lambda: pz.de.freeze_local_states(handled, new_states), 3))


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [10, 100, 1000])
