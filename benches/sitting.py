#!/usr/bin/env python3
"""One benchmark sitting: runners interleaved over several rounds.

Every runner speaks the shared contract (`../shared/bench/README.md`): given
a workloads directory and workload names, it prints
`<workload> <n> <median ns/op> <min ns/op>` per line. The first runner is
the reference; each other runner's ratio (its median / the reference's) is
reported per round and as the median over rounds. The header records what
the figures depend on: CPU model, kernel, date and the commit of each runner.

    benches/sitting.py --rounds 3 --workloads sync_add,async_seq \\
        deno_core=/path/deno_core_ref opwire@abc123=/path/overhead

Runners are interleaved (A, B, C, A, B, C, ...) so a machine that gets
slower or faster during the sitting moves every runner alike.
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(binary: str, workloads_dir: str, names: list) -> dict:
    """Medians (ns/op) by workload from one run of a runner."""
    out = subprocess.run(
        [binary, workloads_dir, *names], capture_output=True, text=True, check=True
    ).stdout
    medians = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] in names:
            medians[parts[0]] = float(parts[2])
    return medians


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runners", nargs="+", help="label=binary; the first is the reference")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workloads", required=True, help="comma-separated workload names")
    ap.add_argument("--dir", default=os.path.join(here, "../../shared/bench/workloads"))
    ap.add_argument(
        "--ref-alias",
        default="",
        help="name=ref_name,...: the reference's row ref_name stands for row name "
        "(startup_snapshot=startup compares opwire's snapshotted start-up with "
        "the reference's start-up)",
    )
    args = ap.parse_args()
    names = args.workloads.split(",")
    aliases = dict(a.split("=", 1) for a in args.ref_alias.split(",") if a)
    runners = [r.split("=", 1) for r in args.runners]

    print(f"CPU: {cpu_model()}; kernel {platform.release()}; "
          f"{os.cpu_count()} cores; {datetime.date.today()}; rounds: {args.rounds}")
    results = {label: [] for label, _ in runners}
    for round_no in range(args.rounds):
        for label, binary in runners:
            print(f"round {round_no + 1}: {label}", file=sys.stderr, flush=True)
            if label == runners[0][0] and aliases:
                # The reference runs each aliased row once, under its own name.
                asked = list(dict.fromkeys(aliases.get(n, n) for n in names))
                got = run(binary, args.dir, asked)
                results[label].append(
                    {n: got[aliases.get(n, n)] for n in names if aliases.get(n, n) in got}
                )
            else:
                results[label].append(run(binary, args.dir, names))

    ref = runners[0][0]
    print()
    header = "| workload | " + " | ".join(f"{label} (ns/op per round)" for label, _ in runners)
    header += "".join(f" | {label} / {ref} per round | median ratio" for label, _ in runners[1:])
    print(header + " |")
    print("|---" * (1 + len(runners) + 2 * (len(runners) - 1)) + "|")
    for name in names:
        cells = [name]
        for label, _ in runners:
            cells.append(" / ".join(f"{r.get(name, float('nan')):.2f}" for r in results[label]))
        for label, _ in runners[1:]:
            ratios = [
                r[name] / base[name]
                for r, base in zip(results[label], results[ref])
                if name in r and name in base
            ]
            cells.append(" / ".join(f"{x:.2f}" for x in ratios))
            cells.append(f"{statistics.median(ratios):.2f}" if ratios else "n/a")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
