"""What every method shares on one clip (the Python reference the Java side is checked against):
the demo bundle's frozen towers, the proposer's masks per frame, per-second audio embeddings."""
import os
from typing import Dict, List

import numpy as np
import torch

from ovavss.audio import log_mel_examples
from ovavss.host import normalise_and_pad
from methods.proposer import proposals

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(MODELS, "demo-avshapes")
WINDOW = 5


def load_graphs(bundle: str = DEMO, names=("audio_encoder.pt", "clip_image.pt", "clip_text.pt")) -> Dict[str, torch.jit.ScriptModule]:
    return {n: torch.jit.load(os.path.join(bundle, n), map_location="cpu").eval() for n in names}


def frame_proposals(proposer, frames: np.ndarray) -> List[torch.Tensor]:
    """frames uint8 [10,H,W,3] → per frame the proposer's masks bool [N,H,W] (windows of five frames)."""
    out = []
    h, w = frames.shape[1], frames.shape[2]
    with torch.no_grad():
        for start in range(0, frames.shape[0], WINDOW):
            logits, masks = proposer(normalise_and_pad(frames[start:start + WINDOW]))
            hp, wp = masks.shape[2] * 4, masks.shape[3] * 4
            for t in range(min(WINDOW, frames.shape[0] - start)):
                m, _ = proposals(logits, masks, t, (hp, wp))
                out.append(m[:, :h, :w])
    return out


def audio_embeddings(audio_encoder, samples: np.ndarray, seconds: int = 10) -> torch.Tensor:
    """Mono 16 kHz samples → the frozen encoder's per-second embeddings [seconds,128] (the app's
    log-mel examples, padded to ``seconds`` as the official code pads to 10)."""
    mel = torch.from_numpy(log_mel_examples(samples, seconds)[:seconds])
    with torch.no_grad():
        return audio_encoder(mel).float()


def rgb(frames: np.ndarray) -> torch.Tensor:
    """uint8 [T,H,W,3] → float [T,3,H,W] 0..255 (the crops' input)."""
    return torch.from_numpy(np.ascontiguousarray(frames)).permute(0, 3, 1, 2).float()
