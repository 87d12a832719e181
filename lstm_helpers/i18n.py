"""The reader's language: one table of every text the package shows, keyed by language.

The course has two editions, English (``"en"``) and Chinese (``"zh"``), with the same code. Each
chapter's ``parameters`` cell sets the language; the next cell calls ``set_language``. From then on
widget labels, figure titles and axes, readouts, exercise messages and the errors a student can meet
come from the table in ``lstm_helpers/texts/*.toml``: one file per part of the package, each entry a
key with its English and Chinese text::

    [training]
    en = "training {cell}"
    zh = "训练 {cell}"

The key of that entry in ``texts/train.toml`` is ``"train.training"``; ``tr("train.training",
cell="LSTM")`` gives the text in the current language with its fields filled in (``str.format``; a text
is returned as it is when no fields are given, so write ``h_{t-1}`` there, ``h_{{t-1}}`` with fields).

Chinese figures need a font with Chinese glyphs, which matplotlib's default (DejaVu Sans) lacks:
``set_language("zh")`` registers the subset of Noto Sans SC kept in ``lstm_helpers/fonts`` (SIL Open
Font License: Chinese, Latin and Greek letters, digits) and puts it first in matplotlib's font families
(mathtext does not fall back), DejaVu Sans second for the signs the subset leaves out (‖, ∂, →);
``set_language("en")`` restores the families it found.
"""
import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "zh")
TEXTS = Path(__file__).resolve().parent / "texts"
FONT = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-course.otf"
FONT_FAMILY = "Noto Sans SC Course"

_state = {"language": "en", "saved_fonts": None}


@lru_cache(maxsize=1)
def table():
    """Every text of the package: {key: {"en": ..., "zh": ...}}, read once from texts/*.toml."""
    entries = {}
    for path in sorted(TEXTS.glob("*.toml")):
        with open(path, "rb") as f:
            for key, entry in tomllib.load(f).items():
                entries[f"{path.stem}.{key}"] = entry
    return entries


def language():
    """The current language, "en" or "zh"."""
    return _state["language"]


def set_language(lang):
    """Show every text of the package in ``lang`` ("en" or "zh") from now on.

    For "zh" this also registers the course's Chinese font with matplotlib and puts it first in the font
    families, so that figures drawn afterwards can show Chinese.
    """
    if lang not in LANGUAGES:
        raise ValueError(f'language must be one of {", ".join(map(repr, LANGUAGES))}; got {lang!r}')
    _use_fonts(lang)
    _state["language"] = lang


def tr(key, /, **fields):
    """The text under ``key`` in the current language, with ``fields`` filled in."""
    try:
        entry = table()[key]
    except KeyError:
        raise KeyError(f"no text {key!r} in lstm_helpers/texts") from None
    text = entry[_state["language"]]
    return text.format(**fields) if fields else text


def _use_fonts(lang):
    import matplotlib
    from matplotlib import font_manager
    rc = matplotlib.rcParams
    if lang == "zh":
        if FONT_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
            font_manager.fontManager.addfont(str(FONT))
        if _state["saved_fonts"] is None:
            _state["saved_fonts"] = (list(rc["font.family"]), list(rc["font.sans-serif"]))
        # matplotlib falls back glyph by glyph along font.family (not inside the sans-serif list): Chinese
        # first, then DejaVu Sans for the signs the subset leaves out.
        rc["font.family"] = [FONT_FAMILY, "DejaVu Sans"]
        rc["font.sans-serif"] = [FONT_FAMILY] + [f for f in rc["font.sans-serif"] if f != FONT_FAMILY]
    elif _state["saved_fonts"] is not None:
        rc["font.family"], rc["font.sans-serif"] = _state["saved_fonts"]
        _state["saved_fonts"] = None
