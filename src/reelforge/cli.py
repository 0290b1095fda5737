"""The `reelforge` command line (SPEC §3)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from reelforge.errors import ReelforgeError, new_error_id


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="reelforge", description="Script to finished MP4.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render", help="render a project file to MP4 (+ SRT, VTT, poster)")
    r.add_argument("project", type=Path)
    r.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        action="append",
        help="an output; the extension picks the format: .mp4 .m3u8 (HLS) .webm .gif .mp3",
    )
    r.add_argument("--preview", action="store_true", help="480p short side, 15 fps, fastest")
    r.add_argument(
        "--chunk-seconds", type=float, default=None, help="longest chunk in seconds (0: one chunk)"
    )
    r.add_argument("--workers", type=int, default=None)
    r.add_argument("--ray-address", default=None, help="render chunks on this Ray cluster")
    r.add_argument("--cache-dir", type=Path, default=None)
    r.add_argument(
        "--fit-speech",
        action="store_true",
        help="speed narration up (≤1.25×) to fit fixed scene durations",
    )
    r.add_argument("--no-progress", action="store_true")

    b = sub.add_parser("batch", help="render a template once per row of a CSV/JSON/JSONL file")
    b.add_argument("template", type=Path)
    b.add_argument("--data", type=Path, required=True, help="rows: .csv, .json or .jsonl")
    b.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    b.add_argument("--preview", action="store_true", help="480p short side, 15 fps, fastest")
    b.add_argument("--chunk-seconds", type=float, default=None)
    b.add_argument("--workers", type=int, default=None)
    b.add_argument("--ray-address", default=None, help="render chunks on this Ray cluster")
    b.add_argument("--cache-dir", type=Path, default=None)
    b.add_argument("--no-progress", action="store_true")

    s = sub.add_parser("still", help="render the frame at a time as PNG")
    s.add_argument("project", type=Path)
    s.add_argument("--at", type=float, required=True)
    s.add_argument("-o", "--output", type=Path, required=True)
    s.add_argument("--cache-dir", type=Path, default=None)

    n = sub.add_parser("new", help="make a project from a script (one scene per paragraph)")
    n.add_argument("--script", type=Path, required=True)
    n.add_argument("-o", "--output", type=Path, required=True)
    n.add_argument("--product", default=None, help="product image (relative to the project)")

    sub.add_parser("voices", help="list the voices")
    sub.add_parser("music-styles", help="list the music styles")
    sub.add_parser("schema", help="print the project document's JSON Schema")

    v = sub.add_parser("serve", help="serve the REST API and the editor")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8000)
    v.add_argument("--data-dir", type=Path, default=Path("reelforge-data"))

    u = sub.add_parser("user", help="manage users")
    usub = u.add_subparsers(dest="user_command", required=True)
    ua = usub.add_parser("add", help="create a user and print an API token")
    ua.add_argument("name")
    ua.add_argument("--data-dir", type=Path, default=Path("reelforge-data"))
    ul = usub.add_parser("link", help="print a new one-time sign-in link for a user")
    ul.add_argument("name")
    ul.add_argument("--data-dir", type=Path, default=Path("reelforge-data"))
    ul.add_argument("--url", default="http://127.0.0.1:8000", help="the server's address")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (1 with a one-line reason on bad input)."""
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except ReelforgeError as exc:
        print(f"reelforge: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reelforge: cancelled", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback in a file
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    import tempfile
    import traceback

    error_id = new_error_id()
    log = Path(tempfile.gettempdir()) / f"reelforge-error-{error_id}.log"
    try:
        log.write_text("".join(traceback.format_exception(exc)))
        where = f"details in {log}"
    except OSError:
        where = "no log written"
    reason = str(exc).splitlines()[0][:200] if str(exc) else ""
    print(f"reelforge: internal error {error_id} ({type(exc).__name__}: {reason}); {where}",
          file=sys.stderr)  # fmt: skip
    return 2


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "render":
        return _render(args)
    if args.command == "still":
        return _still(args)
    if args.command == "batch":
        return _batch(args)
    if args.command == "new":
        return _new(args)
    if args.command == "voices":
        from reelforge.audio.tts import list_voices

        for voice in list_voices():
            print(f"{voice.id}\t{voice.name}\t{voice.language}\t{voice.quality}")
        return 0
    if args.command == "music-styles":
        from reelforge.audio.music import list_styles

        for style in list_styles():
            lo, hi = style.tempo_range
            print(f"{style.id}\t{lo}-{hi} bpm\t{style.description}")
        return 0
    if args.command == "schema":
        from reelforge.spec import project_schema

        print(json.dumps(project_schema(), indent=2))
        return 0
    if args.command == "serve":
        from reelforge.api.server import serve

        serve(host=args.host, port=args.port, data_dir=args.data_dir)
        return 0
    if args.command == "user" and args.user_command == "link":
        from reelforge.store.users import issue_link

        secret = issue_link(data_dir=args.data_dir, name=args.name)
        print(f"{args.url.rstrip('/')}/api/auth/signin/{secret}  (one use, valid 24 hours)")
        return 0
    if args.command == "user":
        from reelforge.store.users import add_user

        print(add_user(data_dir=args.data_dir, name=args.name))
        return 0
    raise AssertionError(args.command)


def _render(args: argparse.Namespace) -> int:
    from reelforge.delivery.outputs import main_video
    from reelforge.render.pipeline import RenderOptions, render_project
    from reelforge.spec import load_project
    from reelforge.timeline.assets import DirectoryResolver

    video, others = main_video(args.output)
    project = load_project(args.project)
    options = RenderOptions(
        preview=args.preview,
        chunk_seconds=args.chunk_seconds,
        workers=args.workers,
        ray_address=args.ray_address,
        cache_dir=args.cache_dir,
        fit_speech=args.fit_speech,
    )
    cancel = threading.Event()
    show = sys.stderr.isatty() and not args.no_progress
    from reelforge.progress import ProgressBar

    with ProgressBar(enabled=show) as bar:
        try:
            result = render_project(
                project,
                resolver=DirectoryResolver(args.project.parent),
                out=video,
                options=options,
                on_progress=bar.update,
                cancel=cancel,
                outputs=others,
            )
        except KeyboardInterrupt:
            cancel.set()
            raise
    print(
        f"{result.video} ({result.duration:.2f} s, {result.frames} frames; "
        f"{result.chunks_rendered} chunks rendered, {result.chunks_cached} from cache)"
    )
    for path in result.delivered.paths if result.delivered else ():
        print(path)
    return 0


def _batch(args: argparse.Namespace) -> int:
    """Exit 0 when every row rendered, 1 with one line per failed row otherwise."""
    from reelforge.batch import read_rows, render_batch, write_results
    from reelforge.progress import BatchProgressBar
    from reelforge.render.pipeline import RenderOptions
    from reelforge.spec import check_template, read_document
    from reelforge.timeline.assets import DirectoryResolver

    template = read_document(args.template)
    declared = check_template(template)
    rows = read_rows(args.data, variables=declared)
    options = RenderOptions(
        preview=args.preview,
        chunk_seconds=args.chunk_seconds,
        workers=args.workers,
        ray_address=args.ray_address,
        cache_dir=args.cache_dir,
    )
    cancel = threading.Event()
    with BatchProgressBar(enabled=sys.stderr.isatty() and not args.no_progress) as bar:
        try:
            results = render_batch(
                template,
                rows,
                resolver=DirectoryResolver(args.template.parent),
                out_dir=args.output,
                options=options,
                on_progress=bar.update,
                cancel=cancel,
            )
        except KeyboardInterrupt:
            cancel.set()
            raise
    table = write_results(results, args.output / "results.csv")
    failed = [r for r in results if r.status != "succeeded"]
    for result in failed:
        print(f"reelforge: error: {result.error}", file=sys.stderr)
    print(f"{table} ({len(results) - len(failed)} of {len(results)} rows rendered)")
    return 1 if failed else 0


def _still(args: argparse.Namespace) -> int:
    from reelforge.render.pipeline import render_still
    from reelforge.spec import load_project
    from reelforge.timeline.assets import DirectoryResolver

    project = load_project(args.project)
    if args.at < 0:
        raise ReelforgeError("--at: must be 0 or more seconds")
    render_still(
        project,
        resolver=DirectoryResolver(args.project.parent),
        at=args.at,
        out=args.output,
        cache_dir=args.cache_dir,
    )
    print(args.output)
    return 0


def _new(args: argparse.Namespace) -> int:
    from reelforge.spec.script import project_from_script

    try:
        text = args.script.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReelforgeError(f"--script: cannot read {args.script}: {exc}") from None
    project = project_from_script(text, title=args.script.stem, product_image=args.product)
    args.output.write_text(json.dumps(project.to_document(), indent=2) + "\n")
    print(f"{args.output} ({len(project.scenes)} scenes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
