"""How waiting OpenMP threads behave in a process where llama.cpp and torch both compute.

llama.cpp's CPU kernels (ggml) and torch's load the same libgomp. Once torch has started its
own worker threads, libgomp counts more threads than CPUs and makes every waiting thread give
its core away after 100 spins. llama.cpp waits at a barrier after every operation of every
token, so from then on it writes a fifth slower, for the rest of the process's life (measured
on 2 cores with the 0.5B-sized model: 30 tok/s before torch first ran a model, 24 after; a GGUF
conversion or a translation model on transformers is enough). OMP_WAIT_POLICY=ACTIVE makes that
1000 spins, which keeps llama.cpp at full speed; GOMP_SPINCOUNT keeps libgomp's usual spinning
(about 3 ms) before an idle thread sleeps, so nothing burns a core between requests.

libgomp reads these once, when it loads (with torch or llama_cpp): set them before either is
imported. A value the user set is kept.
"""

from __future__ import annotations

import os

WAITING = {"OMP_WAIT_POLICY": "ACTIVE", "GOMP_SPINCOUNT": "300000"}


def keep_threads_spinning() -> None:
    """Set the waiting policy above in this process's environment, unless already set."""
    for name, value in WAITING.items():
        os.environ.setdefault(name, value)
