"""The OpenMP waiting policy that keeps llama.cpp at full speed beside torch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from studio.engines.openmp import WAITING, keep_threads_spinning

ROOT = Path(__file__).resolve().parent.parent


def test_a_value_the_user_set_is_kept(monkeypatch):
    monkeypatch.setenv("OMP_WAIT_POLICY", "PASSIVE")
    monkeypatch.delenv("GOMP_SPINCOUNT", raising=False)
    keep_threads_spinning()
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    assert os.environ["GOMP_SPINCOUNT"] == WAITING["GOMP_SPINCOUNT"]


def test_app_sets_it_before_libgomp_loads():
    # app.py's main sets the policy before anything imports torch; libgomp, loaded with torch
    # afterwards, reports the settings it read (OMP_DISPLAY_ENV).
    code = (
        "import sys, app\n"
        "try:\n    app.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules and 'llama_cpp' not in sys.modules\n"
        "import torch\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in WAITING}
    env["OMP_DISPLAY_ENV"] = "VERBOSE"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "OMP_WAIT_POLICY = 'ACTIVE'" in done.stderr
    assert "GOMP_SPINCOUNT = '300000'" in done.stderr
