"""Inox 0.8.0, JAX and optax 0.2.8 on the package's `train_step` workload; prints JSON lines
like `benchmark` does.

    train_step   one jitted step of the Inox MLP of shared/anchors/inox_train_anchor.py:
                 jax.value_and_grad of the mean softmax cross-entropy (the state threaded as
                 the auxiliary output, no gradient), then optax.adam(1e-3); ns per step

Usage: python inox_train_workloads.py [BATCH ...]   (default 64 256)
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
import optax
import inox.nn as nn
from inox.nn.state import export_state, update_state


class Moments(nn.Module):
    def __init__(self, features):
        self.first = nn.StateEntry(jnp.zeros(features))
        self.second = nn.StateEntry(jnp.ones(features))

    def __call__(self, x, state):
        first, second = state[self.first], state[self.second]
        return update_state(state, {self.first: 0.9 * first + 0.1 * x, self.second: 0.9 * second + 0.1 * x**2})


class MLP(nn.Module):
    def __init__(self, key):
        keys = jax.random.split(key, 3)
        self.in_stats = Moments(64)
        self.l1 = nn.Linear(64, 64, key=keys[0])
        self.norm = nn.BatchNorm(64)
        self.l2 = nn.Linear(64, 64, key=keys[1])
        self.l3 = nn.Linear(64, 10, key=keys[2])
        self.out_stats = Moments(10)
        self.relu = nn.ReLU()

    def __call__(self, x, state):
        state = self.in_stats(x.mean(axis=0), state)
        x, state = self.norm(self.relu(self.l1(x)), state)
        x = self.l3(self.relu(self.l2(x)))
        return x, self.out_stats(x.mean(axis=0), state)


def main():
    model, state = export_state(MLP(jax.random.key(0)))
    static, params, others = model.partition(nn.Parameter)
    optimizer = optax.adam(1e-3)

    def loss(params, state, x, labels):
        logits, state = static(params, others)(x, state)
        return optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean(), state

    @jax.jit
    def step(params, opt_state, state, x, labels):
        (value, state), grads = jax.value_and_grad(loss, has_aux=True)(params, state, x, labels)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, state, value

    for batch in [int(a) for a in sys.argv[1:]] or [64, 256]:
        kx, ky = jax.random.split(jax.random.key(batch))
        x = jax.random.normal(kx, (batch, 64))
        labels = jax.random.randint(ky, (batch,), 0, 10)
        p, o, s = params, optimizer.init(params), state
        for _ in range(20):  # compile and warm up
            p, o, s, value = step(p, o, s, x, labels)
        value.block_until_ready()
        best = float("inf")
        for _ in range(7):
            start = time.perf_counter()
            for _ in range(200):
                p, o, s, value = step(p, o, s, x, labels)
            value.block_until_ready()
            best = min(best, (time.perf_counter() - start) / 200 * 1e9)
        print(json.dumps({"lib": "inox", "workload": "train_step", "n": batch, "ns_per_item": best}))


if __name__ == "__main__":
    main()
