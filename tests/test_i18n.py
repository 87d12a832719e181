"""The table of texts: every key in both languages, the same fields, and a font that can draw them."""
import re
import string
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from lstm_helpers import i18n
from lstm_helpers.i18n import set_language, tr

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture
def zh():
    set_language("zh")
    yield
    set_language("en")


def fields(text):
    return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name is not None})


@pytest.mark.parametrize("key", sorted(i18n.table()))
def test_every_text_is_in_both_languages_with_the_same_fields(key):
    entry = i18n.table()[key]
    assert set(entry) == set(i18n.LANGUAGES), f"{key}: languages {sorted(entry)}, expected {i18n.LANGUAGES}"
    en, zh = entry["en"], entry["zh"]
    assert isinstance(en, str) and isinstance(zh, str) and en.strip() and zh.strip(), f"{key}: an empty text"
    assert fields(en) == fields(zh), f"{key}: fields {fields(en)} in English, {fields(zh)} in Chinese"
    if CJK.search(en):
        # English texts may quote the tutorial's Chinese terms, but only beside English words
        assert re.search(r"[A-Za-z]{3}", en), f"{key}: the English text is Chinese"


def test_the_tables_are_valid_and_their_keys_unique():
    # tomllib rejects a key defined twice in one file; the stem prefix keeps files apart
    stems = [p.stem for p in i18n.TEXTS.glob("*.toml")]
    assert len(stems) == len(set(stems))
    assert all(key.split(".", 1)[0] in stems for key in i18n.table())


def test_the_fonts_have_every_character_of_the_chinese_texts():
    """The course's subset, or DejaVu Sans after it (matplotlib falls back glyph by glyph along font.family)."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties
    have = set(TTFont(i18n.FONT)["cmap"].getBestCmap())
    have |= set(TTFont(font_manager.findfont(FontProperties(family="DejaVu Sans")))["cmap"].getBestCmap())
    missing = {c for entry in i18n.table().values() for c in entry["zh"] if ord(c) not in have and c not in "\n\t"}
    assert not missing, f"rebuild lstm_helpers/fonts with make_font.py: the fonts lack {''.join(sorted(missing))!r}"


def test_tr_fills_fields_and_names_a_missing_key(zh):
    assert tr("train.training", cell="LSTM") == "训练 LSTM"
    set_language("en")
    assert tr("train.training", cell="LSTM") == "training LSTM"
    with pytest.raises(KeyError, match="no text 'train.nothing' in lstm_helpers/texts"):
        tr("train.nothing")


def test_an_unknown_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="language must be one of 'en', 'zh'; got 'fr'"):
        set_language("fr")
    assert i18n.language() == "en"


def test_chinese_figures_draw_every_glyph_and_english_gets_its_fonts_back(zh):
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([-1, 0, 1], [-2, 1, 3], label="遗忘门 $f_t$")
    ax.set_title("细胞状态 $C_t$：−0.5 × 隐藏状态 → 输出门，候选值 C̃，‖W‖₂")
    ax.set_xlabel(tr("train.training", cell="GRU"))
    ax.legend()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fmt in ("png", "pdf", "svg"):
            fig.savefig(__import__("io").BytesIO(), format=fmt)
    assert not [str(w.message) for w in caught], [str(w.message) for w in caught]
    assert matplotlib.rcParams["font.family"][0] == i18n.FONT_FAMILY
    set_language("en")
    assert i18n.FONT_FAMILY not in matplotlib.rcParams["font.family"] + matplotlib.rcParams["font.sans-serif"]
