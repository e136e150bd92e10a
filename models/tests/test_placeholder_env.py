import numpy as np
import torch


def test_torch_and_numpy_available():
    # The model side needs both; this fails loudly on a machine set up without them.
    assert torch.__version__.startswith("1.") or torch.__version__.startswith("2.")
    assert np.allclose(torch.ones(2).numpy(), np.ones(2))
