"""The secret that encrypts gr.BrowserState drafts, stable across server restarts.

Gradio encrypts what it keeps in a visitor's localStorage with this secret; a new secret on
every start would make every saved draft unreadable after a restart. Nothing happens at import.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path

ENV_VAR = "STUDIO_STATE_SECRET"  # set this on Spaces and other hosts with no persistent disk
APP_DIR = "creative-writing-studio"
SECRET_FILE = "browser-state.secret"
SECRET_BYTES = 32  # 256 random bits, written as 64 hex digits
MAX_SECRET_CHARS = 1024  # a file longer than this is not a secret we wrote or a writer chose

log = logging.getLogger(__name__)


def user_data_dir(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> Path:
    """This app's per-user data directory: $XDG_DATA_HOME, else the platform's usual place."""
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    xdg = env.get("XDG_DATA_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG spec says to ignore relative paths
        return Path(xdg) / APP_DIR
    if platform == "win32":
        appdata = env.get("APPDATA")
        return (Path(appdata) if appdata else home / "AppData" / "Roaming") / APP_DIR
    if platform == "darwin":
        return home / "Library" / "Application Support" / APP_DIR
    return home / ".local" / "share" / APP_DIR


def _read_secret(path: Path) -> str | None:
    """The secret in path, None when there is no file; OSError when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        text = ""
    if not text or len(text) > MAX_SECRET_CHARS:
        raise OSError(f"{path} does not hold a usable secret")
    if os.name == "posix" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # only its owner should be able to read the drafts' key
        log.warning("Made %s readable by its owner only.", path)
    return text


def _create_secret(directory: Path) -> str:
    """Write a new secret atomically (0600) unless another process just did; return the one kept."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / SECRET_FILE
    fd, tmp = tempfile.mkstemp(prefix=".secret-", dir=directory)  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # atomic and refuses to overwrite: two first starts agree
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    secret = _read_secret(path)
    if secret is None:
        raise OSError(f"{path} vanished while it was being created")
    return secret


@cache
def _process_secret() -> str:
    """One random secret for the life of this process (made on first use, not at import)."""
    return secrets.token_hex(SECRET_BYTES)


def browser_state_secret(env: Mapping[str, str] = os.environ, data_dir: Path | None = None) -> str:
    """$STUDIO_STATE_SECRET, else the secret kept in data_dir (created once), else a random one.

    data_dir defaults to user_data_dir(env). When it cannot be read or written, the secret is
    random for this process only and a warning says that drafts will not survive a restart.
    """
    from_env = env.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    directory = Path(data_dir) if data_dir is not None else user_data_dir(env)
    try:
        return _read_secret(directory / SECRET_FILE) or _create_secret(directory)
    except OSError as err:
        log.warning(
            "Cannot keep the browser-state secret in %s (%s). Using a secret for this run only: "
            "drafts saved in browsers will not survive a server restart. Set %s to keep them.",
            directory,
            err,
            ENV_VAR,
        )
        return _process_secret()
