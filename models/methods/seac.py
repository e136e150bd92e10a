"""SeAC — segment, associate, classify (METHODS.md): the association module, its training loss
(multiple-instance contrastive learning with audio mixing, MSA-MICL) and the reference
post-processing (category-aware similarity aggregation) that the Java side reproduces.

Shapes on AV-Shapes: per-second audio embeddings from the demo's frozen VGGish-layout encoder
(128-d); mask features from the demo's frozen CLIP image tower (64-d) over a local and a global
view of each proposed mask; both projected into a shared 64-d space.
"""
import math
from typing import List, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ovavss.host import CLIP_MEAN, CLIP_STD, make_crops, roi_align

#: weight of the local view in the mask feature (paper: λ = 0.6)
LAMBDA_LOCAL = 0.6
#: normalised-similarity threshold of the aggregation (paper: σ = 0.9)
SIGMA = 0.9
#: standard deviation (pixels of the frame as decoded) of the global view's background blur
BLUR_SIGMA = 2.0
#: seconds of audio either side of a frame's own second that attention pooling looks at
CONTEXT = 1


def gaussian_kernel(sigma: float) -> torch.Tensor:
    """1-D kernel of radius ceil(3σ), normalised to sum 1 (float64)."""
    radius = int(math.ceil(3 * sigma))
    x = torch.arange(-radius, radius + 1, dtype=torch.float64)
    k = torch.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def blur(images: torch.Tensor, sigma: float = BLUR_SIGMA) -> torch.Tensor:
    """Separable Gaussian blur of [N,C,H,W], edges replicated (float64 inside, float32 out)."""
    k = gaussian_kernel(sigma)
    r = (k.numel() - 1) // 2
    n, c, h, w = images.shape
    x = images.double().reshape(n * c, 1, h, w)
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode="replicate"), k.view(1, 1, 1, -1))
    x = F.conv2d(F.pad(x, (0, 0, r, r), mode="replicate"), k.view(1, 1, -1, 1))
    return x.reshape(n, c, h, w).float()


def global_views(frames_rgb: torch.Tensor, masks: torch.Tensor, frame_idx: Sequence[int], r: int) -> torch.Tensor:
    """The whole frame with everything but the object blurred, p·I + (1−p)·blur(I) with p the mask's
    probability (binary masks work too), resampled to r×r with roi_align over the square box
    (0, 0, s, s), s = the frame's longer side (as the local crops are cut: top-left anchored), then
    CLIP-normalised. frames_rgb [T,3,H,W] 0..255; masks [K,H,W] → [K,3,r,r]."""
    k = masks.shape[0]
    if k == 0:
        return torch.zeros(0, 3, r, r)
    h, w = frames_rgb.shape[2], frames_rgb.shape[3]
    idx = torch.tensor([int(i) for i in frame_idx])
    sharp = frames_rgb[idx]
    soft = blur(sharp)
    m = masks.unsqueeze(1).float()
    views = m * sharp + (1 - m) * soft
    side = float(max(h, w))
    box = torch.tensor([[0.0, 0.0, side, side]]).expand(k, 4)
    x = roi_align(views, box, list(range(k)), r) / 255.0
    return (x - torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)) / torch.tensor(CLIP_STD).view(1, 3, 1, 1)


def mix_views(local: torch.Tensor, glob: torch.Tensor, lam: float = LAMBDA_LOCAL) -> torch.Tensor:
    """f_n = λ·ψ(local) + (1−λ)·ψ(global) from the two views' L2-normalised CLIP embeddings."""
    return lam * local + (1 - lam) * glob


class AssociationAudio(nn.Module):
    """association_audio.pt: per-second audio embeddings of a clip [S,A] → [S,D] L2-normalised. Each
    second attends over itself and CONTEXT seconds either side (softmax of a learned score plus a
    learned bias per offset; seconds outside the clip are left out), then an MLP projects."""

    def __init__(self, audio_dim: int = 128, dim: int = 64, context: int = CONTEXT):
        super().__init__()
        self.context = context
        self.score = nn.Linear(audio_dim, 1)
        self.offset_bias = nn.Parameter(torch.zeros(2 * context + 1))
        self.proj = nn.Sequential(nn.Linear(audio_dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        s = audio.shape[0]
        c = self.context
        padded = F.pad(audio, (0, 0, c, c))
        inside = F.pad(torch.ones(s, dtype=torch.bool, device=audio.device), (c, c))
        ctx = torch.stack([padded[o:o + s] for o in range(2 * c + 1)], 1)  # [S,2c+1,A]
        ok = torch.stack([inside[o:o + s] for o in range(2 * c + 1)], 1)  # [S,2c+1]
        logits = self.score(ctx).squeeze(-1) + self.offset_bias
        logits = logits.masked_fill(~ok, float("-inf"))
        pooled = (logits.softmax(1).unsqueeze(-1) * ctx).sum(1)
        return F.normalize(self.proj(pooled), dim=-1)


class AssociationMask(nn.Module):
    """association_mask.pt: mask features [K,D_m] → [K,D] L2-normalised."""

    def __init__(self, mask_dim: int = 64, dim: int = 64):
        super().__init__()
        self.proj = nn.Sequential(nn.Linear(mask_dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.proj(features), dim=-1)


class AssociationAudioExport(nn.Module):
    """association_audio.pt: a window's log-mel examples [S,1,96,64] → [S,D]: the frozen audio
    backbone (VGGish's role: an audio-tagging CNN, here the one the audio–text tower was trained
    with on base-category tags) and the trained attention pooling + projection."""

    def __init__(self, backbone: nn.Module, audio: AssociationAudio):
        super().__init__()
        self.backbone = backbone
        self.audio = audio

    def forward(self, log_mel: torch.Tensor) -> torch.Tensor:
        return self.audio(self.backbone(log_mel))


class Association(nn.Module):
    """The trained part of SeAC: both projections and the loss temperature."""

    def __init__(self, audio_dim: int = 128, mask_dim: int = 64, dim: int = 64):
        super().__init__()
        self.audio = AssociationAudio(audio_dim, dim)
        self.mask = AssociationMask(mask_dim, dim)
        self.log_inv_tau = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


def association_modules(checkpoint: dict, backbone: nn.Module):
    """A train_seac.py result (the loaded seac_final.pt) as the eager modules of the two association
    graphs, in eval mode: (association_audio hearing through ``backbone``, association_mask)."""
    assoc = Association()
    assoc.load_state_dict(checkpoint["model"])
    assoc.eval()
    return AssociationAudioExport(backbone, assoc.audio).eval(), assoc.mask


#: how a proposal's association vector is compared with its second's audio (bundle.json
#: ``methods.seac.mask_pooling``): ``frame`` — each (frame, query) row's own vector (the paper);
#: ``window`` — per query the L2-normalised mean of its rows' vectors over the window, so that a
#: mask misread in one frame does not decide whether the object sounds there
MASK_POOLINGS = ("frame", "window")


def similarities(masks: torch.Tensor, audio: torch.Tensor, t: torch.Tensor, q: torch.Tensor,
                 pooling: str = "frame") -> torch.Tensor:
    """cos of each row's association vector (masks [K,D], L2-normalised) with its second's audio
    vector (audio [T,D]; t [K] the rows' frames, q [K] their queries), by ``pooling`` → [K]."""
    if pooling == "window":
        from methods.pipeline import query_means
        masks = F.normalize(query_means(masks, q), dim=-1)
    elif pooling != "frame":
        raise ValueError(f"mask_pooling must be one of {MASK_POOLINGS}, not {pooling!r}")
    return (masks * audio[t]).sum(-1)


def set_similarity(mask_sets: List[torch.Tensor], audio: torch.Tensor) -> torch.Tensor:
    """S[i, k] = max over the masks of set i of cos(mask, audio_k); sets and audio L2-normalised.
    mask_sets: B tensors [N_i,D] (N_i ≥ 1); audio [K,D] → [B,K]."""
    return torch.stack([(m @ audio.t()).max(0).values for m in mask_sets])


def msa_micl_loss(mask_sets: List[torch.Tensor], mixtures: torch.Tensor, group: torch.Tensor,
                  inv_tau: torch.Tensor) -> torch.Tensor:
    """MSA-MICL (METHODS.md): clips in groups, each group's waveforms summed into one mixture
    (``mixtures`` [K,D], ``group`` [B] the group of each clip). With S' = set_similarity:
      L = −Σ_k log Σ_{i∈K_k} exp(S'_ik/τ) / Σ_j exp(S'_jk/τ)  (each mixture finds its group's sets)
          −Σ_i log exp(S'_{i,Ω(i)}/τ) / Σ_k exp(S'_ik/τ)       (each set finds its own mixture),
    each sum divided by its count. With one clip per group it is MICL (symmetric InfoNCE)."""
    s = set_similarity(mask_sets, mixtures) * inv_tau  # [B,K]
    k = mixtures.shape[0]
    member = F.one_hot(group, k).bool()  # [B,K]
    log_col = s.log_softmax(0)  # over mask sets j, per mixture k
    per_mixture = torch.logsumexp(log_col.masked_fill(~member, float("-inf")), 0)  # [K]
    per_set = s.log_softmax(1)[torch.arange(s.shape[0]), group]  # [B]
    return -per_mixture.mean() - per_set.mean()


def mixing_probability(progress: float, peak: float = 0.5) -> float:
    """Curriculum: the chance a batch is mixed rises linearly from 0 to ``peak`` over training."""
    return peak * min(max(progress, 0.0), 1.0)


def aggregate(masks: torch.Tensor, similarity: torch.Tensor, names: torch.Tensor,
              sigma: float = SIGMA) -> torch.Tensor:
    """Category-aware similarity aggregation of one frame (the reference for the Java side).
    masks bool [N,H,W]; similarity [N] raw cosine to the frame's audio; names [N] class ids (1-based)
    → label map int64 [H,W]: ŝ = (s − min s)/(max s − min s) over the frame's masks (all 1 when they
    are equal); per pixel the covering mask with the highest ŝ (the first on ties) labels it when
    that ŝ > σ, else 0 (background)."""
    h, w = masks.shape[1], masks.shape[2]
    out = torch.zeros(h, w, dtype=torch.long)
    if masks.shape[0] == 0:
        return out
    lo, hi = similarity.min(), similarity.max()
    norm = torch.ones_like(similarity) if float(hi - lo) <= 0 else (similarity - lo) / (hi - lo)
    weighted = norm.view(-1, 1, 1) * masks.float()  # 0 where a mask does not cover
    covered = masks.any(0)
    best_val, best = weighted.max(0)  # first index on ties
    keep = covered & (best_val > sigma)
    out[keep] = names[best[keep]]
    return out
