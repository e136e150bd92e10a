"""OV-AVSS inference graph in plain PyTorch (no detectron2), named like the official checkpoint."""
from .config import OVAVSSConfig  # noqa: F401
