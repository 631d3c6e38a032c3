"""The house model: a small GPT-2 trained by this project on freely licensed text.

It ships in assets/house-model so the studio writes something on a machine with no model hub.
"""

from __future__ import annotations

from pathlib import Path

HOUSE_NAME = "house"
HOUSE_DIR = Path(__file__).resolve().parents[2] / "assets" / "house-model"
GET_A_BETTER_MODEL = (
    "For much better writing, connect to the internet once and start with "
    "`--model Qwen/Qwen2.5-0.5B-Instruct`, or pass a local folder with `--model PATH`."
)


def resolve_model(name: str) -> str:
    """The path or hub id to load: 'house' means the bundled house model."""
    return str(HOUSE_DIR) if name.strip().lower() == HOUSE_NAME else name
