"""Penzai V1's Gemma (penzai 0.2.5) on the package's Gemma workloads; prints JSON lines.

The tiny configuration of `Scripts/fixtures/make_penzai_gemma.py` (2 blocks, 4 heads, embedding
64, projection 16, MLP 128, vocabulary 256, float32), its weights from `initialize_parameters`,
a cache of 64 tokens:

    gemma_cached_step    `simple_decoding_loop.advance_one_token` compiled by `jax.jit` with the
                         model closed over, after
                         n tokens prefilled into the cache; ns per token, 8 steps per run
    gemma_uncached_step  the model on the whole sequence of n tokens (`GemmaInputs.from_basic_segments`),
                         compiled by `jax.jit`: the next token's cost without a cache; ns per token

Each figure is the median of 7 runs after a warm-up (which compiles).

Usage: python penzai_gemma_workloads.py [N ...]   (default 8 32 56)
"""
import json
import statistics
import sys
import time

import jax
import jax.numpy as jnp
from penzai.deprecated.v1 import pz
from penzai.deprecated.v1.example_models.gemma import model_core, sampling_mode, simple_decoding_loop


def median_seconds(work, runs=7):
    work()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    config = model_core.GemmaTransformerConfig(
        num_heads=4, embedding_dim=64, projection_dim=16, single_kv_head=False, mlp_hidden_dim=128,
        num_decoder_blocks=2, vocab_size=256, parameter_dtype=jnp.float32, activation_dtype=jnp.float32)
    model = pz.nn.initialize_parameters(model_core.GemmaTransformer.from_config(config), jax.random.key(0))
    sampler, initial = sampling_mode.GemmaKVCachingTransformer.from_uncached(model, cache_len=64, batch_axes={})
    # The model is closed over, so that its weights are constants of the compiled step rather
    # than arguments flattened at every call: Penzai's fastest way to run a step (flattening
    # the model as an argument measured 0.71 ms per step here).
    advance = jax.jit(lambda state, token: simple_decoding_loop.advance_one_token(sampler, state, token))
    forward = jax.jit(lambda inputs: model(inputs))
    for n in [int(argument) for argument in sys.argv[1:]] or [8, 32, 56]:
        prompt = pz.nx.wrap(jnp.asarray([1 + (i * 37) % 255 for i in range(n)], dtype=jnp.int32)).tag("seq")
        _, prefilled = simple_decoding_loop.prefill(sampler, initial, prompt, pad_id=0)

        def steps():
            state = prefilled
            for step in range(8):
                log_probs, state = advance(state, pz.nx.wrap(jnp.asarray(3 + step, dtype=jnp.int32)))
            jax.block_until_ready(log_probs.data_array)

        inputs = model_core.GemmaInputs.from_basic_segments(prompt)

        def uncached():
            jax.block_until_ready(forward(inputs).data_array)

        print(json.dumps({"lib": "penzai", "workload": "gemma_cached_step", "n": n, "ns_per_item": median_seconds(steps) / 8 * 1e9}))
        print(json.dumps({"lib": "penzai", "workload": "gemma_uncached_step", "n": n, "ns_per_item": median_seconds(uncached) * 1e9}))


if __name__ == "__main__":
    main()
