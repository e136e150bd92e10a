"""The trainers' resumable state: one file per trainer, written beside itself and moved into place."""
import os
import time

import torch


class Checkpoint:
    """Module + optimiser + step + elapsed wall clock in ``path``, saved at most every ``every`` s."""

    def __init__(self, path: str, module: torch.nn.Module, opt: torch.optim.Optimizer, key: str = "model",
                 every: float = 60.0):
        self.path, self.module, self.opt, self.key, self.every = path, module, opt, key, every
        self.last = time.time()

    def resume(self):
        """(step, elapsed seconds) of the saved state, loaded into the module and optimiser; (0, 0.0) if none."""
        if not os.path.exists(self.path):
            return 0, 0.0
        ck = torch.load(self.path)
        self.module.load_state_dict(ck[self.key])
        self.opt.load_state_dict(ck["opt"])
        return ck["step"], ck["elapsed"]

    def maybe_save(self, step: int, elapsed: float) -> None:
        if time.time() - self.last > self.every:
            self.save(step, elapsed)

    def save(self, step: int, elapsed: float) -> None:
        torch.save({self.key: self.module.state_dict(), "opt": self.opt.state_dict(), "step": step,
                    "elapsed": elapsed}, self.path + ".tmp")
        os.replace(self.path + ".tmp", self.path)
        self.last = time.time()
