"""Bare TorchScript forward of a bundle's graphs, for comparison with the Java benchmark's
forward_clips_per_s / pipeline_clips_per_s on the same device.

One window = audio_encoder(log_mel[T,1,96,64]), segmenter(frames[T,3,Hp,Wp], audio[T,128]), then
clip_image on --crops-per-window random crops in chunks of 64 (the Java run's clip_crops_per_window:
the official model runs CLIP over each valid mask), the same calls and shapes as
InferenceService.forwardNanos. Two figures:
  resident: inputs already on the device, outputs left there (pure model time);
  host_io:  inputs copied from host memory and both outputs copied back, as the Java side does.
clips/s = clips / seconds for clips*windows_per_clip windows (best of --repeats).
"""
import argparse
import json
import os
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", default="models/demo-avshapes")
    ap.add_argument("--hp", type=int, required=True)
    ap.add_argument("--wp", type=int, required=True)
    ap.add_argument("--clips", type=int, default=6)
    ap.add_argument("--windows-per-clip", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--crops-per-window", type=int, default=0,
                    help="CLIP image crops per window (the Java run's clip_crops_per_window, rounded; 0: no CLIP)")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--no-jit-opt", action="store_true",
                    help="TorchScript graph executor without optimisation (what -Dai.djl.pytorch.graph_optimizer=false does)")
    a = ap.parse_args()
    if a.no_jit_opt:
        torch._C._set_graph_executor_optimize(False)

    with open(os.path.join(a.bundle, "bundle.json")) as f:
        manifest = json.load(f)
    t = manifest["frames_per_clip"]
    dev = torch.device(a.device)
    audio = torch.jit.load(os.path.join(a.bundle, "audio_encoder.pt"), map_location=dev).eval()
    seg = torch.jit.load(os.path.join(a.bundle, "segmenter.pt"), map_location=dev).eval()
    image = torch.jit.load(os.path.join(a.bundle, "clip_image.pt"), map_location=dev).eval()
    g = torch.Generator().manual_seed(1)
    frames_h = torch.randn(t, 3, a.hp, a.wp, generator=g)
    side = manifest["clip"]["input_size"]
    crops_h = torch.randn(a.crops_per_window, 3, side, side, generator=g)
    crops_d = crops_h.to(dev)
    chunk = 64  # ModelSession.IMAGE_CHUNK
    mel_h = torch.zeros(t, 1, 96, 64)
    frames_d = frames_h.to(dev)
    mel_d = mel_h.to(dev)
    windows = a.clips * a.windows_per_clip

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    def resident():
        emb = audio(mel_d)
        out = seg(frames_d, emb)
        return out, [image(crops_d[s:s + chunk]) for s in range(0, a.crops_per_window, chunk)]

    def host_io():
        emb = audio(mel_h.to(dev)).cpu()  # the Java side copies the embedding out, then back in
        out = seg(frames_h.to(dev), emb.to(dev))
        out = [o.cpu() for o in out]
        return out, [image(crops_h[s:s + chunk].to(dev)).cpu() for s in range(0, a.crops_per_window, chunk)]

    res = {}
    with torch.inference_mode():
        for name, fn in (("resident", resident), ("host_io", host_io)):
            for _ in range(a.warmup):
                fn()
            sync()
            best = float("inf")
            for _ in range(a.repeats):
                sync()
                t0 = time.perf_counter()
                for _ in range(windows):
                    fn()
                sync()
                best = min(best, time.perf_counter() - t0)
            res[name] = a.clips / best
            print(f"python_forward_{name}_clips_per_s {res[name]:.3f} clips/s")
            print(f"python_forward_{name}_ms_per_window {1000 * best / windows:.3f} ms")
    name = torch.cuda.get_device_name(0) if dev.type == "cuda" else "CPU"
    print(f"python_device {name.replace(' ', '_')} -")
    print(f"python_torch {torch.__version__} -")
    print(f"python_jit_optimize {int(torch._C._get_graph_executor_optimize())} -")
    print(f"python_shape frames[{t},3,{a.hp},{a.wp}]_mel[{t},1,96,64]_crops[{a.crops_per_window},3,{side},{side}]"
          f"_windows_{windows} -")


if __name__ == "__main__":
    main()
