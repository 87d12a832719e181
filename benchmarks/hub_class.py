"""A class on a real JupyterHub on this machine: N students log in at once, get the course with its
nbgitpuller link, then all run the same chapter at the same moment, each in their own server.

    python benchmarks/hub_class.py [--chapter 07] [--students 1 2 4 8]

The hub is the one tests/test_hub.py starts (tests/hub_harness.py: JupyterHub with configurable-http-proxy,
deploy/jupyterhub/course_config.py, the simple local spawner). It prints, for each N: how long the class
waited for its servers (all started at once), the median and slowest time of the chapter, their ratio to
one student alone, and per student the memory of the JupyterLab server and the peak of the chapter's
kernel (resident set, VmRSS and VmHWM from /proc; Linux only). README.md's "Sizing a class" table and the
limits in deploy/jupyterhub/ come from this script.
"""
import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def processes_of(name):
    """{pid: "server" | "kernel"} of the student's processes (their environment names the hub user)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes()
            env = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"JUPYTERHUB_USER={name}".encode() not in env:
            continue
        if b"ipykernel" in cmd:
            found[int(entry.name)] = "kernel"
        elif b"jupyterhub-singleuser" in cmd:
            found[int(entry.name)] = "server"
    return found


def memory_mb(pid, field):
    """VmRSS (now) or VmHWM (peak) of a process, MB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class KernelPeaks(threading.Thread):
    """Polls the students' kernels while they run and keeps each student's highest VmHWM."""

    def __init__(self, names):
        super().__init__(daemon=True)
        self.names, self.peak, self.done = names, {n: 0.0 for n in names}, threading.Event()

    def run(self):
        while not self.done.wait(0.25):
            for name in self.names:
                for pid, kind in processes_of(name).items():
                    if kind == "kernel":
                        self.peak[name] = max(self.peak[name], memory_mb(pid, "VmHWM"))


def main():
    import subprocess
    import tempfile
    from urllib.parse import urlsplit

    import hub_harness as hh
    from browser_harness import course as load_course
    course = load_course()

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapter", default="07", help="a chapter number (default 07, the heaviest)")
    parser.add_argument("--students", type=int, nargs="+", default=[1, 2, 4, 8])
    args = parser.parse_args()
    proxy = hh.find_proxy()
    if proxy is None:
        raise SystemExit("configurable-http-proxy not found (python course.py test installs it with npm)")
    first = course.chapter_file(args.chapter)
    path = f"{course.COURSE_DIR}/{first}"
    with tempfile.TemporaryDirectory(prefix="lstm-class-") as tmp:
        upstream = Path(tmp) / "course"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(upstream)], check=True)
        branch = subprocess.run(["git", "-C", str(upstream), "rev-parse", "--abbrev-ref", "HEAD"], check=True,
                                capture_output=True, text=True).stdout.strip()
        query = urlsplit(course.nbgitpuller_link("https://hub", upstream.as_uri(), branch, args.chapter)).query
        env = {"LSTM_COURSE_REPO": upstream.as_uri(), "LSTM_COURSE_REF": branch,
               "LSTM_COURSE_DIR": course.COURSE_DIR, "LSTM_COURSE_FIRST": first}
        print(f"chapter {first} on a JupyterHub on {os.cpu_count()} cores: N students log in at once, then run it "
              f"at once, each in their own server")
        print(f"{'students':>8} {'servers s':>10} {'median s':>9} {'slowest s':>10} {'x alone':>8} "
              f"{'server MB':>10} {'kernel peak MB':>15} {'MB/student':>11}")
        alone = None
        for n in args.students:
            names = [f"student{k:02d}" for k in range(n)]
            with hh.jupyterhub(proxy, env) as hub:  # a fresh hub per class size: a cold start, as in class
                for name in names:
                    hub.add_student(name)
                start = time.perf_counter()
                with ThreadPoolExecutor(n) as pool:
                    list(pool.map(hub.start_server, names))
                    events = list(pool.map(lambda name: hub.git_pull(name, query), names))
                login = time.perf_counter() - start
                assert all(e[-1]["phase"] == "finished" for e in events), "every pull finished"
                peaks = KernelPeaks(names)
                peaks.start()
                with ThreadPoolExecutor(n) as pool:
                    runs = list(pool.map(lambda name: hh.run_chapter(hub, name, path), names))
                peaks.done.set()
                peaks.join()
                problems = [p for r in runs for p in r.problems]
                if problems:
                    raise SystemExit(f"the chapter did not run cleanly: {problems[:3]}")
                server = statistics.median(memory_mb(pid, "VmRSS") for name in names
                                           for pid, kind in processes_of(name).items() if kind == "server")
            seconds = [r.seconds for r in runs]
            median = statistics.median(seconds)
            alone = alone or median
            kernel = statistics.median(peaks.peak.values())
            print(f"{n:8d} {login:10.1f} {median:9.1f} {max(seconds):10.1f} {median / alone:8.2f} {server:10.0f} "
                  f"{kernel:15.0f} {server + kernel:11.0f}", flush=True)


if __name__ == "__main__":
    main()
