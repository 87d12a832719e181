"""Shared fixtures: each notebook is executed at most once per test session."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_RUNS = {}


def load_benchmark(name):
    """The module benchmarks/<name>.py, so a test can rerun the runs a chapter quotes."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chapter_path(stem):
    """notebooks/<stem>.ipynb; ``stem`` may be a chapter number such as "02"."""
    matches = sorted((ROOT / "notebooks").glob(f"{stem}*.ipynb"))
    if len(matches) != 1:
        raise LookupError(f"expected one notebook for {stem!r}, found {[p.name for p in matches]}")
    return matches[0]


@pytest.fixture(scope="session")
def notebook_run():
    """notebook_run(stem or path) -> notebook_runner.Run, executed once per session and shared by every test."""
    from notebook_runner import run

    def get(stem):
        path = stem if isinstance(stem, Path) else chapter_path(stem)
        if path not in _RUNS:
            _RUNS[path] = run(path)
        return _RUNS[path]
    return get


@pytest.fixture(scope="module")
def ch(request, notebook_run):
    """The run of the chapter a claims module names in CHAPTER (e.g. "02"), which must have run cleanly."""
    r = notebook_run(request.module.CHAPTER)
    assert not r.problems, r.problems
    return r
