"""OpenAVS — text as the bridge (METHODS.md): audio → names → masks.

1. Audio → text: the audio–text tower maps each second's audio embedding into the CLIP text space;
   a name's score is sigmoid(scale·cos(audio, text(name)) + bias); the names scoring above the
   bundle's threshold are that second's prompts. The tower learns from base categories only
   (AV-Shapes: colour is heard as pitch, shape as timbre, so novel pairs are heard by composition).
2. Prompt translation: the prompt templates (and, in the app, an optional local LLM: off by default).
3. Text → masks: the proposer's class-agnostic masks, each named by CLIP as the OV-AVSS host names
   its crops; a mask sounds when its name is among its second's prompts.
"""
import torch
import torch.nn.functional as F
from torch import nn

from ovavss.host import make_crops

#: a second's name becomes a prompt above this score (chosen on the val split; recorded in the bundle)
PROMPT_THRESHOLD = 0.5


class AudioText(nn.Module):
    """audio_text.pt: VGGish log-mel examples, one per second [S,1,96,64] → L2-normalised vectors in
    the CLIP text space [S,D]; with ``scale`` and ``bias`` (recorded in bundle.json) a name's score
    is sigmoid(scale·cos + bias). The audio CNN starts from the demo's audio encoder and is trained
    with the projection (the paper's audio–language model has its own audio tower too)."""

    def __init__(self, encoder: nn.Module, audio_dim: int = 128, text_dim: int = 64):
        super().__init__()
        self.encoder = encoder
        self.proj = nn.Sequential(nn.Linear(audio_dim, 256), nn.ReLU(), nn.Linear(256, text_dim))
        self.scale = nn.Parameter(torch.tensor(10.0))
        self.bias = nn.Parameter(torch.tensor(-5.0))

    def forward(self, log_mel: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.proj(self.encoder(log_mel)), dim=-1)


def scores(vectors: torch.Tensor, text: torch.Tensor, scale, bias) -> torch.Tensor:
    """Audio–text vectors [S,D] and [V,D] L2-normalised text → each second's score of each name,
    sigmoid(scale·cos + bias) in (0,1) [S,V] (OpenAVS's prompts, SeAC's heard naming and gate)."""
    return torch.sigmoid(scale * (vectors @ text.t()) + bias)


def name_scores(tower: AudioText, log_mel: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
    """log-mel examples [S,1,96,64], [V,D] L2-normalised text → scores in (0,1) [S,V], with the
    tower's own scale and bias."""
    return scores(tower(log_mel), text, tower.scale, tower.bias)


def name_masks(clip_image, frames_rgb: torch.Tensor, masks: torch.Tensor, frame: int, text: torch.Tensor,
               r: int) -> torch.Tensor:
    """CLIP names of one frame's masks (class ids 1..V), from crops cut as the OV-AVSS host cuts them."""
    if masks.shape[0] == 0:
        return torch.zeros(0, dtype=torch.long)
    emb = F.normalize(clip_image(make_crops(frames_rgb, masks.float(), [frame] * masks.shape[0], r)).float(), dim=-1)
    return (emb @ text.t()).argmax(1) + 1


def label_frame(masks: torch.Tensor, names: torch.Tensor, prompts: torch.Tensor) -> torch.Tensor:
    """The reference of OpenAVS's last step for one frame: masks bool [N,H,W] in the proposer's
    order (most confident first, disjoint), names [N] class ids, prompts bool [V] (the second's
    names above threshold) → label map int64 [H,W]: every mask whose name is a prompt, else 0."""
    h, w = masks.shape[1], masks.shape[2]
    out = torch.zeros(h, w, dtype=torch.long)
    for n in range(masks.shape[0]):
        c = int(names[n])
        if bool(prompts[c - 1]):
            out[masks[n] & (out == 0)] = c
    return out
