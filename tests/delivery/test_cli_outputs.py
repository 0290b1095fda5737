"""`reelforge render -o …` several times: formats by extension, run as a real process."""

from __future__ import annotations

from pathlib import Path

import av

from helpers import color_scene, document
from test_cli import _project, cli


def test_several_outputs_from_one_render(media_dir: Path, tmp_path: Path) -> None:
    doc = document(color_scene("#203040", 1.0), color_scene("#405060", 1.0))
    project = _project(media_dir, tmp_path, doc)
    proc = cli(
        "render", project, "-o", tmp_path / "v.mp4", "-o", tmp_path / "hls/master.m3u8",
        "-o", tmp_path / "t.gif", "-o", tmp_path / "a.mp3", "-o", tmp_path / "copy.mp4",
        "--chunk-seconds", "1", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for name in ("v.mp4", "copy.mp4", "hls/master.m3u8", "hls/360p/index.m3u8", "t.gif", "a.mp3"):
        assert (tmp_path / name).is_file(), name
        assert str(tmp_path / name) in proc.stdout or name in ("v.mp4", "hls/360p/index.m3u8")
    with av.open(str(tmp_path / "hls/master.m3u8")) as container:
        assert sum(1 for _ in container.decode(video=0)) == 60  # 360p: a ladder of one rung


def test_without_an_mp4_the_video_goes_beside_the_first_output(
    media_dir: Path, tmp_path: Path
) -> None:
    project = _project(media_dir, tmp_path, document(color_scene("#203040", 0.5)))
    proc = cli("render", project, "-o", tmp_path / "clip.webm", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "clip.mp4").is_file() and (tmp_path / "clip.webm").is_file()


def test_unknown_extension_is_one_line_and_renders_nothing(media_dir: Path, tmp_path: Path) -> None:
    project = _project(media_dir, tmp_path, document(color_scene("#203040", 0.5)))
    proc = cli("render", project, "-o", tmp_path / "v.mp4", "-o", tmp_path / "v.avi", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "reelforge: error: -o: v.avi: unknown output format '.avi'; "
        "use one of .mp4, .m3u8, .webm, .gif, .mp3"
    ]
    assert not (tmp_path / "v.mp4").exists()
