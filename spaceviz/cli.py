"""The command line (`spaceviz`, `python -m spaceviz`); the contract is shared/design.md §2.

Exit codes: 0 success, 2 user error (message, no traceback), 1 internal error (short
message, details in the log), 130 cancelled.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from spaceviz import __version__
from spaceviz.core.logs import log_path, setup_logging

log = logging.getLogger("spaceviz")
SUBCOMMANDS = ("render", "video", "validate", "where", "report", "oem", "porkchop", "benchmark")
QUALITIES = ("draft", "medium", "high")
EXIT_OK, EXIT_INTERNAL, EXIT_USER, EXIT_CANCELLED = 0, 1, 2, 130


# --- parsers ---------------------------------------------------------------------------


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spaceviz",
        description="3D visualiser of mining operations in the solar system. "
                    f"Subcommands: {', '.join(SUBCOMMANDS)} (spaceviz SUBCOMMAND --help).")
    parser.add_argument("scenario", nargs="?", help="scenario TOML file (default: the shipped one)")
    parser.add_argument("--present", action="store_true", help="start in presentation mode")
    parser.add_argument("--tour", help="play this tour of the scenario")
    parser.add_argument("--version", action="version", version=f"spaceviz {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    return parser


def _sub_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spaceviz")
    parser.add_argument("--version", action="version", version=f"spaceviz {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    render = sub.add_parser("render", help="render one image, headless")
    render.add_argument("scenario", nargs="?")
    render.add_argument("--at", required=True, metavar="T", help="ISO-8601 UTC or jd:<TDB>")
    render.add_argument("--size", metavar="WxH",
                        help="default 1920x1080 (fisheye 4096x4096, equirectangular 4096x2048)")
    render.add_argument("--out", required=True, metavar="F.png")
    render.add_argument("--target", metavar="NAME", help="centre the camera on this object")
    render.add_argument("--distance-au", type=float, metavar="AU", help="camera distance")
    render.add_argument("--azimuth", type=float, metavar="DEG",
                        help="camera azimuth (default: the scenario's, or the target's lit side)")
    render.add_argument("--elevation", type=float, metavar="DEG", help="camera elevation")
    render.add_argument("--from", dest="from_body", metavar="BODY",
                        help="look at --target as seen from this body (north up)")
    render.add_argument("--transparent", action="store_true", help="transparent background")
    render.add_argument("--overlay", action="store_true", help="draw the date and scale")
    render.add_argument("--constellations", action="store_true",
                        help="draw the constellation figures")
    render.add_argument("--no-stars", action="store_true", help="no star background")
    _projection_arguments(render)

    video = sub.add_parser("video", help="write an H.264 MP4, headless")
    video.add_argument("scenario", nargs="?")
    video.add_argument("--from", dest="t_from", metavar="T0", help="first frame's time (default: start)")
    video.add_argument("--to", dest="t_to", metavar="T1", help="last frame's time (default: end)")
    video.add_argument("--duration", type=float, metavar="S",
                       help="seconds of video (default 10, or the whole tour)")
    video.add_argument("--fps", type=float, default=30.0, metavar="N", help="frames per second")
    video.add_argument("--size", metavar="WxH",
                       help="default 1280x720 (fisheye 2048x2048, equirectangular 2048x1024)")
    video.add_argument("--out", required=True, metavar="F.mp4")
    video.add_argument("--tour", metavar="NAME", help="follow this tour of the scenario")
    video.add_argument("--target", metavar="NAME", help="keep the camera on this object")
    video.add_argument("--distance-au", type=float, metavar="AU")
    video.add_argument("--quality", choices=sorted(QUALITIES), default="medium")
    video.add_argument("--overlay", action="store_true", help="draw the date and scale")
    video.add_argument("--workers", type=int, metavar="N",
                       help="render on N Dask workers (a local cluster unless --cluster names "
                            "a scheduler); chunks are joined without re-encoding")
    video.add_argument("--cluster", metavar="local|ADDRESS",
                       help="render on Dask: 'local' starts a LocalCluster of --workers "
                            "processes; tcp://host:8786 uses a running scheduler")
    video.add_argument("--chunk", help=argparse.SUPPRESS)
    video.add_argument("--quiet", action="store_true", help="no progress bar")
    _projection_arguments(video)

    validate = sub.add_parser("validate", help="check a scenario file")
    validate.add_argument("scenario")

    report = sub.add_parser("report", help="facilities and ships at a time, as JSON")
    report.add_argument("scenario", nargs="?")
    report.add_argument("--at", required=True, metavar="T")

    oem = sub.add_parser("oem", help="write a ship's trajectory as CCSDS OEM 2.0 (KVN), "
                                     "one segment per leg")
    oem.add_argument("args", nargs="+", metavar="[SCENARIO] SHIP")
    oem.add_argument("--out", required=True, metavar="F.oem")
    oem.add_argument("--step-hours", type=float, default=6.0, metavar="H",
                     help="time between states (default 6)")

    pork = sub.add_parser("porkchop", help="transfer cost over departure x flight time: "
                                           "a PNG plot or a CSV of the grid")
    pork.add_argument("origin", help="body, asteroid, site or facility to leave")
    pork.add_argument("target", help="where to arrive")
    pork.add_argument("--scenario", metavar="F")
    pork.add_argument("--depart", nargs=2, required=True, metavar=("T0", "T1"))
    pork.add_argument("--tof", nargs=2, type=float, default=(100.0, 500.0), metavar=("D0", "D1"),
                      help="time of flight range, days")
    pork.add_argument("--grid", type=int, default=200, metavar="N", help="N x N cells")
    pork.add_argument("--out", required=True, metavar="F.png|F.csv",
                      help=".png: the plot; .csv: every cell (depart_utc, arrive_utc, tof_days, "
                           "c3_km2_s2, departure/arrival/total_dv_km_s)")

    bench = sub.add_parser("benchmark", help="fly a fixed camera path offscreen and print the "
                                             "frame rate this machine reaches, as JSON")
    bench.add_argument("scenario", nargs="?")
    bench.add_argument("--seconds", type=float, default=10.0, metavar="S",
                       help="how long to fly (default 10)")
    bench.add_argument("--size", default="1280x720", metavar="WxH")
    bench.add_argument("--full", action="store_true",
                       help="no level of detail: every object in every frame")

    where = sub.add_parser("where", help="position and velocity of an object as JSON")
    where.add_argument("name")
    where.add_argument("--at", required=True, metavar="T")
    where.add_argument("--scenario", metavar="F")
    where.add_argument("--origin", default="SSB", choices=["SSB", "Sun", "Earth", "Moon"])
    return parser


def _projection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--projection", default="perspective", metavar="KIND",
                        help="perspective (default), fisheye (a planetarium dome master, "
                             "square) or equirectangular (360 degrees, 2:1)")
    parser.add_argument("--fov", type=float, metavar="DEG",
                        help="fisheye aperture (default 180, up to 220); perspective: the "
                             "vertical field of view")
    parser.add_argument("--tilt", type=float, metavar="DEG",
                        help="fisheye: dome tilt; the zenith lies DEG above the view direction")


DEFAULT_SIZES = {"render": {"perspective": "1920x1080", "fisheye": "4096x4096",
                            "equirectangular": "4096x2048"},
                 "video": {"perspective": "1280x720", "fisheye": "2048x2048",
                           "equirectangular": "2048x1024"}}


def _projection_and_size(args):
    """The projection and output size the options ask for (UserError when they clash)."""
    from spaceviz.core.state.projection import parse_projection
    from spaceviz.export.screenshot import parse_size

    projection = parse_projection(args.projection, args.fov, args.tilt)
    size = parse_size(args.size or DEFAULT_SIZES[args.command][projection.kind])
    projection.check_size(size)
    return projection, size


# --- commands --------------------------------------------------------------------------


def _load_session(path):
    from spaceviz.core.scenario.session import Session

    return Session.load(path)


def _state(session):
    from spaceviz.core.state.app_state import AppState

    return AppState(session)


def _prepare_gl() -> None:
    """Choose the GL backend for headless rendering; under Qt (a display, or Xvfb), canvases
    that are never shown get contexts of their own through the UI's offscreen canvases."""
    from spaceviz.export.backend import ensure_headless_backend

    if ensure_headless_backend() == "pyside6":
        from spaceviz.ui.app import create_app

        create_app()


def cmd_render(args) -> int:
    from spaceviz.core.astro.time import parse_time
    from spaceviz.core.errors import UserError
    from spaceviz.export.screenshot import screenshot

    projection, size = _projection_and_size(args)
    if not args.out.lower().endswith(".png"):
        raise UserError(f"--out {args.out}: only PNG output is supported (use a .png name)")
    session = _load_session(args.scenario)
    t = parse_time(args.at)
    session.world.ephemeris.check_range(t)
    state = _state(session)
    state.look_at(args.target, t, args.distance_au, args.azimuth, args.elevation,
                  from_body=args.from_body)
    _prepare_gl()
    state.presentation.update({"show_date": args.overlay, "show_scale": args.overlay})
    state.view.update({"constellations": args.constellations,
                       "stars": not (args.no_stars or args.transparent)})  # transparent: to composite
    screenshot(state, size, args.out, transparent=args.transparent, projection=projection)
    print(f"wrote {args.out} ({size[0]}x{size[1]})", file=sys.stderr)
    return EXIT_OK


def _progress_printer(quiet: bool):
    if quiet:
        return None
    interactive = sys.stderr.isatty()
    state = {"last_decile": -1}

    def show(progress) -> None:
        if interactive:
            end = "\n" if progress.done == progress.total else ""
            print("\r" + progress.bar(), end=end, file=sys.stderr, flush=True)
            return
        decile = 10 * progress.done // max(progress.total, 1)
        if decile != state["last_decile"]:
            state["last_decile"] = decile
            print(progress.bar(), file=sys.stderr, flush=True)

    return show


def cmd_video(args) -> int:
    from spaceviz.core.astro.time import parse_time
    from spaceviz.core.errors import UserError
    from spaceviz.core.state.tour import build_tour
    from spaceviz.export import video
    from spaceviz.export.cluster import VideoJob

    if not args.out.lower().endswith(".mp4"):
        raise UserError(f"--out {args.out}: videos are written as MP4 (use a .mp4 name)")
    projection, size = _projection_and_size(args)
    even = video.even_size(size)
    if even != size:
        projection.check_size(even)
        if not args.chunk:
            print(f"spaceviz: note: H.264 needs even sizes; writing {even[0]}x{even[1]}",
                  file=sys.stderr)
    if args.workers is not None and args.workers < 1:
        raise UserError("--workers must be at least 1")
    distributed = args.cluster is not None or (args.workers or 1) > 1
    if distributed and args.chunk:
        raise UserError("--chunk renders one part here; it does not combine with --workers "
                        "or --cluster")
    session = _load_session(args.scenario)
    tour = build_tour(session, args.tour) if args.tour else None  # unknown: exit 2 now
    if args.duration is None:
        args.duration = tour.duration_s if tour else 10.0
    total = video.frame_count(args.duration, args.fps)
    t0 = parse_time(args.t_from) if args.t_from else session.scenario.start
    t1 = parse_time(args.t_to) if args.t_to else session.scenario.end
    session.world.ephemeris.check_range([t0, t1])
    spec = video.VideoSpec(t0, t1, args.duration, args.fps, even, args.quality, args.tour,
                           args.overlay, projection)
    scenario = str(Path(args.scenario).resolve()) if args.scenario else None
    job = VideoJob(scenario, args.target, args.distance_au, spec)
    state = job.state(session)  # unknown --target: exit 2 here, before any worker starts
    progress = _progress_printer(args.quiet)
    if distributed:
        from spaceviz.export.cluster import export_video_dask

        export_video_dask(job, args.out, args.cluster or "local", args.workers, progress)
    else:
        _prepare_gl()
        frames = None
        if args.chunk:
            index, count = _parse_chunk(args.chunk, total)
            frames = video.chunk_ranges(total, count)[index]
        video.export_spec(state, spec, args.out, frames=frames, progress=progress)
    if not args.chunk and not args.quiet:
        print(f"wrote {args.out} ({total} frames, {even[0]}x{even[1]}, {args.fps:g} fps)",
              file=sys.stderr)
    return EXIT_OK


def _parse_chunk(text: str, total: int) -> tuple[int, int]:
    from spaceviz.core.errors import UserError

    try:
        index, count = (int(v) for v in text.split("/"))
    except ValueError:
        raise UserError(f"--chunk {text}: expected I/N (part I of N, from 0)") from None
    if not (count >= 1 and 0 <= index < min(count, total)):
        raise UserError(f"--chunk {text}: part I of N needs 0 <= I < N (and N <= {total} frames)")
    return index, count


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def cmd_validate(args) -> int:
    from spaceviz.core.errors import InputFileError

    try:
        session = _load_session(args.scenario)
    except InputFileError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{args.scenario}: {_plural(len(exc.problems), 'problem')}", file=sys.stderr)
        return EXIT_USER
    s = session.scenario
    counts = ", ".join(_plural(n, noun) for n, noun in (
        (len(s.asteroid), "asteroid"), (len(s.catalog), "catalogue"), (len(s.site), "site"),
        (len(s.facility), "facility"), (len(s.ship), "ship"), (len(s.event), "event"),
        (len(s.tour), "tour")))
    print(f"{args.scenario}: OK ({s.title}; {counts.replace('facilitys', 'facilities')})")
    return EXIT_OK


def cmd_where(args) -> int:
    from spaceviz.core.astro.time import parse_time

    session = _load_session(args.scenario)
    t = parse_time(args.at)
    world = session.world
    obj = world.resolve(args.name)
    pos, vel = world.state(obj.name, t, origin=args.origin)
    result = {
        "name": obj.name,
        "jd_tdb": t,
        "frame": "ICRF",
        "origin": args.origin,
        "position_au": [float(v) for v in pos],
        "velocity_au_per_day": [float(v) for v in vel],
    }
    print(json.dumps(result, indent=2))
    return EXIT_OK


def cmd_report(args) -> int:
    from spaceviz.core.astro.time import parse_time

    session = _load_session(args.scenario)
    t = parse_time(args.at)
    session.world.ephemeris.check_range(t)
    print(json.dumps(session.report(t), indent=2))
    return EXIT_OK


def cmd_oem(args) -> int:
    import numpy as np

    from spaceviz.core.astro.oem import OemData, write_oem
    from spaceviz.core.errors import UserError
    from spaceviz.core.mission.trajectories import OemArc
    from spaceviz.export.files import atomic_output

    if len(args.args) > 2:
        raise UserError("oem takes [SCENARIO] SHIP")
    scenario, name = (args.args if len(args.args) == 2 else (None, args.args[0]))
    if not 0 < args.step_hours <= 24 * 365:
        raise UserError(f"--step-hours {args.step_hours} must be positive")
    session = _load_session(scenario)
    ship = session.ship(name)
    if any(isinstance(leg, OemArc) for leg in ship.plan.legs):
        raise UserError(f"'{ship.name}' flies an OEM file already; it is not exported again")
    step_days = args.step_hours / 24.0
    segments = []
    for leg in ship.plan.legs:  # one segment per arc (an electric leg may have several)
        for arc in leg.arcs:
            span = arc.arrive_tdb - arc.depart_tdb
            whole_steps = int(np.floor(span / step_days * (1 + 1e-12)))
            times = arc.depart_tdb + step_days * np.arange(whole_steps + 1)
            if arc.arrive_tdb - times[-1] > 1e-9:
                times = np.append(times, arc.arrive_tdb)  # the arrival itself after whole steps
            pos_km, vel_km_s = arc.relative_state(times)
            what = "transfer" if len(leg.arcs) == 1 else arc.method
            segments.append(OemData(times, pos_km, vel_km_s, arc.central,
                                    f"{what} {leg.from_name} -> {leg.to_name}"))
    with atomic_output(args.out) as part, open(part, "w", encoding="ascii") as handle:
        write_oem(handle, ship.name, segments)
    states = sum(len(seg.times_tdb) for seg in segments)
    print(f"wrote {args.out} ({states} states in {len(segments)} segment"
          f"{'' if len(segments) == 1 else 's'})", file=sys.stderr)
    return EXIT_OK


def cmd_porkchop(args) -> int:
    import os

    import numpy as np

    from spaceviz.core.astro.time import format_iso, parse_time
    from spaceviz.core.errors import UserError
    from spaceviz.core.mission.trajectories import porkchop

    out = args.out.lower()
    if not (out.endswith(".png") or out.endswith(".csv")):
        raise UserError(f"--out {args.out}: write a porkchop as .png (a plot) or .csv (the grid)")
    if not 2 <= args.grid <= 1000 or not 0 < args.tof[0] < args.tof[1]:
        raise UserError("--grid must be 2..1000 and --tof D0 D1 must be increasing and positive")
    session = _load_session(args.scenario)
    t0, t1 = (parse_time(v) for v in args.depart)
    if t1 <= t0:
        raise UserError("--depart T0 T1: T1 must be after T0")
    world = session.world
    world.ephemeris.check_range([t0, t1 + args.tof[1]])
    grid = porkchop(world.place(args.origin), world.place(args.target),
                    np.linspace(t0, t1, args.grid),
                    np.linspace(args.tof[0], args.tof[1], args.grid), world.ephemeris)
    depart, arrive, best = grid.best()  # UserError when no cell has a transfer
    if out.endswith(".csv"):
        from spaceviz.export.tables import write_porkchop_csv

        write_porkchop_csv(grid, args.out)
    else:
        if not os.environ.get("DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no GL needed for a 2D plot
        from spaceviz.ui.app import create_app
        from spaceviz.ui.porkchop_plot import write_porkchop_png

        create_app()
        write_porkchop_png(grid, args.out)
    print(f"wrote {args.out}; best: depart {format_iso(depart)}, arrive {format_iso(arrive)}, "
          f"{best:.2f} km/s ({grid.origin} -> {grid.target}, about the {grid.central})",
          file=sys.stderr)
    return EXIT_OK


def cmd_benchmark(args) -> int:
    from spaceviz.core.errors import UserError
    from spaceviz.export.screenshot import parse_size

    if not 0.5 <= args.seconds <= 3600:
        raise UserError(f"--seconds {args.seconds:g}: give 0.5 to 3600 seconds")
    size = parse_size(args.size)
    state = _state(_load_session(args.scenario))
    _prepare_gl()
    from spaceviz.render.benchmark import run_benchmark

    print(json.dumps(run_benchmark(state, args.seconds, size, full=args.full)))
    return EXIT_OK


COMMANDS = {"render": cmd_render, "report": cmd_report, "oem": cmd_oem, "porkchop": cmd_porkchop, "video": cmd_video, "validate": cmd_validate, "where": cmd_where,
            "benchmark": cmd_benchmark}


def _run(argv: list[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS:
        args = _sub_parser().parse_args(argv)
        setup_logging(args.verbose)
        handler = COMMANDS.get(args.command)
        if handler is None:
            print(f"spaceviz: '{args.command}' is not available in this version", file=sys.stderr)
            return EXIT_USER
        return handler(args)
    args = _app_parser().parse_args(argv)
    setup_logging(args.verbose)
    from spaceviz.ui.app import run_app

    return run_app(args.scenario, present=args.present, tour=args.tour)


def _export_failures() -> tuple[type[Exception], ...]:
    """Failures of an export that are reported as such (exit 1), not as internal errors."""
    if "spaceviz.export.video" not in sys.modules:
        return ()
    from spaceviz.export.video import EncoderError, ExportFailed

    return (ExportFailed, EncoderError)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (never raises for user mistakes)."""
    import warnings

    warnings.filterwarnings("ignore", message=".*finals2000A.all.*")
    argv = list(sys.argv[1:] if argv is None else argv)
    from spaceviz.core.errors import UserError

    try:
        return _run(argv)
    except UserError as exc:
        print(f"spaceviz: error: {exc}", file=sys.stderr)
        return EXIT_USER
    except _export_failures() as exc:
        log.info("export failed: %s", exc)
        print(f"spaceviz: error: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        print("\nspaceviz: cancelled; no output was written", file=sys.stderr)
        return EXIT_CANCELLED
    except BrokenPipeError:
        # the reader stopped early (`spaceviz report ... | head`): not an error; stdout goes
        # to /dev/null so that Python's flush at exit does not complain again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except SystemExit as exc:  # argparse: 2 for bad arguments, 0 for --help/--version
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USER
    except Exception as exc:  # noqa: BLE001 (the last line of defence)
        log.exception("internal error")
        print(f"spaceviz: internal error: {type(exc).__name__}: {exc} (details in {log_path()})",
              file=sys.stderr)
        return EXIT_INTERNAL


def gui_main() -> int:
    return main()
