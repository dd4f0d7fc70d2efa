"""Python's safetensors (numpy API) on the package's checkpoint workloads; prints JSON lines.

The state is n tensors of 1 MiB, float32[262144] of standard normals, named ".layers[i].weight":

    checkpoint_save  safetensors.numpy.save_file over an existing file in $TMPDIR, then fsync;
                     ns per MiB
    checkpoint_load  safetensors.numpy.load_file of that file, every tensor read; ns per MiB

Each figure is the best of 3 runs.

Usage: python safetensors_workloads.py [MIB ...]   (default 256)
"""
import json
import os
import sys
import tempfile
import time

import numpy as np
from safetensors.numpy import load_file, save_file


def best_of(runs, work):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    for mib in [int(argument) for argument in sys.argv[1:]] or [256]:
        generator = np.random.default_rng(0)
        tensors = {f".layers[{i}].weight": generator.standard_normal(262_144, dtype=np.float32) for i in range(mib)}
        folder = tempfile.mkdtemp()
        path = os.path.join(folder, "workload.safetensors")

        def save():
            save_file(tensors, path)
            with open(path, "rb+") as file:
                os.fsync(file.fileno())

        def load():
            loaded = load_file(path)
            assert sum(float(value[-1]) for value in loaded.values()) is not None

        # An untimed first save, as in the Swift benchmark: every timed save then replaces a
        # file, as a training loop's saves do. A save that makes a new file skips freeing the
        # old one's blocks (about a third of a save's time on ext4 mounted with discard), and
        # would otherwise be the best of 3 here and never in the benchmark.
        save()
        seconds = {"checkpoint_save": best_of(3, save), "checkpoint_load": best_of(3, load)}
        os.remove(path)
        os.rmdir(folder)
        for workload, elapsed in seconds.items():
            print(json.dumps({"lib": "safetensors", "workload": workload, "n": mib, "ns_per_item": elapsed / mib * 1e9}))


if __name__ == "__main__":
    main()
