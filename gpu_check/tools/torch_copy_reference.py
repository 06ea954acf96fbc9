#!/usr/bin/env python3
"""Reference figures for calibrating llm-gpu-check on a GPU: PyTorch's own
device-to-device copy (bytes read + written counted, as the hbm check counts
them) and pinned host<->device copies (bytes once, as the pcie check counts
them), timed with CUDA events: median of 10 samples of 20 copies after 3
warm-ups, on GPU 0.

    torch_copy_reference.py [--d2d MiB ...] [--pcie MiB ...]
"""
import argparse
import statistics

import torch


def median_gbps(bytes_per_copy, run_once, iterations=20, samples=10, warmup=3):
    for _ in range(warmup):
        run_once()
    torch.cuda.synchronize()
    results = []
    for _ in range(samples):
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iterations):
            run_once()
        stop.record()
        stop.synchronize()
        seconds = start.elapsed_time(stop) / 1e3
        results.append(bytes_per_copy * iterations / seconds / 1e9)
    return statistics.median(results), min(results), max(results)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--d2d", type=int, nargs="*", default=[512, 1024, 4096])
    parser.add_argument("--pcie", type=int, nargs="*", default=[256, 512])
    args = parser.parse_args()
    print(f"# torch {torch.__version__}, {torch.cuda.get_device_name(0)}")
    for mib in args.d2d:
        n = mib << 20
        src = torch.full((n,), 1, dtype=torch.uint8, device="cuda")
        dst = torch.empty_like(src)
        med, lo, hi = median_gbps(2 * n, lambda: dst.copy_(src))
        print(f"torch_d2d_copy {mib} MiB: median {med:.1f} GB/s (min {lo:.1f}, max {hi:.1f}), read+write bytes")
        del src, dst
    for mib in args.pcie:
        n = mib << 20
        host = torch.full((n,), 1, dtype=torch.uint8).pin_memory()
        dev = torch.empty(n, dtype=torch.uint8, device="cuda")
        med, lo, hi = median_gbps(n, lambda: dev.copy_(host, non_blocking=True))
        print(f"torch_h2d_pinned {mib} MiB: median {med:.1f} GB/s (min {lo:.1f}, max {hi:.1f})")
        med, lo, hi = median_gbps(n, lambda: host.copy_(dev, non_blocking=True))
        print(f"torch_d2h_pinned {mib} MiB: median {med:.1f} GB/s (min {lo:.1f}, max {hi:.1f})")
        del host, dev
    torch.cuda.synchronize()


if __name__ == "__main__":
    main()
