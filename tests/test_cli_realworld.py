"""The CLI on a phone photo that used to crash, and on a bug: one line, never a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

import realworld_media as rw
from reelforge import cli
from test_cli import cli as run_cli


def test_a_phone_photo_in_a_9_16_preview_still(tmp_path: Path) -> None:
    """4032×3024 (the commonest phone photo) in a 9:16 preview crashed with a traceback."""
    exif = Image.Exif()
    exif[0x0112] = 6  # taken upright: shown 3024×4032
    Image.fromarray(rw.quadrants(4032, 3024)).save(
        tmp_path / "IMG_0001.jpg", quality=80, exif=exif.tobytes()
    )
    doc = {
        "output": {"aspect": "9:16"},
        "music": {"enabled": False},
        "scenes": [{"duration": 2, "visual": {"type": "image", "src": "IMG_0001.jpg"}}],
    }
    (tmp_path / "project.json").write_text(json.dumps(doc))
    done = run_cli("still", "project.json", "--at", "1", "-o", "frame.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "frame.png") as frame:
        assert frame.size == (1080, 1920)


def test_a_bug_is_one_line_with_an_error_id_and_the_traceback_in_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bug(_args: object) -> int:
        raise KeyError("deep inside")

    monkeypatch.setattr(cli, "_dispatch", bug)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert cli.main(["voices"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    match = re.search(r"internal error (\w{12}) \(KeyError: 'deep inside'\); details in (\S+)", err)
    assert match, err
    log = Path(match[2])
    assert log.parent == tmp_path and match[1] in log.name
    assert "Traceback" in log.read_text() and "deep inside" in log.read_text()
