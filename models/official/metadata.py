"""Fixed inference metadata of the official OV-AVSS pipeline, written into ``bundle.json``.

Sources: OVAVSS.md §1.2 (image), §2.7 (the 70 class names, used verbatim), §3 (CLIP templates "vild",
temperature 100, normalisation), §2.4-§2.5 (top-10, score > 0.3), §4 (VGGish front end) and
AVSBENCH.md §5.3 (the seen/unseen id lists of ``scores_gzsl``; ids are 1-based into the names).
"""

NAMES = [
    "accordion", "airplane", "axe", "baby", "bassoon", "bell", "bird", "boat", "boy", "bus", "car", "cat", "cello",
    "clarinet", "clipper", "clock", "dog", "donkey", "drum", "duck", "elephant", "emergency-car", "erhu", "flute",
    "frying-food", "girl", "goose", "guitar", "gun", "guzheng", "hair-dryer", "handpan", "harmonica", "harp",
    "helicopter", "hen", "horse", "keyboard", "leopard", "lion", "man", "marimba", "missile-rocket", "motorcycle",
    "mower", "parrot", "piano", "pig", "pipa", "saw", "saxophone", "sheep", "sitar", "sorna", "squirrel", "tabla",
    "tank", "tiger", "tractor", "train", "trombone", "truck", "trumpet", "tuba", "ukulele", "utv", "vacuum-cleaner",
    "violin", "wolf", "woman"]

# the 14 "vild" prompt templates: one list for the demo and the official bundles
from ovavss.host import VILD_TEMPLATES  # noqa: E402,F401

SEEN_IDS = [2, 4, 6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19, 20, 21, 26, 27, 28, 29, 31, 35, 36, 37, 38, 40, 41, 43, 44,
            46, 47, 48, 52, 55, 58, 59, 60, 62, 63, 67, 70]
UNSEEN_IDS = [1, 3, 5, 13, 14, 15, 22, 23, 24, 25, 30, 32, 33, 34, 39, 42, 45, 49, 50, 51, 53, 54, 56, 57, 61, 64, 65,
              66, 68, 69]

BASE_NAMES = [NAMES[i - 1] for i in SEEN_IDS]
NOVEL_NAMES = [NAMES[i - 1] for i in UNSEEN_IDS]

IMAGE = {"min_size": 360, "max_size": 1333, "size_divisibility": 32,
         "mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375], "order": "RGB"}

AUDIO = {"sample_rate": 16000, "window_s": 0.025, "hop_s": 0.010, "fft": 512, "mel_bins": 64,
         "mel_min_hz": 125, "mel_max_hz": 7500, "log_offset": 0.01, "example_s": 0.96, "embedding_dim": 128,
         "pca": False, "examples_per_clip_file": 10}

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
TEMPERATURE = 100

POSTPROCESS = {"valid_mask_prob": 0.5, "top_k": 10, "score_threshold": 0.3, "mask_logit_threshold": 0.0,
               "square_crop": "top-left-anchored"}

# OpenAI's tokenizer uses the first 49152 - 256 - 2 merges of bpe_simple_vocab_16e6.txt.gz
CLIP_MAX_MERGES = 49152 - 256 - 2
