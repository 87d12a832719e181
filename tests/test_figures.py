"""images/ holds exactly what lstm_helpers.figures makes, each with its alt text."""
import html
import json
import re
from pathlib import Path

import pytest

from lstm_helpers import figures

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("folder", ["images", "images/zh"])
def test_images_folder_holds_only_generated_figures_with_alt_text(folder):
    if folder != "images" and not (ROOT / folder).is_dir():
        pytest.skip(f"{folder}/ not made yet (make images)")
    on_disk = {p.name for p in (ROOT / folder).iterdir() if not p.is_dir()}  # images/zh/: the Chinese edition's
    expected = {f"{name}.png" for name in figures.FIGURES} | {"README.md"}
    assert on_disk == expected, f"run `make images`; stray {on_disk - expected}, missing {expected - on_disk}"
    assert {p.name for p in (ROOT / folder).iterdir() if p.is_dir()} <= {"zh"}
    index = (ROOT / folder / "README.md").read_text(encoding="utf-8")
    for name in figures.FIGURES:
        assert f"- `{name}.png`: " in index


def test_write_all_makes_every_figure(tmp_path):
    paths = figures.write_all(tmp_path)
    assert len(paths) == len(figures.FIGURES) + 1
    for p in paths:
        assert p.stat().st_size > 1000 or p.suffix == ".md"
        if p.suffix == ".png":
            assert p.read_bytes()[:4] == b"\x89PNG"


def _index(folder="images"):
    """images/README.md (or the index of another ``folder``, images/zh/) as {stem: alt text}."""
    out = {}
    for line in (ROOT / folder / "README.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"- `(\w+)\.png`: (.*)", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def test_index_states_the_numbers_the_package_computes_today():
    """Alt texts carry computed numbers: a change to the math must regenerate them (make images)."""
    index = _index()
    for name, make in figures.FIGURES.items():
        _, alt = make()
        assert index[name] == alt, f"images/README.md is stale for {name}.png: run `make images`"


@pytest.mark.parametrize("folder", ["images", "images/zh"])
def test_every_chapter_image_carries_the_alt_text_of_the_index(folder):
    """Every <img> of a figure in ``folder`` (images/ in the English chapters, images/zh/ in the Chinese ones,
    notebooks/zh/) has as alt the text of that folder's index, HTML-escaped."""
    if folder != "images" and not (ROOT / folder / "README.md").exists():
        pytest.skip(f"{folder}/README.md not made yet (make images)")
    index = _index(folder)
    img = re.compile(r'<img src="(?:\.\./)+' + re.escape(folder) + r'/(\w+)\.png" alt="([^"]*)"')
    stale = []
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for stem, alt in img.findall("".join(cell["source"])):
                if html.unescape(alt) != index.get(stem):
                    stale.append(f"{path.relative_to(ROOT)}: {stem}.png")
    assert not stale, f"alt texts that differ from {folder}/README.md: {stale}"


# Legibility where a figure is shown: a text of s points in a figure w inches wide, displayed d pixels wide,
# reads as s * d / (w * 96) points. Nothing below 8 (DESIGN.md). Chapters 00, 01 and 03, and their explorers.
LEGIBLE_PT = 8.0
MY_CHAPTERS = ("00_overview", "01_rnn_structure", "03_lstm_network")


def _figure_of(stem):
    """(matplotlib Figure, chips painted on it or []) of the static figure ``stem``."""
    from lstm_helpers import diagrams, widgets
    makers = {
        "rnn_loop": lambda: diagrams.rnn_loop().figure, "rnn_unrolled": lambda: diagrams.rnn_unrolled().figure,
        "module_rnn": lambda: diagrams.repeating_module("rnn").figure,
        "module_lstm": lambda: diagrams.repeating_module("lstm").figure,
        "notation": lambda: diagrams.notation_legend().figure,
        "sequence_shapes": lambda: diagrams.sequence_shapes().figure,
        "cell_state": diagrams.cell_state_line, "gate": lambda: diagrams.gate([0.05, 0.5, 0.95], [1, 1, 1]),
        "gate_explorer": lambda: widgets.GateExplorer().cell,
        "rnn_stepper": lambda: widgets.SequenceStepper(cell="rnn").heat_axes[0].figure,
        **{f"lstm_{p}": (lambda p=p: diagrams.lstm_cell(highlight=p)) for p in ("forget", "input", "update", "output")},
    }
    obj = makers[stem]()
    if hasattr(obj, "chips"):
        return obj.figure, list(obj.chips.values()), obj.dpi
    return obj, [], None


def _smallest_pt(fig, chips, dpi, shown_px):
    """The smallest text of the figure, in points as it reads at ``shown_px`` pixels wide."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text
    FigureCanvasAgg(fig).draw()
    scale = shown_px / (fig.get_figwidth() * 96)
    sizes = [(t.get_fontsize() * (0.7 if re.search(r"\$.*[_^].*\$", t.get_text()) else 1.0), repr(t.get_text()))
             for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]  # mathtext: scripts at 0.7
    sizes += [(c.size_px(dpi) * 72 / dpi, "chip numbers") for c in chips]
    size, what = min(sizes)
    return size * scale, what


def _shown_images():
    for stem in MY_CHAPTERS:
        path = ROOT / "notebooks" / f"{stem}.ipynb"
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for img in re.findall(r'<img [^>]*>', "".join(cell["source"])):
                name = re.search(r'images/(\w+)\.png', img).group(1)
                width = re.search(r'width="(\d+)"', img)
                yield stem, name, int(width.group(1)) if width else None


@pytest.mark.parametrize("stem,name,width", list(_shown_images()), ids=lambda v: str(v))
def test_text_is_legible_where_the_chapter_shows_it(stem, name, width):
    assert width is not None, f"{stem}: give {name}.png a width, so its text size is known where it is shown"
    pt, what = _smallest_pt(*_figure_of(name), width)
    assert pt >= LEGIBLE_PT, f"{stem}: {name}.png at {width} px: {what} reads as {pt:.1f} pt"


def test_explorers_text_is_legible_at_their_display_width():
    from lstm_helpers import widgets
    g, s, r, d = (widgets.GateExplorer(), widgets.SequenceStepper(), widgets.SequenceStepper(cell="rnn"),
                  widgets.GateDemo())
    shown = [("GateExplorer", g.image, g.cell.figure, list(g.cell.chips.values()), g.cell.dpi),
             ("SequenceStepper cell", s.cell_image, s.diagram.figure, list(s.diagram.chips.values()), s.diagram.dpi),
             ("SequenceStepper heatmaps", s.heat_image, s.heat_axes[0].figure, [], None),
             ("RNN stepper heatmaps", r.heat_image, r.heat_axes[0].figure, [], None),
             ("GateDemo", d.image, d.diagram.figure, list(d.diagram.chips.values()), d.diagram.dpi)]
    for name, image, fig, chips, dpi in shown:
        px = int(image.layout.width.removesuffix("px"))
        pt, what = _smallest_pt(fig, chips, dpi, px)
        assert pt >= LEGIBLE_PT, f"{name} at {px} px: {what} reads as {pt:.1f} pt"
