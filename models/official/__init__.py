"""Official OV-AVSS weights: exact configurations, Swin-B backbone, checkpoint loading and the key
spec (OVAVSS.md §1, §3-§6). Needs ``models/`` on ``sys.path`` (for the ``ovavss`` package)."""
