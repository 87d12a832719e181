"""Chapter 09: what its prose says about its own run holds on that run (executed once per session).

The variants' steps written in the chapter against the package's, the 1997 cell that cannot reset, the bounded
coupled cell, colah's z, PyTorch's GRU as a different function, the parameter counts, the live ablation, the stack's
final states and the bidirectional layer's last step; the slow tests rerun benchmarks/variants.py, which the chapter
quotes.
"""

import numpy as np
import pytest
from conftest import load_benchmark

from lstm_helpers import frameworks, gru, lstm, rnn, tasks

CHAPTER = "09"


def test_the_variants_steps_written_in_the_chapter_are_the_packages(ch):
    """09-21, 09-31, 09-41 print their largest difference from lstm.step."""
    v = ch.values
    for name in ("diff_1997", "diff_peep", "diff_coupled"):
        assert v[name] < 1e-15, name
    assert "forget_gate=False" in ch.source("09-20") and "drawn as zeros: True" in ch.printed("09-31")


def test_the_1997_cell_cannot_reset_in_one_step(ch):
    """09-24: 'The standard cell is at 0.02 after one step. The 1997 cell needs three steps to come near 0 (2.01, 1.01,
    0.02) and then goes on past it to -2.96'."""
    std, old = np.array(ch.values["clearing"]["standard"]), np.array(ch.values["clearing"]["1997"])
    text = ch.source("09-24")
    assert f"The standard cell is at ${std[0]:.2f}$ after one step" in text and abs(std[0]) < 0.05
    assert f"(${old[0]:.2f}$, ${old[1]:.2f}$, ${old[2]:.2f}$)" in text
    assert 0 < old[2] < 0.05 and np.all(np.abs(old[:2]) > 0.9)       # three to come near 0, more to reach it
    assert "needs more than three steps to reach 0" in ch.source("09-22")
    assert np.all(np.diff(old) < -0.9) and f"past it to ${old[-1]:.2f}$" in text  # and on past it
    assert np.all(np.abs(np.diff(np.concatenate([[3.0], old]))) < 1)          # |i * C~| < 1 per step


def test_the_coupled_cell_stays_bounded_and_the_1997_cell_does_not(ch):
    """09-42 quotes the largest |C_t| of each cell over 300 steps."""
    c = ch.values["largest_c"]
    text = ch.source("09-42")
    assert f"ran up to ${c['1997 (no forget gate)']:.2f}$" in text and c["1997 (no forget gate)"] > 50
    assert f"stayed at ${c['standard']:.2f}$" in text
    assert f"$(-1, 1)$: ${c['coupled (i = 1 - f)']:.2f}$" in text and c["coupled (i = 1 - f)"] < 1


def test_colahs_z_is_one_minus_ours(ch):
    """09-52: 'Both differences are rounding, at the 16th digit'."""
    gap = ch.values["colah_gap"]
    assert gap["z"] < 1e-15 and gap["h"] < 1e-15
    assert "Both differences are rounding, at the 16th digit" in ch.source("09-52")


def test_pytorchs_gru_is_a_different_function(ch):
    """09-62: 'The gates agree, the candidates do not'; 09-64: 'In PyTorch's form only unit 2's candidate moved; in
    Cho's every unit's did'."""
    gap = ch.values["form_gap"]
    assert gap["z"] == 0 and gap["r"] == 0 and gap["n"] > 0.05 and gap["h"] > 0.01
    assert "The gates agree, the candidates do not" in ch.source("09-62")
    moved = {k: np.abs(np.array(v)) for k, v in ch.values["moved"].items()}
    assert moved["PyTorch"][1] > 0.1 and np.all(np.delete(moved["PyTorch"], 1) == 0)
    assert np.all(moved["Cho"] > 0.01)
    assert "In PyTorch's form only unit 2's candidate moved; in Cho's every unit's did" in ch.source("09-64")
    assert ch.values["round_trip"] is True


def test_the_parameter_counts_are_the_formulas_and_pytorchs(ch):
    """09-71's table and 09-72's sentence; PyTorch's numbers are checked against torch in test_frameworks-style when
    torch is installed (below)."""
    counts = ch.values["param_counts"]
    for label, (D, H) in {"D = 2, H = 16": (2, 16), "D = 96, H = 64": (96, 64)}.items():
        c, layer = counts[label], H * (H + D) + H
        assert c["RNN"] == [layer, layer + H]
        assert c["LSTM"] == [4 * layer, 4 * (layer + H)]
        for name in ("LSTM, 1997", "LSTM, coupled", "GRU (Cho et al.)"):
            assert c[name] == [3 * layer, None], name
        assert c["LSTM, peepholes"] == [4 * layer + 3 * H, None]
        assert c["GRU (PyTorch's form)"] == [3 * layer + H, 3 * (layer + H)]
    c = counts["D = 2, H = 16"]
    torch_gru = c["GRU (PyTorch's form)"][1]
    text = ch.source("09-72")
    assert (f"the LSTM has {c['LSTM'][0]} parameters" in text and f"and {c['LSTM, 1997'][0]} each" in text
            and f"count {c['LSTM'][1]} and {torch_gru}" in text)


def test_pytorchs_modules_have_the_counts_the_table_gives(ch):
    """When torch is installed: nn.RNN, nn.LSTM and nn.GRU count what 09-71 prints."""
    torch = pytest.importorskip("torch")
    for label, (D, H) in {"D = 2, H = 16": (2, 16), "D = 96, H = 64": (96, 64)}.items():
        c = ch.values["param_counts"][label]
        for name, module in (("RNN", torch.nn.RNN), ("LSTM", torch.nn.LSTM), ("GRU (PyTorch's form)", torch.nn.GRU)):
            assert sum(p.numel() for p in module(D, H).parameters()) == c[name][1], (label, name)


def test_the_chapters_counts_come_from_the_arrays(ch):
    """The counts are made by init_params and frameworks, not typed in: the same numbers from here."""
    rng = np.random.default_rng(0)
    p = lstm.init_params(2, 16, rng)
    assert sum(a.size for a in frameworks.to_pytorch(p).values()) == 1280
    assert sum(a.size for a in gru.init_params(2, 16, rng).values()) == 912
    assert sum(a.size for a in rnn.init_params(2, 16, rng).values()) == 304


# --- section 8: the ablation ---

def bench_table(adding, chars):
    """09-82's table from benchmarks/variants.py's runs: adding {name: [(mse, passed, ...) per seed]}, chars {name:
    [({400: bpc, 1200: bpc}, ms) per seed]} (a seed the test does not rerun may be missing at the end)."""
    rows = ["| cell | adding problem: validation MSE after 1500 updates | first below 0.01 at update (checked every 100) "
            "| characters: bits per character after 400 updates | after 1200 updates |", "|---|---|---|---|---|"]
    for name in adding:
        mse = ", ".join(f"{r[0]:.4f}" for r in adding[name])
        passed = ", ".join("never" if r[1] is None else str(r[1]) for r in adding[name])
        bpc = [", ".join(f"{b[m]:.3f}" for b, _ in chars[name]) for m in (400, 1200)]
        rows.append(f"| {name} | {mse} | {passed} | {bpc[0]} | {bpc[1]} |")
    return "\n".join(rows)


def test_the_live_ablation_uses_the_benchmarks_settings_and_says_what_it_shows(ch):
    """09-81 runs the benchmark's models with its settings (400 of 1500 updates); 09-82 says which were below 0.01."""
    bench = load_benchmark("variants")
    v = ch.values
    assert {k: list(m) for k, m in bench.MODELS.items()} == v["ABLATION"]
    assert {k: bench.ADDING[k] for k in ("T", "hidden", "batch", "lr")} == {k: v["adding"][k] for k in
                                                                              ("T", "hidden", "batch", "lr")}
    assert v["adding"]["steps"] == 400 and bench.ADDING["steps"] == 1500
    final = {name: r["val"][-1] for name, r in v["ablation"].items()}
    fast = [n for n in final if final[n] < 0.01]
    stuck = [n for n in final if final[n] > 0.17]
    assert fast == ["LSTM, coupled (i = 1 - f)", "GRU (Cho et al.)", "GRU (PyTorch's form)"]
    assert stuck == ["LSTM", "LSTM, no forget gate (1997)", "LSTM, peepholes", "RNN"]
    text = ch.source("09-82")
    gru_torch = final["GRU (PyTorch's form)"]
    assert (f"below 0.01 ({final['LSTM, coupled (i = 1 - f)']:.4f}, {final['GRU (Cho et al.)']:.4f} and "
            f"{gru_torch:.4f})") in text
    assert "while the LSTM, the 1997 cell and the peephole cell are still at the best constant's 0.18, as is the " \
           "RNN" in text


@pytest.mark.slow
def test_the_ablation_table_is_what_the_benchmark_measures(ch):
    """09-82 quotes benchmarks/variants.py: rerun the adding problem over its three seeds (about 4 minutes) and the
    character model for seed 0 (about 3 minutes; seeds 1 and 2, another 6, are left to the benchmark)."""
    bench = load_benchmark("variants")
    val = tasks.adding_problem(500, bench.ADDING["T"], np.random.default_rng(99))
    adding = {name: [bench.run_adding(name, seed, val) for seed in range(3)] for name in bench.MODELS}
    for name, r in ch.values["ablation"].items():  # the chapter's live run is seed 0's first 400 updates
        np.testing.assert_allclose(adding[name][0][3][:4], r["val"], rtol=1e-9)
    vocab, train_ids, val_ids, _, _ = load_benchmark("char_model").corpus()
    chars = {name: [bench.run_chars(name, 0, (vocab, train_ids, val_ids))] for name in bench.MODELS}
    text = ch.cell("09-82").source
    for line in bench_table(adding, chars).splitlines()[2:]:  # the whole adding columns; chars' first seed
        name, mse, passed, b400, b1200 = (cell.strip() for cell in line.strip("|").split("|"))
        row = next(r for r in text.splitlines() if r.startswith(f"| {name} |"))
        got = [cell.strip() for cell in row.strip("|").split("|")]
        assert got[:3] == [name, mse, passed], name
        assert got[3].startswith(b400 + ",") and got[4].startswith(b1200 + ","), name


def _table(ch):
    """09-82's table as {name: {"mse": [...], "passed": [... or None], 400: [...], 1200: [...]}}, seeds 0, 1, 2."""
    rows = {}
    for line in ch.cell("09-82").source.splitlines():  # the table, line by line
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("cell", "---"):
            continue
        name, mse, passed, b400, b1200 = cells
        rows[name] = {"mse": [float(v) for v in mse.split(", ")],
                      "passed": [None if v == "never" else int(v) for v in passed.split(", ")],
                      400: [float(v) for v in b400.split(", ")], 1200: [float(v) for v in b1200.split(", ")]}
    return rows


def _spread(values, fmt):
    return f"{min(values):{fmt}} to {max(values):{fmt}}"


def test_what_the_chapter_reads_in_the_table_is_in_the_table(ch):
    """09-82's reading, 09-qa's two answers and the summary, against the table (which the slow test reruns)."""
    t = _table(ch)
    assert len(t) == 7 and all(len(r[k]) == 3 for r in t.values() for k in ("mse", "passed", 400, 1200))
    text, qa, summary = ch.source("09-82"), ch.source("09-qa"), ch.source("09-sum")
    learned = {n: sum(p is not None for p in r["passed"]) for n, r in t.items()}
    assert learned.pop("LSTM, no forget gate (1997)") == 1 and learned.pop("RNN") == 0
    assert set(learned.values()) == {3}
    assert "except the 1997 cell, which learned on one seed of three; the RNN learned on none" in text
    assert "on one seed of three" in summary
    fast = [p for n in ("LSTM, coupled (i = 1 - f)", "GRU (Cho et al.)", "GRU (PyTorch's form)")
            for p in t[n]["passed"]]
    assert f"after {min(fast)} to {max(fast)} updates on every seed" in text
    assert f"the LSTM after {_spread(t['LSTM']['passed'], 'd')}" in text
    assert f"the peephole cell after {_spread(t['LSTM, peepholes']['passed'], 'd')}" in text
    first_four = ["GRU (Cho et al.)", "GRU (PyTorch's form)", "LSTM, coupled (i = 1 - f)", "LSTM"]
    rest = ["LSTM, no forget gate (1997)", "RNN", "LSTM, peepholes"]
    for seed in range(3):
        order = sorted(t, key=lambda n: t[n][1200][seed])
        assert order[:4] == first_four and sorted(order[4:6]) == sorted(rest[:2]) and order[6] == rest[2], seed
    assert len({tuple(sorted(rest[:2], key=lambda n: t[n][1200][s])) for s in range(3)}) > 1  # "changing with the seed"
    assert "overlap, their order changing with the seed, and the peephole cell came last on every seed" in text
    for name, words in zip(first_four + rest, ("the GRU in Cho's form (", "the GRU in PyTorch's form (",
                                              "the coupled cell (", "the LSTM (", "the 1997 cell (", "the RNN (",
                                              "the peephole cell came last on every seed (")):
        assert words + _spread(t[name][1200], ".3f") in text, name
    median = {n: float(np.median(r[1200])) for n, r in t.items()}
    gap = median["LSTM"] - median["LSTM, coupled (i = 1 - f)"]
    assert abs(gap - 0.05) < 0.005 and "by about 0.05 bits per character" in text
    assert max(t["RNN"][1200]) > min(t["LSTM, no forget gate (1997)"][1200])  # "no better than a plain RNN"
    assert (f"after 300 updates on every seed (the LSTM after {_spread(t['LSTM']['passed'], 'd')}), and "
            f"{median['GRU (Cho et al.)']:.3f} bits per character on the characters against the LSTM's "
            f"{median['LSTM']:.3f}") in qa and t["GRU (Cho et al.)"]["passed"] == [300] * 3
    peep, lstm_ = t["LSTM, peepholes"], t["LSTM"]
    assert (f"first below 0.01 after {_spread(peep['passed'], 'd')} updates, the LSTM after "
            f"{_spread(lstm_['passed'], 'd')} (later on two seeds, earlier on one); on the characters it reached "
            f"{median['LSTM, peepholes']:.3f} bits per character against the LSTM's {median['LSTM']:.3f} (medians), "
            "worse on every seed") in qa
    assert sorted(p > q for p, q in zip(peep["passed"], lstm_["passed"])) == [False, True, True]
    assert all(p > q for m in (400, 1200) for p, q in zip(peep[m], lstm_[m]))
    assert "hurt the character model, on every seed, and changed little on the adding problem" in text
    assert "made the character model worse on every seed and changed little on the adding problem" in summary
    assert ("the two GRUs came first and second on the characters on every seed, and on the adding problem PyTorch's "
            "form was the fastest") in summary  # first and second: the seed-by-seed order above
    fastest = min(p for n in t if n != "GRU (PyTorch's form)" for p in t[n]["passed"] if p is not None)
    assert max(t["GRU (PyTorch's form)"]["passed"]) < fastest
    coupled = t["LSTM, coupled (i = 1 - f)"]
    assert ("the coupled cell learned the adding problem faster than the LSTM and ended lower on both tasks, although "
            "after 400 updates of the character model it was still behind") in summary
    assert "(after 400 it was still behind the LSTM on every seed)" in text
    assert all(c > q for c, q in zip(coupled[400], lstm_[400]))
    assert all(c < q for c, q in zip(coupled["passed"], lstm_["passed"]))
    assert all(c < q for c, q in zip(coupled["mse"], lstm_["mse"])) and all(
        c < q for c, q in zip(coupled[1200], lstm_[1200]))
    assert "section 2's cell took three steps to come near 0, and then went on past it" in summary


def test_what_09_52_says_to_try_in_the_gru_explorer_happens():
    """'pull b_r far down and the candidate stops depending on h_{t-1} (move the h_{t-1} slider and watch n). Then
    pull b_z up: h_t sticks to h_{t-1} whatever the candidate says.' On the chapter's explorer, as it starts."""
    from lstm_helpers import widgets
    g = widgets.GRUExplorer()

    def n_over_h():
        ns = []
        for h in (-1.0, 1.0):
            g.sliders["h_prev[0]"].value = h
            ns.append(float(g.record.n[0]))
        return abs(ns[1] - ns[0])
    as_it_starts = n_over_h()
    g.sliders["b_r[0]"].value = g.sliders["b_r[0]"].min
    assert as_it_starts > 0.5 and n_over_h() < 0.02
    g.sliders["b_z[0]"].value = g.sliders["b_z[0]"].max
    for h in (-1.0, 0.3, 1.0):
        g.sliders["h_prev[0]"].value = h
        assert abs(float(g.record.h[0]) - h) < 0.01 and abs(float(g.record.n[0]) - h) > 0.1
