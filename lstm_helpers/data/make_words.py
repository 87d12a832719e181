"""How words.tsv was made (run once by hand; nothing at run time needs it).

The 2,000 most frequent words of English, German, French, Spanish and Italian that are alphabetic, at
least three letters long and absent from the other four languages' lists, taken from the "small" word
lists of wordfreq 3.1.1 (Robyn Speer, https://doi.org/10.5281/zenodo.7199437), whose data files are
licensed CC BY-SA 4.0; words.tsv is under the same licence. To rebuild it:

    pip download --no-deps wordfreq==3.1.1 msgpack==1.2.4 -d /tmp/wf
    (unzip both wheels into /tmp/wf/site)
    PYTHONPATH=/tmp/wf/site python make_words.py /tmp/wf/site/wordfreq/data > words.tsv

Each line is "language<TAB>word"; languages in the order en, de, fr, es, it, each list in order of
frequency, most frequent first.
"""
import gzip
import sys
from pathlib import Path

import msgpack

LANGUAGES = ("en", "de", "fr", "es", "it")
PER_LANGUAGE = 2000


def main(folder):
    everything, candidates = {}, {}
    for lang in LANGUAGES:
        with gzip.open(Path(folder) / f"small_{lang}.msgpack.gz") as f:
            header, *bins = msgpack.load(f, raw=False)      # bins of words, most frequent first
        words = [w for b in bins for w in b]
        everything[lang] = set(words)
        candidates[lang] = [w for w in words if w.isalpha() and len(w) >= 3]
    for lang in LANGUAGES:
        others = set().union(*(everything[o] for o in LANGUAGES if o != lang))
        for word in [w for w in candidates[lang] if w not in others][:PER_LANGUAGE]:
            sys.stdout.write(f"{lang}\t{word}\n")


if __name__ == "__main__":
    main(sys.argv[1])
