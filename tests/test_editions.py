"""The English and Chinese editions: one code, two proses.

notebooks/zh/ mirrors notebooks/ file for file and cell for cell: the code cells are identical except the
one tagged `parameters`, which sets the language; the markdown is translated and quotes every number the
English quotes; the Chinese uses the glossary's terms (docs/glossary.md); every link and image resolves.
Both editions are executed by test_notebooks.py; here the Chinese run must compute what the English run
computes, so every claim its chapter's claims tests check on the English run holds for the Chinese one.
"""
import json
import re
from pathlib import Path

import pytest
from notebook_runner import assert_same_numbers

ROOT = Path(__file__).resolve().parents[1]
EN = sorted((ROOT / "notebooks").glob("*.ipynb"))
ZH_DIR = ROOT / "notebooks" / "zh"
ZH = sorted(ZH_DIR.glob("*.ipynb"))
PAIRS = [(ZH_DIR / p.name, p) for p in EN if (ZH_DIR / p.name).exists()]
PAIR_IDS = [p.name for _, p in PAIRS]
PARAMETERS = {"en": 'LANGUAGE = "en"  # this edition\'s language: "en" or "zh"',
              "zh": 'LANGUAGE = "zh"  # 本版本的语言："en" 或 "zh"'}
HEADINGS = {"## Setup": "## 准备", "## Questions students ask": "## 学生常问的问题", "## Summary": "## 小结",
            "## Exercises": "## 练习"}


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text(cell):
    return "".join(cell["source"])


def numbers(s):
    """The digit runs of a text, commas inside numbers dropped (1,797 -> 1797)."""
    return re.findall(r"\d+", re.sub(r"(?<=\d),(?=\d{3})", "", s))


def glossary():
    rows = [line.strip().strip("|").split("|") for line in (ROOT / "docs" / "glossary.md").read_text("utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| English") and "---" not in line]
    return [(en.strip(), zh.strip(), [w.strip() for w in avoid.split(",") if w.strip()]) for en, zh, avoid in rows]


def test_every_notebook_has_its_twin_in_the_other_edition():
    assert {p.name for p in ZH} == {p.name for p in EN}, "notebooks/ and notebooks/zh/ hold the same files"


@pytest.mark.parametrize("path", EN + ZH, ids=[str(p.relative_to(ROOT / "notebooks")) for p in EN + ZH])
def test_one_parameters_cell_sets_the_language_and_setup_applies_it(path):
    lang = "zh" if path.parent == ZH_DIR else "en"
    tagged = [c for c in cells(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{len(tagged)} cells tagged parameters"
    assert text(tagged[0]) == PARAMETERS[lang]
    code = [text(c) for c in cells(path) if c["cell_type"] == "code"]
    at = code.index(PARAMETERS[lang])
    assert "set_language(LANGUAGE)" in code[at + 1], "the Setup cell after the parameters cell calls set_language"
    first = text(cells(path)[0])
    twin = f"[English edition](../{path.name})" if lang == "zh" else f"[中文版](zh/{path.name})"
    assert twin in first, f"the first cell links to its twin: {twin}"


@pytest.mark.parametrize("zh, en", PAIRS, ids=PAIR_IDS)
def test_the_code_is_the_same_in_both_editions(zh, en):
    a, b = cells(en), cells(zh)
    assert [(c["cell_type"], c["id"]) for c in a] == [(c["cell_type"], c["id"]) for c in b], \
        "the same cells, with the same ids, in the same order"
    for ce, cz in zip(a, b):
        if ce["cell_type"] == "code" and text(ce) != PARAMETERS["en"]:
            assert text(cz) == text(ce), f"code cell {ce['id']} differs between the editions"
            assert cz.get("metadata", {}) == ce.get("metadata", {}), f"cell {ce['id']}: metadata differs"


@pytest.mark.parametrize("zh, en", PAIRS, ids=PAIR_IDS)
def test_the_chinese_prose_quotes_every_number_the_english_quotes(zh, en):
    for ce, cz in zip(cells(en), cells(zh)):
        if ce["cell_type"] != "markdown":
            continue
        have = numbers(text(cz))
        lost = [n for n in numbers(text(ce)) if n not in have or have.remove(n)]
        assert not lost, f"markdown cell {ce['id']}: the Chinese lacks the numbers {lost}"


@pytest.mark.parametrize("zh, en", PAIRS, ids=PAIR_IDS)
def test_the_chinese_headings_match_the_english(zh, en):
    for ce, cz in zip(cells(en), cells(zh)):
        first = (text(ce).splitlines() or [""])[0]
        if ce["cell_type"] == "markdown" and first in HEADINGS:
            assert text(cz).splitlines()[0] == HEADINGS[first], f"cell {ce['id']}: {first} is {HEADINGS[first]}"
    title = text(cells(zh)[0]).splitlines()[0]
    assert re.fullmatch(r"# (\d\d · )?\S.* \(.+\)", title), f"title {title!r}: '# NN · 中文标题 (English title)'"


def test_the_chinese_edition_uses_the_glossarys_terms_only():
    from lstm_helpers import i18n
    prose = {p.name: "\n".join(text(c) for c in cells(p) if c["cell_type"] == "markdown") for p in ZH}
    prose["lstm_helpers/texts"] = "\n".join(e["zh"] for e in i18n.table().values())
    prose["README.zh.md"] = (ROOT / "README.zh.md").read_text("utf-8") if (ROOT / "README.zh.md").exists() else ""
    used = [(where, word, zh) for en, zh, avoid in glossary() for word in avoid
            for where, s in prose.items() if word in s]
    assert not used, "\n".join(f"{where}: {word!r}; the glossary says {zh!r}" for where, word, zh in used)


LINK = re.compile(r"""(?:\]\(|src=["'])([^)"'#\s]+)""")


@pytest.mark.parametrize("path", EN + ZH, ids=[str(p.relative_to(ROOT / "notebooks")) for p in EN + ZH])
def test_every_link_and_image_resolves(path):
    broken = []
    for c in cells(path):
        if c["cell_type"] != "markdown":
            continue
        for target in LINK.findall(text(c)):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            if not (path.parent / target).exists():
                broken.append(f"{c['id']}: {target}")
    assert not broken, "links to nothing:\n" + "\n".join(broken)
    if path.parent == ZH_DIR:
        images = [t for c in cells(path) if c["cell_type"] == "markdown" for t in LINK.findall(text(c))
                  if t.endswith(".png")]
        assert all(t.startswith("../../images/zh/") for t in images), "the Chinese edition shows the Chinese figures"


@pytest.mark.parametrize("zh, en", PAIRS, ids=PAIR_IDS)
def test_the_chinese_run_computes_what_the_english_run_computes(zh, en, notebook_run):
    ren, rzh = notebook_run(en), notebook_run(zh)
    assert not rzh.problems, "\n".join(rzh.problems)
    assert_same_numbers(ren.values, rzh.values)


def title(path):
    """A chapter's title as its first line gives it: "04 · The forget gate (遗忘门)"."""
    return text(cells(path)[0]).splitlines()[0].lstrip("# ").strip()


@pytest.mark.parametrize("path", EN + ZH, ids=[str(p.relative_to(ROOT / "notebooks")) for p in EN + ZH])
def test_links_to_a_chapter_call_it_by_its_title(path):
    wrong = []
    for c in cells(path):
        for label, target in re.findall(r"\[(\d\d · [^\]]+)\]\((\d\d_\w+\.ipynb)\)", text(c)):
            full = title(path.parent / target)  # the link may leave out the name in brackets
            if (path.parent / target).exists() and label not in (full, re.sub(r"\s*\([^()]*\)$", "", full)):
                wrong.append(f"{c['id']}: [{label}]({target}) for {title(path.parent / target)!r}")
    assert not wrong, "\n".join(wrong)


CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’…—]")
BLOCK = re.compile(r"^\s*([-*+] |\d+\. |\||#|>|<|\$\$|```)")


@pytest.mark.parametrize("path", ZH + [ROOT / "README.zh.md"], ids=[p.name for p in ZH] + ["README.zh.md"])
def test_no_line_break_inside_a_chinese_sentence(path):
    """A line break between two Chinese characters shows as a stray space in the browser: write each
    paragraph of Chinese on one line (a break next to Latin text or math is fine: there a space belongs)."""
    texts = ([text(c) for c in cells(path) if c["cell_type"] == "markdown"] if path.suffix == ".ipynb"
             else [path.read_text("utf-8")])
    found = []
    for t in texts:
        fenced = False
        lines = t.split("\n")
        for prev, line in zip(lines, lines[1:]):
            fenced ^= prev.startswith("```") or prev.strip() == "$$"
            a, b = prev.rstrip("*_"), line.lstrip("*_")
            if (not fenced and a and b and not BLOCK.match(line) and not BLOCK.match(prev)
                    and CJK.match(a[-1]) and CJK.match(b[0])):
                found.append(f"{prev[-20:]!r} / {line[:20]!r}")
    assert not found, "join these lines:\n" + "\n".join(found[:20])
