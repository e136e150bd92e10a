"""SeAC's association loss (MSA-MICL) on hand-made batches, its aggregation and its graphs."""
import math
import os
import sys

import torch
import torch.nn.functional as F

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, MODELS)

from methods import seac  # noqa: E402

X, Y, Z = torch.eye(3)


def unit(*v):
    return F.normalize(torch.tensor(v, dtype=torch.float32), dim=-1)


def by_hand(sets, mixtures, group, inv_tau):
    """The formula of METHODS.md written out with loops, each sum divided by its count."""
    b, k = len(sets), mixtures.shape[0]
    s = [[max(float(m @ mixtures[j]) for m in sets[i]) * inv_tau for j in range(k)] for i in range(b)]
    l1 = 0.0
    for kk in range(k):
        num = sum(math.exp(s[i][kk]) for i in range(b) if group[i] == kk)
        den = sum(math.exp(s[j][kk]) for j in range(b))
        l1 -= math.log(num / den)
    l2 = 0.0
    for i in range(b):
        l2 -= math.log(math.exp(s[i][group[i]]) / sum(math.exp(s[i][kk]) for kk in range(k)))
    return l1 / k + l2 / b


def test_loss_equals_the_formula_on_a_mixed_batch():
    # four clips in two mixed groups: clips 0, 1 hear mixture 0 (≈ X), clips 2, 3 mixture 1 (≈ Y)
    sets = [torch.stack([X, Z]), torch.stack([unit(1, 0.2, 0), -Y]), torch.stack([Y]), torch.stack([Z, unit(0.1, 1, 0)])]
    mixtures = torch.stack([X, Y])
    group = torch.tensor([0, 0, 1, 1])
    got = seac.msa_micl_loss(sets, mixtures, group, torch.tensor(5.0))
    assert abs(float(got) - by_hand(sets, mixtures, [0, 0, 1, 1], 5.0)) < 1e-5


def test_a_mixture_is_positive_for_every_mask_set_of_its_group():
    mixtures = torch.stack([X, Y])
    right = [torch.stack([X, Z]), torch.stack([X]), torch.stack([Y]), torch.stack([Y, Z])]
    # clip 1's best mask now answers the other group's mixture
    wrong = [torch.stack([X, Z]), torch.stack([Y]), torch.stack([Y]), torch.stack([Y, Z])]
    group = torch.tensor([0, 0, 1, 1])
    tau = torch.tensor(10.0)
    assert float(seac.msa_micl_loss(right, mixtures, group, tau)) < float(seac.msa_micl_loss(wrong, mixtures, group, tau))
    # which member of a group a set is does not matter
    swapped = [right[1], right[0], right[3], right[2]]
    assert abs(float(seac.msa_micl_loss(right, mixtures, group, tau))
               - float(seac.msa_micl_loss(swapped, mixtures, group, tau))) < 1e-6


def test_only_the_best_mask_of_a_set_counts():
    mixtures = torch.stack([X, Y])
    group = torch.tensor([0, 1])
    tau = torch.tensor(4.0)
    base = [torch.stack([X]), torch.stack([Y])]
    # a silent object (a mask that matches no audio) changes nothing: max over masks
    with_silent = [torch.stack([X, Z]), torch.stack([-X, Y, Z])]
    assert abs(float(seac.msa_micl_loss(base, mixtures, group, tau))
               - float(seac.msa_micl_loss(with_silent, mixtures, group, tau))) < 1e-6
    # gradients reach only each set's best mask
    sets = [torch.stack([X, unit(0.2, 0, 1)]).requires_grad_(), torch.stack([Y, unit(0, 0.1, 1)]).requires_grad_()]
    seac.msa_micl_loss(sets, mixtures, group, tau).backward()
    assert float(sets[0].grad[1].abs().sum()) == 0 and float(sets[0].grad[0].abs().sum()) > 0


def test_one_clip_per_group_is_symmetric_info_nce():
    g = torch.Generator().manual_seed(1)
    sets = [F.normalize(torch.randn(1, 8, generator=g), dim=-1) for _ in range(5)]
    audio = F.normalize(torch.randn(5, 8, generator=g), dim=-1)
    s = torch.cat(sets) @ audio.t() * 7.0
    want = F.cross_entropy(s, torch.arange(5)) + F.cross_entropy(s.t(), torch.arange(5))
    got = seac.msa_micl_loss(sets, audio, torch.arange(5), torch.tensor(7.0))
    assert abs(float(got) - float(want)) < 1e-5


def test_mixing_rises_linearly_to_one_half():
    assert seac.mixing_probability(0.0) == 0.0
    assert abs(seac.mixing_probability(0.5) - 0.25) < 1e-9
    assert seac.mixing_probability(2.0) == 0.5


def test_aggregation_labels_only_masks_close_to_the_best():
    masks = torch.zeros(3, 4, 4, dtype=torch.bool)
    masks[0, :2, :2] = True   # the best: ŝ = 1
    masks[1, 2:, 2:] = True   # ŝ = 0.95 > σ: also labelled
    masks[2, :2, 2:] = True   # the worst: ŝ = 0
    masks[2, 1, 1] = True     # overlaps mask 0 at (1,1): mask 0 wins
    got = seac.aggregate(masks, torch.tensor([0.8, 0.77, 0.2]), torch.tensor([5, 7, 9]))
    want = torch.zeros(4, 4, dtype=torch.long)
    want[:2, :2] = 5
    want[2:, 2:] = 7
    assert torch.equal(got, want)
    # equal similarities: every mask is the best
    same = seac.aggregate(masks, torch.tensor([0.3, 0.3, 0.3]), torch.tensor([5, 7, 9]))
    assert int(same[0, 3]) == 9 and int(same[1, 1]) == 5
    assert torch.equal(seac.aggregate(torch.zeros(0, 4, 4, dtype=torch.bool), torch.zeros(0), torch.zeros(0)),
                       torch.zeros(4, 4, dtype=torch.long))


def test_audio_attention_leaves_out_seconds_outside_the_clip_and_scripts():
    torch.manual_seed(0)
    m = seac.AssociationAudio(audio_dim=6, dim=4).eval()
    a = torch.randn(5, 6)
    out = m(a)
    assert out.shape == (5, 4) and torch.allclose(out.norm(dim=-1), torch.ones(5))
    # second 0 pools over seconds 0 and 1 only: the second before the clip is left out, not a zero vector
    w = m.score(a[:2]).squeeze(-1) + m.offset_bias[1:]
    pooled = (w.softmax(0).unsqueeze(-1) * a[:2]).sum(0)
    assert torch.allclose(out[0], F.normalize(m.proj(pooled), dim=-1), atol=1e-6)
    scripted = torch.jit.script(m)
    assert torch.allclose(scripted(a), out, atol=1e-6)


def test_global_view_keeps_the_object_sharp_and_blurs_the_rest():
    frame = torch.zeros(1, 3, 16, 16)
    for r0 in range(0, 16, 4):
        frame[0, :, r0:r0 + 2, :] = 255.0  # 2-px stripes: the blur flattens them outside the object
    mask = torch.zeros(1, 16, 16, dtype=torch.bool)
    mask[0, 4:12, 4:12] = True
    v = seac.global_views(frame, mask, [0], 16)
    mean = torch.tensor(seac.CLIP_MEAN).view(3, 1, 1)
    std = torch.tensor(seac.CLIP_STD).view(3, 1, 1)
    rgb = (v[0] * std + mean) * 255.0
    inside = rgb[:, 4:12, 4:12]
    outside = rgb[:, 3:13, 0:2]  # crosses the stripes, away from the frame's edges
    assert float(inside.max()) > 240 and float(inside.min()) < 15
    assert float(outside.max() - outside.min()) < 30


def test_window_naming_outvotes_one_misread_frame():
    from methods.pipeline import name_rows
    text = torch.eye(3)  # names 1, 2, 3 along the axes
    # query 4 in frames 0-2: read as name 1 twice and, once, as name 2 (a misread silhouette); query 9 once
    local = F.normalize(torch.tensor([[1.0, 0.2, 0], [0.9, 0.3, 0], [0.4, 1.0, 0], [0, 0, 1.0]]), dim=-1)
    p = {"t": torch.tensor([0, 1, 2, 0]), "q": torch.tensor([4, 4, 4, 9]), "local": local}
    assert name_rows(p, text, "crop").tolist() == [1, 1, 2, 3]
    assert name_rows(p, text, "window_crops").tolist() == [1, 1, 1, 3]
    features = F.normalize(torch.tensor([[0, 1.0, 0]] * 4), dim=-1)
    assert name_rows(p, text, "features", features).tolist() == [2, 2, 2, 2]
    try:
        name_rows(p, text, "clip")
    except ValueError as e:
        assert "naming must be one of" in str(e)
    else:
        raise AssertionError("an unknown naming is refused")


def test_base_calibration_renames_a_close_call_towards_the_novel_name():
    from methods.pipeline import base_names, name_key, name_rows
    text = torch.eye(3)  # "red-square" (base), "red-star" (novel), "blue-ring" (base)
    base = base_names(["red-square", "Red Star", "blue_ring"], ["RED square", "blue-ring", "green-cross"])
    assert base.tolist() == [True, False, True]
    assert name_key("  Red--Star_ \t") == "red star"
    # row 0 leans to the base name by 0.05 in cosine, row 1 by 0.3: γ = 0.08 flips the first only
    local = F.normalize(torch.tensor([[1.0, 0.93, 0], [1.0, 0.6, 0], [0, 0, 1.0]]), dim=-1)
    p = {"t": torch.tensor([0, 0, 0]), "q": torch.tensor([1, 2, 3]), "local": local}
    cos = local @ text.t()
    assert 0 < float(cos[0, 0] - cos[0, 1]) < 0.08 < float(cos[1, 0] - cos[1, 1])
    assert name_rows(p, text, "crop").tolist() == [1, 1, 3]
    assert name_rows(p, text, "crop", calibration=0.08, base=base).tolist() == [2, 1, 3]
    assert name_rows(p, text, "crop", calibration=0.0, base=base).tolist() == [1, 1, 3]


def test_window_pooling_compares_each_querys_mean_vector_with_every_second():
    masks = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])  # query 7 in frames 0 and 1, query 2 in frame 1
    audio = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    t, q = torch.tensor([0, 1, 1]), torch.tensor([7, 7, 2])
    assert torch.allclose(seac.similarities(masks, audio, t, q), torch.tensor([1.0, 1.0, 0.8]))
    h = 2 ** -0.5  # query 7's mean (0.5, 0.5), normalised
    assert torch.allclose(seac.similarities(masks, audio, t, q, "window"), torch.tensor([h, h, 0.8]))
    try:
        seac.similarities(masks, audio, t, q, "clip")
    except ValueError as e:
        assert "mask_pooling must be one of" in str(e)
    else:
        raise AssertionError("an unknown pooling was accepted")


def test_silence_gate_clears_the_quiet_seconds_only():
    import numpy as np
    from methods.evaluate import gated
    from ovavss.audio import EXAMPLE_SAMPLES, example_levels_db
    x = np.zeros(2 * EXAMPLE_SAMPLES + EXAMPLE_SAMPLES // 2, dtype=np.float32)
    x[:EXAMPLE_SAMPLES] = np.where(np.arange(EXAMPLE_SAMPLES) % 2 == 0, 1.0, -1.0)
    x[2 * EXAMPLE_SAMPLES:] = 0.01
    db = example_levels_db(x, 4)
    assert np.allclose(db, [0.0, -100.0, -40.0, -100.0], atol=1e-3)
    labels = torch.ones(4, 2, 3, dtype=torch.long)
    out = gated(labels, db, -45.0)
    assert out[0].eq(1).all() and out[2].eq(1).all() and out[1].eq(0).all() and out[3].eq(0).all()
    assert gated(labels, db, None) is labels


def test_export_declares_given_choices_and_keeps_earlier_ones():
    import argparse
    from methods.export_methods import declare
    args = argparse.Namespace(naming=None, naming_note="", calibration=0.08, calibration_note="val sweep",
                              sigma=None, sigma_note="", mask_pooling=None, pooling_note="", silence_db=-30.0,
                              silence_note="", metrics_only=True, openavs_threshold=None, threshold_note="",
                              heard_naming=None, heard_note="", heard_gate=None, heard_gate_note="")
    previous = {"seac": {"naming": "window_crops", "sigma": 0.93, "sigma_choice": "val", "mask_pooling": "window",
                         "mask_pooling_choice": "val"},
                "openavs": {"naming": "window_crops"}}
    graphs = ["proposer.pt", "association_audio.pt", "association_mask.pt"]
    fresh = {"seac": {"sigma": 0.9, "graphs": list(graphs)},  # what a full export starts from
             "openavs": {"prompt_scale": 12.5, "prompt_bias": -4.9}}
    declare(fresh, args, previous)
    assert fresh["seac"]["sigma"] == 0.93 and fresh["seac"]["mask_pooling"] == "window", "earlier choices are kept"
    assert fresh["seac"]["silence_db"] == -30.0 and fresh["seac"]["silence_db_choice"] == "given to export_methods.py"
    assert fresh["openavs"]["base_calibration"] == 0.08 and fresh["seac"]["base_calibration_choice"] == "val sweep"
    assert "silence_db" not in fresh["openavs"] and fresh["openavs"]["naming"] == "window_crops"
    assert fresh["seac"]["graphs"] == graphs and "prompt_scale" not in fresh["seac"], "no heard naming unless given"
    args.heard_naming, args.heard_note = 0.3, "val sweep"
    declare(fresh, args, dict(fresh))
    assert fresh["seac"]["graphs"] == graphs + ["audio_text.pt"] and fresh["seac"]["heard_naming"] == 0.3
    assert (fresh["seac"]["prompt_scale"], fresh["seac"]["prompt_bias"]) == (12.5, -4.9), "scored as OpenAVS scores"
    args.heard_naming = None
    declare(fresh, args, dict(fresh))
    assert fresh["seac"]["heard_naming"] == 0.3 and fresh["seac"]["graphs"].count("audio_text.pt") == 1, "kept once"


def test_heard_gate_clears_the_names_a_second_does_not_sound_like():
    from methods.evaluate import heard_gated
    labels = torch.tensor([[[1, 2], [0, 2]], [[1, 1], [3, 0]]])  # two frames [2,2,2], names 1..3
    heard = torch.tensor([[0.5, 0.01, 0.9], [0.015, 0.3, 0.02]])  # each second's score of names 1..3
    out = heard_gated(labels, heard, 0.02)
    assert out.tolist() == [[[1, 0], [0, 0]], [[0, 0], [3, 0]]], "below the gate cleared; at the gate kept"
    assert heard_gated(labels, heard, None) is labels and heard_gated(labels, heard, 0.0) is labels


def test_heard_naming_adds_each_names_audio_score_with_its_weight():
    from methods.pipeline import name_rows
    text = torch.eye(3)
    # one query seen in two frames: CLIP leans to name 1 (cos 0.768 vs 0.640 for name 2)
    p = {"local": unit(0.6, 0.5, 0.0).repeat(2, 1), "q": torch.tensor([4, 4]), "t": torch.tensor([0, 1])}
    heard = torch.tensor([[0.1, 0.9, 0.2], [0.1, 0.9, 0.2]])  # both seconds sound like name 2
    assert name_rows(p, text, "window_crops").tolist() == [1, 1]
    assert name_rows(p, text, "window_crops", heard=heard, heard_weight=0.0).tolist() == [1, 1], "α 0: CLIP alone"
    # 0.768 + 0.2·0.1 = 0.788 < 0.640 + 0.2·0.9 = 0.820
    assert name_rows(p, text, "window_crops", heard=heard, heard_weight=0.2).tolist() == [2, 2]
    # 0.788 > 0.640 + 0.2·0.2: the weight does not overturn CLIP when the audio is unsure
    unsure = torch.tensor([[0.1, 0.2, 0.2], [0.1, 0.2, 0.2]])
    assert name_rows(p, text, "window_crops", heard=unsure, heard_weight=0.2).tolist() == [1, 1]
