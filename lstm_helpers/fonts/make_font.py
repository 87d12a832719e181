"""How NotoSansSC-course.otf was made (run once by hand; nothing at run time needs it).

matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so the Chinese edition brings its own:
a subset of Noto Sans CJK SC Regular (SIL Open Font License 1.1, see OFL.txt) holding the Chinese
characters of GB 2312 (the 6,763 hanzi of levels 1 and 2), CJK and full-width punctuation, Chinese
quotation marks, every Chinese character of the package's text table, and ASCII, Latin-1, Greek and the
minus sign: mathtext does not fall back to another font, and tick labels ($\\mathdefault{10^{-3}}$) take
their digits from the first family. Arrows and mathematical signs (‖, ∂, →), which Noto draws full-width,
are left to DejaVu Sans, second in matplotlib's family list (lstm_helpers.i18n).
The family is renamed "Noto Sans SC Course" so that matplotlib never mistakes it for a full Noto font
installed on the machine. To rebuild it from Debian's package (the font the browser tests also use):

    apt-get download fonts-noto-cjk=1:20220127+repack1-1
    dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    python make_font.py /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

tests/test_i18n.py fails if a Chinese text in the table has a character that neither this file nor
DejaVu Sans has: rebuild it after adding texts with new characters.
"""
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent
FAMILY = "Noto Sans SC Course"
OUT = HERE / "NotoSansSC-course.otf"


CJK = [(0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)]
CHINESE_PUNCTUATION = "“”‘’…—"


def chinese(c):
    return any(a <= ord(c) <= b for a, b in CJK) or c in CHINESE_PUNCTUATION


def gb2312():
    """Every character GB 2312 encodes (rows 1-9 symbols, 16-87 hanzi)."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, col]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def table_characters():
    """Every character of the Chinese texts in lstm_helpers/texts."""
    sys.path.insert(0, str(HERE.parent.parent))
    from lstm_helpers import i18n
    return {c for entry in i18n.table().values() for c in entry["zh"]}


def wanted():
    latin = {chr(c) for a, b in [(0x20, 0x7E), (0xA0, 0xFF), (0x370, 0x3FF)] for c in range(a, b + 1)} | {"\u2212"}
    return latin | {c for c in gb2312() | table_characters() | set(CHINESE_PUNCTUATION) if chinese(c)}


def main(ttc):
    collection = TTCollection(ttc)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    cmap = font.getBestCmap()
    unicodes = sorted(ord(c) for c in wanted() if ord(c) in cmap)
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["vhea", "vmtx", "VORG", "DSIG"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            names.setName(FAMILY + " Regular", 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName("NotoSansSCCourse-Regular", 6, record.platformID, record.platEncID,
                          record.langID)
    font.save(OUT)
    print(f"{OUT.name}: {len(unicodes)} characters, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1])
