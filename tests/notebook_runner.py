"""Execute a notebook on a fresh kernel and list what a student would see go wrong.

``run`` also reads the run's results back: after the last cell it evaluates a probe in the
same kernel that turns every plain global (None, numbers, strings, small numeric arrays, and lists,
tuples and dicts of them) into JSON. The claims tests assert on those values, so a sentence a
chapter says about its run is checked on that very run.
"""
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

# Text in a stderr stream that means something went wrong (warnings print there).
WARNING_MARKERS = ("Warning", "Error", "Traceback")
MARK = "__NOTEBOOK_VALUES__"

PROBE = r'''
def _probe_values():
    import json, numbers
    import numpy as np

    def plain(v, depth=0):
        if depth > 5:
            raise TypeError
        if v is None:
            return None
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        if isinstance(v, numbers.Integral):
            return int(v)
        if isinstance(v, numbers.Real):
            return float(v)
        if isinstance(v, str):
            return v
        if isinstance(v, np.ndarray) and v.dtype.kind in "biuf" and v.size <= 100_000:
            return v.astype(float).tolist() if v.dtype.kind == "f" else v.tolist()
        if isinstance(v, (list, tuple)):
            return [plain(e, depth + 1) for e in v]
        if isinstance(v, dict):
            out = {}
            for k, e in v.items():
                try:
                    out[str(k)] = plain(e, depth + 1)
                except TypeError:
                    pass
            return out
        raise TypeError
    found = {}
    for name, v in list(globals().items()):
        if name.startswith("_"):
            continue
        try:
            found[name] = plain(v)
        except TypeError:
            pass
    return json.dumps(found)
print("''' + MARK + r'''" + _probe_values())
'''


def problems_in(nb):
    """Error outputs and warnings printed to stderr, cell by cell."""
    found = []
    for k, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {k}: {out.get('ename')}: {out.get('evalue')}")
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", ""))
                if any(m in text for m in WARNING_MARKERS):
                    found.append(f"cell {k}: stderr: {text.strip()[:500]}")
    return found


@dataclass
class Run:
    """One executed notebook: its cells with outputs, what went wrong, its time and its globals."""
    nb: object
    problems: list
    seconds: float
    values: dict = field(default_factory=dict)

    def cell(self, cell_id):
        for c in self.nb.cells:
            if c.get("id") == cell_id:
                return c
        raise KeyError(f"no cell with id {cell_id!r}")

    def source(self, cell_id):
        """The text of a cell (the chapter's prose for a markdown cell), white space folded."""
        return " ".join(self.cell(cell_id).source.split())

    def printed(self, cell_id):
        """Everything a code cell printed to stdout, as one string."""
        return "".join(o.get("text", "") for o in self.cell(cell_id).get("outputs", [])
                       if o.get("output_type") == "stream" and o.get("name") == "stdout")

    @property
    def prose(self):
        """Every markdown cell, white space folded, as one string."""
        return " ".join(" ".join(c.source.split()) for c in self.nb.cells if c.cell_type == "markdown")


def run(path, cell_timeout=300, probe=True):
    """Run every cell of the notebook at ``path`` in its own folder, on a fresh python3 kernel.

    Returns a Run; nothing is written to disk. ``values`` holds the notebook's plain globals
    after the last cell (empty if a cell failed or ``probe`` is False).
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    n_cells = len(nb.cells)
    if probe:
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    problems = []
    try:
        client.execute()
    except CellTimeoutError as exc:
        problems.append(f"a cell ran past {cell_timeout} s: {str(exc)[:300]}")
    except CellExecutionError:
        pass  # the error output is in the notebook; problems_in reports it
    seconds = time.perf_counter() - start
    values = {}
    if probe:
        probe_cell = nb.cells.pop()
        if len(nb.cells) == n_cells:
            for out in probe_cell.get("outputs", []):
                text = out.get("text", "")
                if out.get("output_type") == "stream" and text.startswith(MARK):
                    values = json.loads(text[len(MARK):])
    problems += problems_in(nb)
    return Run(nb, problems, seconds, values)


def execute(path, cell_timeout=300):
    """(nb, problems, seconds) of ``run`` without reading the globals back."""
    r = run(path, cell_timeout, probe=False)
    return r.nb, r.problems, r.seconds


def timing(name):
    """Wall-clock times (a chapter's "ms per update", "char_seconds") differ from run to run."""
    return name == "ms" or name.endswith(("_ms", "seconds"))


def plain(v):
    """The numbers of a probe value (strings, which are the language's, and timings left out)."""
    if isinstance(v, dict):
        return {k: plain(e) for k, e in v.items() if not isinstance(e, str) and not timing(k)}
    if isinstance(v, list):
        return [plain(e) for e in v if not isinstance(e, str)]
    return v


def same(a, b, where="value"):
    """Assert two probe values are equal: the same keys and lengths, floats to 1e-9 (NaN equals NaN)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), f"{where}: keys differ"
        for k in a:
            same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{where}: lengths differ"
        try:
            np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-9,
                                       err_msg=where)
        except (ValueError, TypeError):
            for k, (x, y) in enumerate(zip(a, b)):
                same(x, y, f"{where}[{k}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12) or (a != a and b != b), f"{where}: {a} vs {b}"
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def assert_same_numbers(a, b):
    """Assert two runs' probe values hold the same numbers (their strings and timings left out)."""
    a = {k: plain(v) for k, v in a.items() if not isinstance(v, str) and not timing(k)}
    b = {k: plain(v) for k, v in b.items() if not isinstance(v, str) and not timing(k)}
    assert a.keys() == b.keys(), f"globals differ: {sorted(a.keys() ^ b.keys())}"
    for name in a:
        same(a[name], b[name], name)
