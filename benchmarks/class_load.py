"""A class at once: N students run the same chapter top to bottom at the same moment, each in a kernel of
their own, as on a JupyterHub where everyone presses Run All together.

    python benchmarks/class_load.py [--chapter 07_lstm_step_through.ipynb] [--students 1 2 4 8]

For each N it prints the median and the slowest wall time of the N runs, their ratio to one student alone,
and the peak memory (resident set) of a kernel, read inside the kernel after the chapter's last cell. On a
hub, a chapter's time for N students on C cores is about max(1, N / C) times its time alone, while memory
grows with N: size the server by memory per kernel times students, and by cores for the wait you accept.
"""
import argparse
import os
import statistics
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEAK = "import resource; print('__PEAK_MB__', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"


def one_student(path):
    """(seconds, peak MB of the kernel, problems) of one run of the chapter on a fresh kernel."""
    import nbformat
    from nbclient import NotebookClient
    sys.path.insert(0, str(ROOT / "tests"))
    from notebook_runner import problems_in
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK))
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []))
    peak = float(text.split("__PEAK_MB__")[1].split()[0])  # ru_maxrss is in KiB on Linux
    return seconds, peak, problems_in(nb)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapter", default="07_lstm_step_through.ipynb", help="a notebook under notebooks/")
    parser.add_argument("--students", type=int, nargs="+", default=[1, 2, 4, 8])
    args = parser.parse_args()
    path = ROOT / "notebooks" / args.chapter
    print(f"{args.chapter} on {os.cpu_count()} cores: N students run it at once, one kernel each")
    print(f"{'students':>8} {'median s':>9} {'slowest s':>10} {'x alone':>8} {'peak MB/kernel':>15}")
    alone = None
    for n in args.students:
        with Pool(n) as pool:
            runs = pool.map(one_student, [path] * n)
        problems = [p for _, _, ps in runs for p in ps]
        if problems:
            raise SystemExit(f"the chapter did not run cleanly: {problems[:3]}")
        seconds = [s for s, _, _ in runs]
        median = statistics.median(seconds)
        alone = alone or median
        peak = statistics.median(p for _, p, _ in runs)
        print(f"{n:8d} {median:9.1f} {max(seconds):10.1f} {median / alone:8.2f} {peak:15.0f}", flush=True)


if __name__ == "__main__":
    main()
