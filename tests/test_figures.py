"""images/ holds exactly what lstm_helpers.figures makes, each with its alt text."""
import html
import json
import re
from pathlib import Path

from lstm_helpers import figures

ROOT = Path(__file__).resolve().parents[1]


def test_images_folder_holds_only_generated_figures_with_alt_text():
    on_disk = {p.name for p in (ROOT / "images").iterdir()}
    expected = {f"{name}.png" for name in figures.FIGURES} | {"README.md"}
    assert on_disk == expected, f"run `make images`; stray {on_disk - expected}, missing {expected - on_disk}"
    index = (ROOT / "images" / "README.md").read_text(encoding="utf-8")
    for name in figures.FIGURES:
        assert f"- `{name}.png`: " in index


def test_write_all_makes_every_figure(tmp_path):
    paths = figures.write_all(tmp_path)
    assert len(paths) == len(figures.FIGURES) + 1
    for p in paths:
        assert p.stat().st_size > 1000 or p.suffix == ".md"
        if p.suffix == ".png":
            assert p.read_bytes()[:4] == b"\x89PNG"


def _index():
    """images/README.md as {stem: alt text}."""
    out = {}
    for line in (ROOT / "images" / "README.md").read_text(encoding="utf-8").splitlines():
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


def test_every_chapter_image_carries_the_alt_text_of_the_index():
    index = _index()
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"])
            for stem, alt in re.findall(r'<img src="(?:\.\./)+images/(\w+)\.png" alt="([^"]*)"', text):
                assert html.unescape(alt) == index[stem], f"{path.name}: alt text of {stem}.png differs from images/README.md"
