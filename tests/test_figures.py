"""images/ holds exactly what lstm_helpers.figures makes, each with its alt text."""
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
