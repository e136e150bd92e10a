"""Synthetic checkpoints with the official key names and random values, for tests and the Java smoke test.

Writes the same three files a user has: the OV-AVSS checkpoint (``{"model": state_dict}``), the CLIP
weights as a TorchScript archive in fp16 (like OpenAI's ``ViT-B-16.pt``) and the VGGish state dict,
plus a small CLIP-format BPE merges file (26x26 letter pairs, not OpenAI's).

    /usr/bin/python3 models/official/synthetic.py --variant r50-tiny --dir /tmp/synth
"""
import argparse
import gzip
import os
import string
import sys
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.dirname(HERE) not in sys.path:
    sys.path.insert(0, os.path.dirname(HERE))

from official.checkpoint import AUDIO_PREFIX, CLIP_PREFIX  # noqa: E402
from official.configs import variant  # noqa: E402
from official.model import build  # noqa: E402


def random_state(v, seed: int = 0) -> "OrderedDict[str, torch.Tensor]":
    torch.manual_seed(seed)
    model = build(v, fast_init=False)
    sd = OrderedDict()
    g = torch.Generator().manual_seed(seed + 1)
    for k, t in model.state_dict().items():
        if not t.is_floating_point() or k in ("clip_adapter.pixel_mean", "clip_adapter.pixel_std"):
            sd[k] = t.clone()  # integer indices and constants (not stored in OpenAI's CLIP file) stay as built
        elif k.endswith("running_var"):
            sd[k] = torch.rand(t.shape, generator=g) + 0.5
        else:
            sd[k] = t + 0.02 * torch.randn(t.shape, generator=g)
    return sd


def merge_pairs(n: int):
    """n distinct, well-formed merges: letter pairs, then 2-letter+letter, then 3-letter+letter."""
    letters = string.ascii_lowercase
    pairs = []
    level = list(letters)
    while len(pairs) < n:
        nxt = []
        for a in level:
            for b in letters:
                pairs.append("%s %s" % (a, b))
                nxt.append(a + b)
                if len(pairs) == n:
                    return pairs
        level = nxt
    return pairs


def write_merges(path: str, vocab: int = 512 + 26 * 26 + 2) -> str:
    """A CLIP-format merges file giving a ``vocab``-token vocabulary (512 byte symbols + merges + 2)."""
    pairs = merge_pairs(vocab - 512 - 2)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("#version: synthetic merges for tests (not OpenAI's)\n")
        f.write("\n".join(pairs) + "\n")
    return path


def write_files(variant_name: str, out_dir: str, seed: int = 0, embed_parts: bool = False) -> dict:
    """→ {"checkpoint", "clip", "vggish", "bpe", "state"}; with embed_parts the checkpoint carries
    clip_adapter.* and audio_encoder.* itself (as the released .pth probably does)."""
    v = variant(variant_name)
    os.makedirs(out_dir, exist_ok=True)
    sd = random_state(v, seed)
    model = build(v)
    model.load_state_dict(sd, strict=True)
    ckpt = OrderedDict((k, t) for k, t in sd.items()
                       if embed_parts or not (k.startswith("clip_adapter.") or k.startswith("audio_encoder.")))
    paths = {"state": sd}
    paths["checkpoint"] = os.path.join(out_dir, "model_ov_avss_%s.pth" % variant_name)
    torch.save({"model": ckpt, "iteration": 12345}, paths["checkpoint"])
    clip = model.clip_adapter.clip_model.half()
    # OpenAI's archives carry these scalars in their state dict; loaders must drop them
    clip.register_buffer("input_resolution", torch.tensor(v.cfg.clip_image_resolution))
    clip.register_buffer("vocab_size", torch.tensor(v.cfg.clip_vocab_size))
    paths["clip"] = os.path.join(out_dir, "clip.pt")
    torch.jit.script(clip).save(paths["clip"])
    vgg = OrderedDict((k[len(AUDIO_PREFIX):], t) for k, t in sd.items() if k.startswith(AUDIO_PREFIX))
    paths["vggish"] = os.path.join(out_dir, "vggish.pth")
    torch.save(vgg, paths["vggish"])
    paths["bpe"] = write_merges(os.path.join(out_dir, "bpe_simple_vocab_16e6.txt.gz"), v.cfg.clip_vocab_size)
    # the fp16 CLIP archive rounds the weights; the reference state is what a loader must end up with
    for k in list(sd):
        if k.startswith(CLIP_PREFIX) and sd[k].is_floating_point():
            sd[k] = sd[k].half().float()
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", default="r50-tiny")
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    p = write_files(a.variant, a.dir, a.seed)
    for k in ("checkpoint", "clip", "vggish", "bpe"):
        print(k, p[k])
