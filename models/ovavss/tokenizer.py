"""The demo text tokenizer "hashed-ngram/1" (fixed spec shared with the Java side; see models/README.md).

Words are maximal runs of ASCII [a-z0-9] or any non-ASCII code point after mapping 'A'-'Z' to lower
case. Each word w yields the feature "w:"+w and then every code-point trigram of "<"+w+">" as "t:"+tri.
id = 3 + FNV-1a-32(UTF-8 bytes) mod 8189; sequence = BOS(1) + ids + EOS(2), cut to 63 ids + EOS, padded
with 0 to 64.
"""
from typing import List

TYPE = "hashed-ngram/1"
VOCAB_SIZE = 8192
CONTEXT_LENGTH = 64
PAD, BOS, EOS = 0, 1, 2


def fnv1a32(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def _is_word_char(ch: str) -> bool:
    o = ord(ch)
    return o >= 128 or ("a" <= ch <= "z") or ("0" <= ch <= "9")


def words(text: str) -> List[str]:
    out, cur = [], []
    for ch in text:
        if "A" <= ch <= "Z":
            ch = chr(ord(ch) + 32)
        if _is_word_char(ch):
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def features(text: str) -> List[str]:
    feats = []
    for w in words(text):
        feats.append("w:" + w)
        b = "<" + w + ">"
        for i in range(len(b) - 2):
            feats.append("t:" + b[i:i + 3])
    return feats


def feature_id(feature: str) -> int:
    return 3 + fnv1a32(feature.encode("utf-8")) % (VOCAB_SIZE - 3)


def encode(text: str, context_length: int = CONTEXT_LENGTH) -> List[int]:
    ids = [BOS] + [feature_id(f) for f in features(text)]
    if len(ids) + 1 > context_length:
        ids = ids[:context_length - 1]
    ids.append(EOS)
    return ids + [PAD] * (context_length - len(ids))


def encode_batch(texts: List[str], context_length: int = CONTEXT_LENGTH):
    import torch
    return torch.tensor([encode(t, context_length) for t in texts], dtype=torch.int64)
