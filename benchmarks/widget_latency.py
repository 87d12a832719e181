"""How fast the explorers answer a slider: in the kernel, and in a real browser.

1. In process: the median time from assigning a slider's value to the new PNG being
   ready (compute + draw + encode), over 50 moves, for each explorer; beside it the
   same cell picture redrawn whole by matplotlib (savefig), as the naive way would.
2. In the browser (when Chromium is found): JupyterLab on notebooks/widgets_gallery.ipynb,
   Run All, then the median time from a real key press (ArrowRight on the explorer's
   first slider) to a new image decoded on the page, over 20 presses.

    python benchmarks/widget_latency.py [--moves 50] [--presses 20] [--no-browser]

Goals on our 2-core machine: GateExplorer and GRUExplorer <= 50 ms, SequenceStepper <= 80 ms in process;
key press to new image <= 150 ms in the browser. The PaddingExplorer (chapter 10) first trains its two word
models (about 10 s); its moves redraw a whole bar chart with matplotlib.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from lstm_helpers import plots, widgets

ROOT = Path(__file__).resolve().parents[1]


def median_ms(slider, values):
    times = []
    for v in values:
        t0 = time.perf_counter()
        slider.value = v
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def in_process(moves):
    print(f"in process: slider value -> new PNG ready, median of {moves} moves")
    print(f"{'explorer':>22} {'slider':>14} {'ms':>8} {'goal':>6}")
    g = widgets.GateExplorer()
    ms = median_ms(g.sliders["x[0]"], np.linspace(-2, 2, moves))
    print(f"{'GateExplorer':>22} {'x':>14} {ms:8.1f} {'50':>6}")
    # the same picture redrawn whole by matplotlib, for comparison
    fig = g.cell.figure
    times = []
    for _ in range(min(moves, 20)):
        t0 = time.perf_counter()
        plots.png_bytes(fig, dpi=80)
        times.append(time.perf_counter() - t0)
    naive = 1e3 * statistics.median(times)
    print(f"{'(whole redraw, savefig)':>22} {'':>14} {naive:8.1f} {'':>6}   ratio {ms / naive:.2f}")
    gr = widgets.GRUExplorer()
    ms = median_ms(gr.sliders["x[0]"], np.linspace(-2, 2, moves))
    print(f"{'GRUExplorer':>22} {'x':>14} {ms:8.1f} {'50':>6}")
    s = widgets.SequenceStepper()
    ms = median_ms(s.t, [1 + k % s.T for k in range(moves)])
    print(f"{'SequenceStepper':>22} {'step t':>14} {ms:8.1f} {'80':>6}")
    f = widgets.GradientFlowExplorer()
    ms = median_ms(f.radius, np.linspace(0.5, 1.5, moves))
    print(f"{'GradientFlowExplorer':>22} {'radius':>14} {ms:8.1f} {'-':>6}")
    d = widgets.GateDemo()
    ms = median_ms(d.gate, np.linspace(0, 1, moves))
    print(f"{'GateDemo':>22} {'gate value':>14} {ms:8.1f} {'-':>6}")
    fs = widgets.ForgetSurvivalExplorer()
    ms = median_ms(fs.forget_bias, np.linspace(-2, 6, moves))
    print(f"{'ForgetSurvivalExplorer':>22} {'forget bias':>14} {ms:8.1f} {'-':>6}")
    times = []
    for _ in range(min(moves, 20)):
        t0 = time.perf_counter()
        plots.png_bytes(fs.figure, dpi=80)
        times.append(time.perf_counter() - t0)
    print(f"{'(whole redraw, savefig)':>22} {'':>14} {1e3 * statistics.median(times):8.1f}")
    gc = widgets.GradientCheckExplorer()
    ms = median_ms(gc.eps, [10.0 ** (-12 + 0.5 * (k % 23)) for k in range(moves)])
    print(f"{'GradientCheckExplorer':>22} {'step eps':>14} {ms:8.1f} {'-':>6}")
    sa = widgets.SampleExplorer()
    temps = [round(0.2 + 0.1 * (k % 14), 1) for k in range(moves)]
    first = median_ms(sa.temperature, temps[:14])                # each temperature drawn for the first time
    again = median_ms(sa.temperature, temps)                     # every text already kept
    print(f"{'SampleExplorer':>22} {'temperature':>14} {first:8.1f} {'-':>6}   first time; {again:.1f} ms after")
    from lstm_helpers import figures, tasks
    models, alphabet, words_test, _ = figures._word_models()  # chapter 10's two word models (about 10 s to train)
    pe = widgets.PaddingExplorer(models, lambda ws, T: tasks.encode_words(ws, alphabet, T), words_test[:5],
                                 tasks.WORD_LANGUAGES)
    ms = median_ms(pe.padding, [1 + k % 30 for k in range(moves)])
    print(f"{'PaddingExplorer':>22} {'padding steps':>14} {ms:8.1f} {'-':>6}   runs both models on the padded word")
    assert all(w.last_error is None for w in (g, gr, s, f, d, fs, gc, sa, pe))


def in_browser(presses):
    sys.path.insert(0, str(ROOT / "tests"))
    import browser_harness as bh
    chromium = bh.find_chromium()
    if chromium is None:
        print("\nbrowser: skipped (no Chromium found)")
        return
    print(f"\nbrowser: key press -> new image decoded, median of {presses} presses (goal 150 ms)")
    with bh.jupyterlab() as (base, token, _), bh.browser_page(chromium) as page:
        bh.open_and_run_all(page, base, token, "widgets_gallery.ipynb")
        outputs = bh.explorer_outputs(page)
        names = ["GateExplorer", "GRUExplorer", "SequenceStepper", "GradientFlowExplorer", "GateDemo",
                 "ForgetSurvivalExplorer", "GradientCheckExplorer", "SampleExplorer"]  # in the gallery's order
        for k in range(outputs.count()):
            out = outputs.nth(k)
            out.scroll_into_view_if_needed()
            ms = bh.key_to_image_ms(page, out, presses=presses)
            print(f"{names[k] if k < len(names) else k:>22} {ms:8.1f} ms")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=50)
    ap.add_argument("--presses", type=int, default=20)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    in_process(args.moves)
    if not args.no_browser:
        in_browser(args.presses)


if __name__ == "__main__":
    main()
