#!/usr/bin/env python3
"""Golden CLIP-BPE ids for user-typed names that CLIP's text cleaning changes (accents in NFD,
non-breaking and other Unicode spaces, HTML entities once and twice escaped, curly quotes,
ligatures, full-width letters, non-Latin scripts, the literal special tokens), from the Python
reference tokenizer of make_test_bundle.py on the tiny bundle's merges file.

Run:  /usr/bin/python3 models/golden/tokenizer_clean_golden.py
Output: src/test/resources/golden/tokenizer_clean.json
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_test_bundle import CTX, RefTokenizer  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MERGES = os.path.join(ROOT, "src", "test", "resources", "bundles", "tiny", "tokenizer", "merges.txt")
OUT = os.path.join(ROOT, "src", "test", "resources", "golden", "tokenizer_clean.json")

CASES = [
    "cafe\u0301 cre\u0300me",            # NFD accents -> NFC
    "red\u00a0circle",                    # no-break space
    "blue\u2009square\u3000star",         # thin space, ideographic space
    "\u2003 green triangle \u202f",       # em space and narrow no-break space at the ends
    "rock &amp; roll",
    "rock &amp;amp; roll",                # escaped twice: CLIP unescapes twice
    "caf&eacute; &lt;3 &#233;&#x4e2d;",
    "&ampthe &copy2026 &bogus; &#0; &#128;",
    "it\u2019s a \u201cdog\u201d",        # curly quotes
    "\ufb01ddle \ufb02ute",               # ligatures
    "\uff24\uff4f\uff47 \uff11\uff12",     # full-width letters and digits
    "\u30d4\u30a2\u30ce",                  # Japanese
    "\u0441\u043e\u0431\u0430\u043a\u0430",  # Russian
    "\u0643\u0644\u0628",                  # Arabic
    "\u092a\u093f\u092f\u093e\u0928\u094b",  # Hindi (vowel signs are marks, not letters)
    "a photo of a <|endoftext|> dog",
    "\u00c9MERGENCY-CAR",
]


def main():
    merges = []
    with open(MERGES, encoding="utf-8") as f:
        f.readline()
        for line in f:
            line = line.rstrip("\n")
            if line:
                a, b = line.split(" ")
                merges.append((a, b))
    tok = RefTokenizer(merges)
    golden = [{"text": c, "clean": __import__("make_test_bundle").clean(c), "ids": tok.tokenize(c)} for c in CASES]
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"context_length": CTX, "cases": golden}, f, ensure_ascii=True, indent=1)
    print("wrote", len(golden), "cases to", OUT)


if __name__ == "__main__":
    main()
