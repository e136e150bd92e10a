"""The fixed "hashed-ngram/1" tokenizer spec (the Java side implements the same)."""
import json
import os
import sys

import numpy as np

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MODELS)

from ovavss import tokenizer  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(MODELS), "src", "test", "resources", "golden", "demo")


def test_fnv1a32_reference_vectors():
    assert tokenizer.fnv1a32(b"") == 0x811C9DC5
    assert tokenizer.fnv1a32(b"a") == 0xE40C292C
    assert tokenizer.fnv1a32(b"foobar") == 0xBF9CF968


def test_words_and_features():
    assert tokenizer.words("A photo of a Red-Circle.") == ["a", "photo", "of", "a", "red", "circle"]
    assert tokenizer.words("Café_au lait!") == ["café", "au", "lait"]
    assert tokenizer.words("ÀB") == ["Àb"]  # only ASCII A-Z is lower-cased
    assert tokenizer.words("  ,;  ") == []
    assert tokenizer.features("Hi") == ["w:hi", "t:<hi", "t:hi>"]
    assert tokenizer.features("x") == ["w:x", "t:<x>"]
    assert tokenizer.features("日本") == ["w:日本", "t:<日本", "t:日本>"]


def test_encode_layout():
    assert tokenizer.encode("") == [1, 2] + [0] * 62
    ids = tokenizer.encode("Hi")
    expect = [3 + tokenizer.fnv1a32(f.encode("utf-8")) % 8189 for f in ["w:hi", "t:<hi", "t:hi>"]]
    assert ids[:5] == [1] + expect + [2] and ids[5:] == [0] * 59
    assert all(3 <= i < 8192 for i in expect)
    long = tokenizer.encode("word " * 40)
    assert len(long) == 64 and long[-1] == 2 and 0 not in long and long[0] == 1
    assert tokenizer.encode("red-circle") == tokenizer.encode("RED circle")


def test_committed_golden_ids_match():
    with open(os.path.join(GOLDEN, "manifest.json"), encoding="utf-8") as f:
        man = json.load(f)
    ids = np.load(os.path.join(GOLDEN, "tokenizer_ids.npy"))
    strings = man["tokenizer_strings"]
    assert len(strings) >= 20 and "" in strings
    assert ids.dtype == np.int64 and ids.shape == (len(strings), 64)
    for s, row in zip(strings, ids):
        assert tokenizer.encode(s) == row.tolist(), s
