#!/usr/bin/env python3
"""Golden vectors of the demo bundle for the Java side (src/test/resources/golden/demo/).

Writes, from the committed bundle ``models/demo-avshapes`` (graphs loaded with torch.jit.load):
  * tokenizer: >= 20 strings (unicode, punctuation, long, empty) → int64 ids [N,64] ("hashed-ngram/1");
  * VGGish log-mel of a known signal (``logmel_signal.wav`` PCM16 16 kHz, read as int16/32768) → [n,1,96,64];
  * each graph on fixed small inputs: audio_encoder, segmenter (T=5, 64×96), clip_image, clip_text;
  * the prompt-ensembled text classifier of the default vocabulary (14 templates) → [36,D].
``manifest.json`` lists every array with shape/dtype, the strings, the bundle's sha256 and tolerances.
Run after every bundle export:  /usr/bin/python3 models/golden/model_golden.py
"""
import json
import os
import sys
import wave

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)
sys.path.insert(0, MODELS)

from ovavss import tokenizer  # noqa: E402
from ovavss.audio import log_mel_examples  # noqa: E402
from ovavss.host import text_classifier  # noqa: E402

BUNDLE = os.path.join(MODELS, "demo-avshapes")
OUT = os.path.join(os.path.dirname(MODELS), "src", "test", "resources", "golden", "demo")

TOKENIZER_STRINGS = [
    "",
    "a",
    "red-circle",
    "a photo of a red-circle.",
    "There is a large purple-star in the scene.",
    "Hello, World!",
    "UPPER lower MiXeD 123",
    "  leading and trailing spaces  ",
    "tabs\tand\nnewlines",
    "punctuation!!! ??? ... ,,, ;;; :::",
    "emergency-car",
    "vacuum_cleaner",
    "café",
    "Ünïcödé ÀÉÎÕÜ",
    "日本語のテキスト",
    "emoji 🎻 violin",
    "Straße",
    "x",
    "ab",
    "it's a dog's life",
    "0 1 2 3 4 5 6 7 8 9",
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty",
    "ÄBC",
    "a-b-c-d-e",
]


def known_signal(sr=16000, seconds=2.5):
    """440 Hz tone (0.3) plus a 2 kHz tone (0.1) gated on from 1.0 s to 2.0 s, PCM16-quantised."""
    t = np.arange(int(sr * seconds)) / sr
    x = 0.3 * np.sin(2 * np.pi * 440.0 * t) + 0.1 * np.sin(2 * np.pi * 2000.0 * t) * ((t >= 1.0) & (t < 2.0))
    pcm = np.round(np.clip(x, -1, 1) * 32767).astype("<i2")
    return pcm


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(BUNDLE, "bundle.json")) as f:
        bundle = json.load(f)
    g = {name: torch.jit.load(os.path.join(BUNDLE, name + ".pt")) for name in
         ["audio_encoder", "segmenter", "clip_image", "clip_text"]}
    files = {}

    def save(name, arr, note):
        arr = np.ascontiguousarray(arr)
        if arr.dtype == np.float64:
            arr = arr.astype(np.float32)
        arr = arr.astype(arr.dtype.newbyteorder("<"))
        np.save(os.path.join(OUT, name + ".npy"), arr)
        files[name + ".npy"] = {"shape": list(arr.shape), "dtype": str(arr.dtype.name), "what": note}

    ids = np.array([tokenizer.encode(s) for s in TOKENIZER_STRINGS], dtype=np.int64)
    save("tokenizer_ids", ids, "tokenizer.encode(strings[i]) for manifest 'tokenizer_strings'")

    pcm = known_signal()
    with wave.open(os.path.join(OUT, "logmel_signal.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm.tobytes())
    files["logmel_signal.wav"] = {"what": "PCM16 mono 16 kHz, 2.5 s: 440 Hz (0.3) + 2 kHz (0.1) during [1,2) s"}
    mel = log_mel_examples(pcm.astype(np.float64) / 32768.0)  # [2,1,96,64]
    save("logmel_examples", mel, "VGGish log-mel examples of logmel_signal.wav (int16/32768), no padding")

    gen = torch.Generator().manual_seed(20261122)
    with torch.no_grad():
        save("audio_encoder_in", mel, "= logmel_examples")
        save("audio_encoder_out", g["audio_encoder"](torch.from_numpy(mel)).numpy(), "audio_encoder.pt output")
        frames = torch.randn(5, 3, 64, 96, generator=gen)
        audio = torch.rand(5, 128, generator=gen) * 2.0
        sound, masks = g["segmenter"](frames, audio)
        save("segmenter_frames", frames.numpy(), "segmenter input frames [5,3,64,96] (already normalised)")
        save("segmenter_audio", audio.numpy(), "segmenter input audio [5,128]")
        save("segmenter_sound_logits", sound.numpy(), "segmenter output 0")
        save("segmenter_mask_logits", masks.numpy(), "segmenter output 1 [Q,5,16,24]")
        r = bundle["clip"]["input_size"]
        crops = torch.randn(3, 3, r, r, generator=gen)
        save("clip_image_in", crops.numpy(), "clip_image input (CLIP-normalised crops)")
        save("clip_image_out", g["clip_image"](crops).numpy(), "clip_image output (not normalised)")
        prompts = [t.format(n) for n, t in zip(["red-circle", "blue-star", "café", "", "purple-cross"],
                                                bundle["clip"]["templates"])]
        tids = tokenizer.encode_batch(prompts)
        save("clip_text_in", tids.numpy(), "clip_text input = tokenizer ids of manifest 'clip_text_prompts'")
        save("clip_text_out", g["clip_text"](tids).numpy(), "clip_text output (not normalised)")
        names = bundle["vocabulary"]["default"]
        save("text_classifier", text_classifier(g["clip_text"], names, bundle["clip"]["templates"]).numpy(),
             "prompt ensemble of vocabulary.default: per-template L2-normalise, mean, L2-normalise")
    manifest = {
        "bundle": "models/demo-avshapes",
        "bundle_sha256": bundle["sha256"],
        "tokenizer": bundle["clip"]["tokenizer"],
        "tokenizer_strings": TOKENIZER_STRINGS,
        "clip_text_prompts": prompts,
        "tolerance": {"tokenizer": "exact", "logmel_abs": 1e-4, "graphs_abs": 1e-4, "graphs_rel": 1e-4,
                      "text_classifier_abs": 1e-5},
        "files": files,
    }
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(files) + 1} files to {OUT} ({total / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
