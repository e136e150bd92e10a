#!/usr/bin/env python3
"""Writes a tiny TorchScript test bundle (random weights, the real graph signatures of
MODEL_BUNDLE.md) for the Java tests, plus golden CLIP-BPE token ids from an independent Python
reference of CLIP's tokenizer run on a small merges file learned here from a toy corpus.

Nothing here is OpenAI's: the merges file is learned from the sentences below.

Run:  /usr/bin/python3 models/golden/make_test_bundle.py
Output: src/test/resources/bundles/tiny/
"""
import collections
import gzip
import hashlib
import html
import json
import os
import re
import unicodedata

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(1234)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "src", "test", "resources", "bundles", "tiny")

T, Q, D, R, CTX = 5, 6, 8, 16, 77
TEMPLATES = ["a photo of a {}.", "There is a {} in the scene", "This is a photo of a small {}."]
VOCAB = ["red circle", "blue square", "green triangle", "yellow star"]


# ----------------------------------------------------------------------------- tokenizer reference
def bytes_to_unicode():
    # printable latin-1 bytes map to themselves and come first (this order is the id order of
    # the 256 byte symbols); the other bytes map to code points 256+n and follow in byte order
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    table = {b: chr(b) for b in keep}
    n = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + n)
            n += 1
    return table


# \p{L} ~ [^\W\d_], \p{N} ~ \d for the test strings used here (ASCII + Latin-1 letters)
PAT = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+""", re.IGNORECASE)


_LIGATURES = {"\u0132": "IJ", "\u0133": "ij", "\u0149": "\u02bcn", "\u01c4": "D\u017d", "\u01c5": "D\u017e",
              "\u01c6": "d\u017e", "\u01c7": "LJ", "\u01c8": "Lj", "\u01c9": "lj", "\u01ca": "NJ", "\u01cb": "Nj",
              "\u01cc": "nj", "\u01f1": "DZ", "\u01f2": "Dz", "\u01f3": "dz", "\ufb00": "ff", "\ufb01": "fi",
              "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "\u017ft", "\ufb06": "st"}


def fix_text(text):
    """The steps of ftfy.fix_text (CLIP's first cleaning step) that change typed text; ftfy itself
    is not installable here. Quotes uncurled, Latin ligatures spelled out, full-width forms NFKC'd,
    ideographic space a space, then NFC."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch == "\u02bc" or 0x2018 <= o <= 0x201b:
            out.append("'")
        elif 0x201c <= o <= 0x201f:
            out.append('"')
        elif ch in _LIGATURES:
            out.append(_LIGATURES[ch])
        elif o == 0x3000:
            out.append(" ")
        elif 0xff01 <= o <= 0xffef:
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def clean(text):
    """CLIP's whitespace_clean(basic_clean(text)).lower(): html.unescape twice, Python's Unicode \\s."""
    text = html.unescape(html.unescape(fix_text(text))).strip()
    return re.sub(r"\s+", " ", text).strip().lower()


def learn_merges(corpus, n_merges):
    b2u = bytes_to_unicode()
    words = collections.Counter()
    for line in corpus:
        for tok in PAT.findall(clean(line)):
            u = "".join(b2u[b] for b in tok.encode("utf-8"))
            words[tuple(u[:-1]) + (u[-1] + "</w>",)] += 1
    merges = []
    for _ in range(n_merges):
        pairs = collections.Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        new = collections.Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i < len(w) - 1 and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1]); i += 2
                else:
                    out.append(w[i]); i += 1
            new[tuple(out)] += c
        words = new
    return merges


class RefTokenizer:
    def __init__(self, merges):
        self.b2u = bytes_to_unicode()
        vocab = list(self.b2u.values())
        vocab = vocab + [v + "</w>" for v in vocab]
        for a, b in merges:
            vocab.append(a + b)
        vocab += ["<|startoftext|>", "<|endoftext|>"]
        self.enc = {v: i for i, v in enumerate(vocab)}
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.sot, self.eot = self.enc["<|startoftext|>"], self.enc["<|endoftext|>"]

    def bpe(self, token):
        word = list(token[:-1]) + [token[-1] + "</w>"]
        while len(word) > 1:
            cands = [(self.ranks.get((a, b), 1 << 60), i) for i, (a, b) in enumerate(zip(word, word[1:]))]
            r, _ = min(cands)
            if r == 1 << 60:
                break
            a, b = next((word[i], word[i + 1]) for rr, i in cands if rr == r)
            out, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == a and word[i + 1] == b:
                    out.append(a + b); i += 2
                else:
                    out.append(word[i]); i += 1
            word = out
        return word

    def encode(self, text):
        ids = []
        for tok in PAT.findall(clean(text)):
            if tok in ("<|startoftext|>", "<|endoftext|>"):
                ids.append(self.enc[tok])  # CLIP's bpe cache holds them as themselves
                continue
            u = "".join(self.b2u[b] for b in tok.encode("utf-8"))
            ids += [self.enc[p] for p in self.bpe(u)]
        return ids

    def tokenize(self, text, ctx=CTX):
        ids = [self.sot] + self.encode(text) + [self.eot]
        if len(ids) > ctx:
            ids = ids[:ctx]
            ids[-1] = self.eot
        return ids + [0] * (ctx - len(ids))


CORPUS = [t.format(v) for t in TEMPLATES for v in VOCAB] * 3 + [
    "the quick brown fox jumps over the lazy dog", "it's a sound of a dog barking", "there are 3 drums",
    "a man is playing the guitar and singing", "emergency-car siren", "playing piano in the scene",
]


# ----------------------------------------------------------------------------- graphs
class AudioEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12 * 8, 128)

    def forward(self, log_mel: torch.Tensor) -> torch.Tensor:
        x = F.avg_pool2d(log_mel, 8)  # [N,1,12,8]
        return F.relu(self.fc(x.flatten(1)))


class Segmenter(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv2d(3, 8, 1)
        self.audio = nn.Linear(128, 8)
        self.query = nn.Parameter(torch.randn(Q, 8))
        self.qbias = nn.Parameter(torch.randn(Q) * 0.5 - 0.5)
        self.sound = nn.Linear(8, 2)

    def forward(self, frames: torch.Tensor, audio: torch.Tensor):
        x = F.avg_pool2d(frames, 4)  # [T,3,Hp/4,Wp/4]
        a = self.audio(audio)  # [T,8]
        f = torch.tanh(self.proj(x) + a[:, :, None, None])
        masks = torch.einsum("qc,tchw->qthw", self.query, f) * 2.0 + self.qbias[:, None, None, None]
        sound = self.sound(self.query + a.mean(0)[None, :])
        return sound, masks


class ClipImage(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3 * (R // 4) * (R // 4), D)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(F.avg_pool2d(x, 4).flatten(1))


class ClipText(nn.Module):
    def __init__(self, vocab_size: int):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, D)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.emb(tokens)  # [P,L,D]
        eot = tokens.argmax(-1)
        return x[torch.arange(x.shape[0]), eot] + x.mean(1)


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def main():
    os.makedirs(os.path.join(OUT, "tokenizer"), exist_ok=True)
    merges = learn_merges(CORPUS, 120)
    with open(os.path.join(OUT, "tokenizer", "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: test merges learned by models/golden/make_test_bundle.py\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")
    tok = RefTokenizer(merges)
    cases = ["a photo of a red circle.", "  There   is a BLUE square in the scene ", "it's 3 dogs, isn't it?!",
             "café crème brûlée", "emergency-car", "", "unknownwordxyz", " ".join(["green triangle"] * 60)]
    golden = [{"text": c, "ids": tok.tokenize(c)} for c in cases]
    with open(os.path.join(OUT, "tokenizer_golden.json"), "w", encoding="utf-8") as f:
        json.dump({"context_length": CTX, "cases": golden}, f, ensure_ascii=False, indent=0)

    graphs = {
        "audio_encoder.pt": AudioEncoder(), "segmenter.pt": Segmenter(),
        "clip_image.pt": ClipImage(), "clip_text.pt": ClipText(len(tok.enc)),
    }
    digests = {}
    for name, mod in graphs.items():
        mod.eval()
        path = os.path.join(OUT, name)
        torch.jit.script(mod).save(path)
        digests[name] = sha(path)
    digests["tokenizer/merges.txt"] = sha(os.path.join(OUT, "tokenizer", "merges.txt"))

    # reference outputs of each graph on fixed inputs (Java compares against these)
    # deterministic inputs that Java can rebuild exactly: a ramp over the frames, audio 0.5
    frames = (torch.arange(T * 3 * 64 * 96, dtype=torch.float32) % 97 / 48.0 - 1.0).reshape(T, 3, 64, 96)
    audio = torch.full((T, 128), 0.5)
    with torch.no_grad():
        sound, masks = graphs["segmenter.pt"](frames, audio)
    ref = {"seg_sound": sound.flatten().tolist(),
           "seg_mask_first": masks.flatten()[:16].tolist(), "seg_mask_sum": float(masks.sum())}
    with open(os.path.join(OUT, "graph_reference.json"), "w") as f:
        json.dump(ref, f)

    manifest = {
        "format": "ovavss-bundle/1",
        "name": "tiny-test",
        "frames_per_clip": T,
        "queries": Q,
        "image": {"min_size": 64, "max_size": 128, "size_divisibility": 32,
                  "mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375], "order": "RGB"},
        "audio": {"sample_rate": 16000, "window_s": 0.025, "hop_s": 0.010, "fft": 512, "mel_bins": 64,
                  "mel_min_hz": 125, "mel_max_hz": 7500, "log_offset": 0.01, "example_s": 0.96,
                  "embedding_dim": 128},
        "clip": {"input_size": R, "embedding_dim": D, "context_length": CTX, "temperature": 100,
                 "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711],
                 "tokenizer": {"type": "clip-bpe", "merges": "tokenizer/merges.txt"},
                 "templates": TEMPLATES},
        "postprocess": {"valid_mask_prob": 0.5, "top_k": 10, "score_threshold": 0.3,
                        "mask_logit_threshold": 0.0, "square_crop": "top-left-anchored"},
        "vocabulary": {"default": VOCAB, "base": VOCAB[:3], "novel": VOCAB[3:]},
        "metrics": {"dataset": "none (random weights)"},
        "sha256": digests,
    }
    with open(os.path.join(OUT, "bundle.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("Tiny test bundle with random weights, written by models/golden/make_test_bundle.py.\n"
                "Real graph signatures, no meaning. The merges file is learned from a toy corpus.\n")


if __name__ == "__main__":
    main()
