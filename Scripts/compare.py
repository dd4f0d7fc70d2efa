#!/usr/bin/env python3
"""Runs the package's benchmark and the Python anchors back to back, and compares them.

Builds `benchmark` in release mode from scratch (so that every cross-module inlining is fresh),
runs it, runs the Inox, Penzai and JAX workloads in a virtual environment made by
`setup-anchors.sh`, then prints a Markdown table of the ratios the benchmark issue targets and
writes an SVG chart of ns per item against n.

Usage: python3 Scripts/compare.py [--quick] [--output DIR]
  --quick   small sizes only (a smoke test of the pipeline; the ratios need the full sizes)
  --output  where to write results.jsonl and ns_per_item.svg (default Guides/Resources/Performance)
"""
import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(command, **kwargs):
    print("$ " + " ".join(str(part) for part in command), file=sys.stderr, flush=True)
    return subprocess.run(command, check=True, text=True, stdout=subprocess.PIPE, cwd=ROOT, **kwargs).stdout


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    swift = run(["swift", "--version"]).splitlines()[0]
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}; {swift}"


def figure(results, lib, workload, n):
    for result in results:
        if result["lib"] == lib and result["workload"] == workload and result["n"] == n:
            return result
    return None


def ns(results, lib, workload, n):
    found = figure(results, lib, workload, n)
    return found["ns_per_item"] if found else None


def host_flags():
    """The build flags for this machine's CPU, as XLA compiles the anchors' steps for the CPU it
    runs on: where the CPU has AVX2 and FMA, the x86-64-v3 level (which LLVM names `haswell`)
    and fused multiply-adds in the matrix product (`STATEKEYS_FMA`); and math functions without
    `errno`, so that square roots vectorize. See Guides/Performance.md."""
    flags = ["-Xcc", "-fno-math-errno"]
    try:
        cpu = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        cpu = []
    if platform.machine() == "x86_64" and "fma" in cpu and "avx2" in cpu:
        flags += ["-Xswiftc", "-target-cpu", "-Xswiftc", "haswell", "-Xswiftc", "-DSTATEKEYS_FMA"]
    return flags


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def targets(results):
    """(description, measured ratio, target text, met) for each target of the benchmark issue."""
    s = lambda workload, n: ns(results, "swift", workload, n)
    inox = lambda workload, n: ns(results, "inox", workload, n)
    penzai = lambda workload, n: ns(results, "penzai", workload, n)
    memory = figure(results, "swift", "state_memory", 200_000)
    st = lambda workload, n: ns(results, "safetensors", workload, n)
    mib = 16 if figure(results, "swift", "checkpoint_save", 16) else 256
    save = figure(results, "swift", "checkpoint_save", mib)
    save_memory = (save["peak_extra_bytes"] / save["largest_tensor_bytes"]) if save else None
    rows = [
        ("export: Inox ÷ Swift per entry, 2,000 entries", ratio(inox("export", 2000), s("export", 2000)), ">= 30", lambda r: r >= 30),
        ("export: Swift at 200,000 ÷ at 2,000 per entry", ratio(s("export", 200000), s("export", 2000)), "<= 1.5", lambda r: r <= 1.5),
        ("update1: Swift at 200,000 ÷ at 200", ratio(s("update1", 200000), s("update1", 200)), "<= 3", lambda r: r <= 3),
        ("update1: Inox ÷ Swift, 20,000 entries", ratio(inox("update1", 20000), s("update1", 20000)), ">= 1000", lambda r: r >= 1000),
        ("state_rw (State.edit) ÷ plain_rw", ratio(s("state_rw", 100000), s("plain_rw", 100000)), "<= 10", lambda r: r <= 10),
        ("moments: Inox jit ÷ Swift, 1,000 layers", ratio(inox("moments_jit", 1000), s("moments", 1000)), ">= 30", lambda r: r >= 30),
        ("moments: Swift ÷ hand-written floor, 1,000 layers", ratio(s("moments", 1000), s("handwritten_moments", 1000)), "<= 20", lambda r: r <= 20),
        ("moments_wide: Swift ÷ hand-written floor", ratio(s("moments_wide", 100), s("handwritten_moments_wide", 100)), "<= 1.5", lambda r: r <= 1.5),
        ("handle: Penzai ÷ Swift per layer, 1,000 layers", ratio(penzai("handle", 1000), s("handle", 1000)), ">= 300", lambda r: r >= 300),
        ("freeze: Penzai ÷ Swift per layer, 1,000 layers", ratio(penzai("freeze", 1000), s("freeze", 1000)), ">= 300", lambda r: r >= 300),
        ("handled call: Penzai jit ÷ Swift, 1,000 layers", ratio(penzai("handled_jit", 1000), s("handled_call", 1000)), ">= 20", lambda r: r >= 20),
        ("handled call: Penzai eager ÷ Swift, 1,000 layers", ratio(penzai("handled_eager", 1000), s("handled_call", 1000)), ">= 300", lambda r: r >= 300),
        ("uniform: Swift ÷ JAX per float, 1,000,000", ratio(s("uniform", 1000000), ns(results, "jax", "uniform", 1000000)), "<= 1", lambda r: r <= 1),
        ("memory: state of 200,000 × 16 floats (inline) ÷ payload", float(memory["ratio_to_payload"]) if memory else None, "<= 2", lambda r: r <= 2),
        (f"checkpoint_save: safetensors ÷ Swift per MiB, {mib} MiB, median of paired runs", paired_ratio(results, "checkpoint_save", mib), ">= 1", lambda r: r >= 1),
        (f"checkpoint_load: safetensors ÷ Swift per MiB, {mib} MiB, median of paired runs", paired_ratio(results, "checkpoint_load", mib), ">= 1", lambda r: r >= 1),
        ("checkpoint_save: peak memory beyond the state ÷ largest tensor", save_memory, "<= 1.1 (+ header)", lambda r: r <= 1.1),
        ("train_step: Inox ÷ Swift, batch 64", ratio(inox("train_step", 64), s("train_step", 64)), ">= 1 (aim 2)", lambda r: r >= 1),
        ("train_step: Inox ÷ Swift, batch 256", ratio(inox("train_step", 256), s("train_step", 256)), ">= 1 (aim 2)", lambda r: r >= 1),
        ("gemma cached step: Penzai jit ÷ Swift, 32 tokens cached", ratio(penzai("gemma_cached_step", 32), s("gemma_cached_step", 32)), ">= 1 (aim 3)", lambda r: r >= 1),
        ("gemma: Swift uncached ÷ cached step, 56 tokens", ratio(s("gemma_uncached_step", 56), s("gemma_cached_step", 56)), "> 1, growing with n", lambda r: r > 1),
    ]
    return [(text, value, goal, None if value is None else check(value)) for text, value, goal, check in rows]


def paired_ratio(results, workload, n):
    """The median of safetensors ÷ Swift over the runs made side by side: the disk's speed
    varies by a fifth from one run to the next here, more than the two sides differ."""
    swift = [r["ns_per_item"] for r in results if r["lib"] == "swift" and r["workload"] == workload and r["n"] == n]
    python = [r["ns_per_item"] for r in results if r["lib"] == "safetensors" and r["workload"] == workload and r["n"] == n]
    ratios = sorted(p / s for s, p in zip(swift, python))
    if not ratios:
        return None
    middle = len(ratios) // 2
    return ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2


def markdown(results):
    lines = ["| target | measured | goal | met |", "|---|---:|---|---|"]
    for text, value, goal, met in targets(results):
        shown = "—" if value is None else (f"{value:,.0f}" if value >= 100 else f"{value:.2f}")
        lines.append(f"| {text} | {shown} | {goal} | {'—' if met is None else ('yes' if met else 'no')} |")
    lines += ["", "| memory of 200,000 × 16 floats | bytes per entry | ÷ payload |", "|---|---:|---:|"]
    for workload, values in (("state_memory", "`SIMD16<Float>` (inline)"), ("state_memory_tensor", "`Tensor`")):
        found = figure(results, "swift", workload, 200_000)
        if not found:
            continue
        state, table = found["bytes_per_entry"], found["path_table_bytes_per_entry"]
        lines.append(f"| state of {values} values | {state} | {found['ratio_to_payload']} |")
        if table:
            lines.append(f"| first export in a process, with the new paths | {state + table} | {found['first_export_ratio_to_payload']} |")
    return "\n".join(lines)


PANELS = [
    ("export (ns per entry)", [("swift", "export"), ("inox", "export")]),
    ("update1 (ns per call)", [("swift", "update1"), ("inox", "update1")]),
    ("moments (ns per layer)", [("swift", "moments"), ("swift", "handwritten_moments"), ("inox", "moments_jit"), ("inox", "moments_eager")]),
    ("handle (ns per layer)", [("swift", "handle"), ("penzai", "handle")]),
    ("handled call (ns per layer)", [("swift", "handled_call"), ("penzai", "handled_jit"), ("penzai", "handled_eager")]),
    ("freeze (ns per layer)", [("swift", "freeze"), ("penzai", "freeze")]),
    ("gemma (ns per token) against tokens so far", [("swift", "gemma_cached_step"), ("swift", "gemma_uncached_step"),
                                                    ("penzai", "gemma_cached_step"), ("penzai", "gemma_uncached_step")]),
]
COLORS = {"swift": "#f05138", "inox": "#3572a5", "penzai": "#2e9d5b", "jax": "#8a5cc2", "safetensors": "#b8860b"}
DASHES = ["", "6,3", "2,3", "8,3,2,3"]


def svg_chart(results):
    """A grid of log-log panels, ns per item against n, one line per library and workload."""
    width, height, columns = 360, 290, 3
    rows = math.ceil(len(PANELS) / columns)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * columns}" height="{height * rows + 30}" '
             f'font-family="sans-serif" font-size="11">',
             f'<rect width="100%" height="100%" fill="white"/>',
             f'<text x="10" y="18" font-size="13">ns per item against n (log-log); lower is faster</text>']
    for index, (title, series) in enumerate(PANELS):
        x0, y0 = (index % columns) * width, (index // columns) * height + 30
        left, top, plot_w, plot_h = x0 + 55, y0 + 25, width - 75, height - 110
        points = [(r["n"], r["ns_per_item"]) for lib, workload in series for r in results
                  if r["lib"] == lib and r["workload"] == workload and r["ns_per_item"] > 0]
        parts.append(f'<text x="{x0 + 10}" y="{y0 + 15}" font-weight="bold">{title}</text>')
        parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>')
        if not points:
            continue
        lx = [math.log10(n) for n, _ in points]
        ly = [math.log10(v) for _, v in points]
        x_lo, x_hi = math.floor(min(lx)), math.ceil(max(lx))
        y_lo, y_hi = math.floor(min(ly)), math.ceil(max(ly))
        x_hi, y_hi = max(x_hi, x_lo + 1), max(y_hi, y_lo + 1)
        sx = lambda n: left + (math.log10(n) - x_lo) / (x_hi - x_lo) * plot_w
        sy = lambda v: top + plot_h - (math.log10(v) - y_lo) / (y_hi - y_lo) * plot_h
        for decade in range(x_lo, x_hi + 1):
            parts.append(f'<text x="{sx(10 ** decade)}" y="{top + plot_h + 14}" text-anchor="middle">1e{decade}</text>')
        for decade in range(y_lo, y_hi + 1):
            parts.append(f'<text x="{left - 5}" y="{sy(10 ** decade) + 4}" text-anchor="end">1e{decade}</text>')
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{sy(10 ** decade)}" y2="{sy(10 ** decade)}" stroke="#eee"/>')
        for number, (lib, workload) in enumerate(series):
            data = sorted((r["n"], r["ns_per_item"]) for r in results
                          if r["lib"] == lib and r["workload"] == workload and r["ns_per_item"] > 0)
            if not data:
                continue
            path = " ".join(f"{sx(n):.1f},{sy(v):.1f}" for n, v in data)
            dash = f' stroke-dasharray="{DASHES[number % len(DASHES)]}"' if DASHES[number % len(DASHES)] else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{COLORS[lib]}" stroke-width="2"{dash}/>')
            for n, v in data:
                parts.append(f'<circle cx="{sx(n):.1f}" cy="{sy(v):.1f}" r="2.5" fill="{COLORS[lib]}"/>')
            legend_y = top + plot_h + 30 + 13 * number
            parts.append(f'<line x1="{left}" x2="{left + 24}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{COLORS[lib]}" '
                         f'stroke-width="2"{dash}/>')
            parts.append(f'<text x="{left + 30}" y="{legend_y}" fill="{COLORS[lib]}">'
                         f'{lib} {workload.replace("handwritten_", "floor ")}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "Guides/Resources/Performance"))
    parser.add_argument("--chart-only", metavar="RESULTS", help="redraw the chart from a results.jsonl")
    arguments = parser.parse_args()
    if arguments.chart_only:
        results = json_lines(Path(arguments.chart_only).read_text())
        Path(arguments.output).mkdir(parents=True, exist_ok=True)
        (Path(arguments.output) / "ns_per_item.svg").write_text(svg_chart(results))
        print(markdown(results))
        return

    # The whole release folder: Swift 6.3 reuses stale code across modules after changes to
    # inlinable code, and removing one module's folder alone leaves its build plan pointing at
    # files that are gone, which fails the next build.
    shutil.rmtree((ROOT / ".build/release").resolve(), ignore_errors=True)
    run(["swift", "build", "-c", "release", "--product", "benchmark"] + host_flags())
    results = json_lines(run([str(ROOT / ".build/release/benchmark")] + (["--quick"] if arguments.quick else [])))
    python = run(["bash", str(ROOT / "Scripts/setup-anchors.sh")]).strip()
    anchors = ROOT / "Scripts/anchors"
    sizes = {"inox": ["100", "1000"] if arguments.quick else ["100", "1000", "10000"],
             "penzai": ["10", "100"] if arguments.quick else ["10", "100", "1000"], "jax": ["1000000"],
             "safetensors": ["16"] if arguments.quick else ["256"]}
    sizes["inox_train"] = ["64", "256"]
    sizes["penzai_gemma"] = ["8"] if arguments.quick else ["8", "32", "56"]
    for lib, script in [("inox", "inox_workloads.py"), ("penzai", "penzai_workloads.py"), ("jax", "jax_workloads.py"),
                        ("safetensors", "safetensors_workloads.py"), ("inox_train", "inox_train_workloads.py"),
                        ("penzai_gemma", "penzai_gemma_workloads.py")]:
        results += json_lines(run([python, str(anchors / script)] + sizes[lib]))
    # The checkpoint workloads are bound by the disk, whose speed drifts: four more rounds of
    # the pair, one side straight after the other, for the median of their ratios.
    for _ in range(0 if arguments.quick else 4):
        results += json_lines(run([str(ROOT / ".build/release/benchmark"), "--only", "checkpoint"]))
        results += json_lines(run([python, str(anchors / "safetensors_workloads.py")] + sizes["safetensors"]))

    output = Path(arguments.output)
    output.mkdir(parents=True, exist_ok=True)
    (output / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
    (output / "ns_per_item.svg").write_text(svg_chart(results))
    print(f"Machine: {machine()}\n")
    print(markdown(results))
    print(f"\nWrote {output / 'results.jsonl'} and {output / 'ns_per_item.svg'}.")


if __name__ == "__main__":
    main()
