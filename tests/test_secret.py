"""The browser-state secret: from the environment, else a 0600 file kept across restarts."""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from studio.secret import APP_DIR, ENV_VAR, SECRET_FILE, browser_state_secret, user_data_dir

HEX64 = re.compile(r"[0-9a-f]{64}")
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_environment_wins_and_nothing_is_written(tmp_path):
    assert browser_state_secret({ENV_VAR: " from-env "}, data_dir=tmp_path / "d") == "from-env"
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_environment_value_is_ignored(tmp_path, value):
    secret = browser_state_secret({ENV_VAR: value}, data_dir=tmp_path)
    assert HEX64.fullmatch(secret)
    assert (tmp_path / SECRET_FILE).exists()


@POSIX
def test_the_file_is_created_once_private_and_reused(tmp_path):
    directory = tmp_path / "not" / "yet" / "there"
    first = browser_state_secret({}, data_dir=directory)
    path = directory / SECRET_FILE
    assert HEX64.fullmatch(first)
    assert path.read_text().strip() == first
    assert mode(path) == 0o600
    assert mode(directory) == 0o700
    assert browser_state_secret({}, data_dir=directory) == first  # a restart reads it back
    assert [p.name for p in directory.iterdir()] == [SECRET_FILE]  # no temporary left behind


def test_a_secret_the_writer_put_there_is_used(tmp_path):
    (tmp_path / SECRET_FILE).write_text("my own secret\n")
    assert browser_state_secret({}, data_dir=tmp_path) == "my own secret"


@POSIX
def test_a_readable_secret_file_is_made_private(tmp_path, caplog):
    path = tmp_path / SECRET_FILE
    path.write_text("s3cret")
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="studio.secret"):
        assert browser_state_secret({}, data_dir=tmp_path) == "s3cret"
    assert mode(path) == 0o600
    assert "readable by its owner only" in caplog.text


def test_the_default_place_follows_xdg_data_home(tmp_path):
    secret = browser_state_secret({"XDG_DATA_HOME": str(tmp_path)})
    assert (tmp_path / APP_DIR / SECRET_FILE).read_text().strip() == secret


def assert_falls_back(secret: str, caplog) -> None:
    assert HEX64.fullmatch(secret)
    assert "will not survive a server restart" in caplog.text
    assert ENV_VAR in caplog.text


def test_an_unusable_directory_falls_back_with_a_warning(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a directory cannot be made under a file, not even by root
    with caplog.at_level(logging.WARNING, logger="studio.secret"):
        first = browser_state_secret({}, data_dir=blocker / "sub")
        second = browser_state_secret({}, data_dir=blocker / "sub")
    assert_falls_back(first, caplog)
    assert second == first  # one secret for the whole process, so drafts last until restart


@POSIX
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_a_read_only_directory_falls_back_with_a_warning(tmp_path, caplog):
    tmp_path.chmod(0o500)
    try:
        with caplog.at_level(logging.WARNING, logger="studio.secret"):
            assert_falls_back(browser_state_secret({}, data_dir=tmp_path), caplog)
    finally:
        tmp_path.chmod(0o700)


def test_an_empty_secret_file_is_not_used(tmp_path, caplog):
    (tmp_path / SECRET_FILE).write_text("\n")
    with caplog.at_level(logging.WARNING, logger="studio.secret"):
        secret = browser_state_secret({}, data_dir=tmp_path)
    assert_falls_back(secret, caplog)
    assert "does not hold a usable secret" in caplog.text


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"HOME": "/h"}, "linux", "/h/.local/share"),
        ({"HOME": "/h", "XDG_DATA_HOME": "/x"}, "linux", "/x"),
        ({"HOME": "/h", "XDG_DATA_HOME": "rel"}, "linux", "/h/.local/share"),  # spec: ignore
        ({"HOME": "/h"}, "darwin", "/h/Library/Application Support"),
        ({"HOME": "/h", "APPDATA": "/w/Roaming"}, "win32", "/w/Roaming"),
        ({"HOME": "/h"}, "win32", "/h/AppData/Roaming"),
    ],
)
def test_user_data_dir(env, platform, expected):
    assert user_data_dir(env, platform) == Path(expected) / APP_DIR


def test_importing_the_module_writes_nothing(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop(ENV_VAR, None)
    subprocess.run([sys.executable, "-c", "import studio.secret"], env=env, check=True,
                   cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    assert list(tmp_path.iterdir()) == []
