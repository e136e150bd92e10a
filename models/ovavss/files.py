"""Files of the model side: content digests for bundle manifests, the trainers' logs."""
import hashlib
import os
import time
from typing import Callable


def sha256(path: str) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def training_log(work: str) -> Callable[[str], None]:
    """A trainer's ``say``: each message, time-stamped, to stdout and appended to <work>/train.log
    (flushed at once, so a resumed or killed run leaves its whole history there)."""
    log = open(os.path.join(work, "train.log"), "a")

    def say(msg: str) -> None:
        line = time.strftime("%H:%M:%S ") + msg
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    return say
