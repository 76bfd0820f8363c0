#!/usr/bin/env python3
"""`cairn build`'s start-up: wall and CPU of the whole process for a one-command buildspec, against baselines in the same run.

    bench/Cairn.Bench/Builds/startup.py [--against BASELINE_CAIRN] [--runs N] [--warmup N] CAIRN

CAIRN is a published binary (scripts/publish.sh -> artifacts/cairn), as users run it. Rows, run interleaved round by
round (each round runs every row once, in an order that rotates) so a change in the machine's load lands on all rows:
  - `cairn --version` of CAIRN: the runtime's own start-up, the floor any command pays;
  - `cairn build` of a one-command buildspec (echo) with CAIRN, on a data directory kept across runs (as a user's);
  - the same two with BASELINE_CAIRN when --against is given (e.g. main's binary published in a temp clone).
Each run's wall time is timed around fork/exec to exit, its CPU (user + system) is the rusage wait4 returns, which
includes the shell the build started. The table shows medians and the 25th-75th percentiles; ratios are of medians.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time


def run_once(argv, cwd):
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}")
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def quartiles(values):
    q = statistics.quantiles(values, n=4)
    return q[0], statistics.median(values), q[2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cairn")
    parser.add_argument("--against", help="baseline cairn binary, run in the same rounds")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="cairn-startup-")
    try:
        source = os.path.join(work, "src")
        os.mkdir(source)
        with open(os.path.join(source, "buildspec.yml"), "w") as f:
            f.write("version: 0.2\nphases:\n  build:\n    commands:\n      - echo step 0\n")
        binaries = [("cairn", os.path.abspath(args.cairn))]
        if args.against:
            binaries.insert(0, ("baseline", os.path.abspath(args.against)))
        rows = []
        for label, binary in binaries:
            data = os.path.join(work, "data-" + label)
            rows.append((f"{label}: cairn --version", [binary, "--version"]))
            rows.append((f"{label}: cairn build (1 command)", [binary, "build", "--source", source, "--data", data, "--project", "startup"]))

        for _ in range(args.warmup):
            for _, argv in rows:
                run_once(argv, work)
        walls = {name: [] for name, _ in rows}
        cpus = {name: [] for name, _ in rows}
        for i in range(args.runs):
            for name, argv in rows[i % len(rows):] + rows[:i % len(rows)]:
                wall, cpu = run_once(argv, work)
                walls[name].append(wall)
                cpus[name].append(cpu)

        load = os.getloadavg()
        print(f"{args.runs} rounds after {args.warmup} warm-ups, {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end\n")
        print("| row | wall median (p25-p75) | CPU median (p25-p75) |")
        print("|---|---:|---:|")
        for name, _ in rows:
            w, c = quartiles(walls[name]), quartiles(cpus[name])
            print(f"| {name} | {w[1]:.0f} ms ({w[0]:.0f}-{w[2]:.0f}) | {c[1]:.0f} ms ({c[0]:.0f}-{c[2]:.0f}) |")
        print()
        median = {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name, _ in rows}
        for label, _ in binaries:
            build, version = median[f"{label}: cairn build (1 command)"], median[f"{label}: cairn --version"]
            print(f"- {label}: build over --version: +{build[0] - version[0]:.0f} ms wall, +{build[1] - version[1]:.0f} ms CPU")
        if args.against:
            new, old = median["cairn: cairn build (1 command)"], median["baseline: cairn build (1 command)"]
            print(f"- cairn build, cairn / baseline: wall {new[0] / old[0]:.2f}x ({new[0] - old[0]:+.0f} ms), CPU {new[1] / old[1]:.2f}x ({new[1] - old[1]:+.0f} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
