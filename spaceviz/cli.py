"""The command line (`spaceviz`, `python -m spaceviz`); the contract is shared/design.md §2.

Exit codes: 0 success, 2 user error (message, no traceback), 1 internal error (short
message, details in the log), 130 cancelled.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from spaceviz import __version__
from spaceviz.core.logs import log_path, setup_logging

log = logging.getLogger("spaceviz")
SUBCOMMANDS = ("render", "video", "validate", "where", "report", "oem", "porkchop")
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
    render.add_argument("--size", default="1920x1080", metavar="WxH")
    render.add_argument("--out", required=True, metavar="F.png")
    render.add_argument("--target", metavar="NAME", help="centre the camera on this object")
    render.add_argument("--distance-au", type=float, metavar="AU", help="camera distance")
    render.add_argument("--azimuth", type=float, metavar="DEG",
                        help="camera azimuth (default: the scenario's, or the target's lit side)")
    render.add_argument("--elevation", type=float, metavar="DEG", help="camera elevation")
    render.add_argument("--transparent", action="store_true", help="transparent background")
    render.add_argument("--overlay", action="store_true", help="draw the date and scale")

    video = sub.add_parser("video", help="write an H.264 MP4, headless")
    video.add_argument("scenario", nargs="?")
    video.add_argument("--from", dest="t_from", metavar="T0", help="first frame's time (default: start)")
    video.add_argument("--to", dest="t_to", metavar="T1", help="last frame's time (default: end)")
    video.add_argument("--duration", type=float, metavar="S",
                       help="seconds of video (default 10, or the whole tour)")
    video.add_argument("--fps", type=float, default=30.0, metavar="N", help="frames per second")
    video.add_argument("--size", default="1280x720", metavar="WxH")
    video.add_argument("--out", required=True, metavar="F.mp4")
    video.add_argument("--tour", metavar="NAME", help="follow this tour of the scenario")
    video.add_argument("--target", metavar="NAME", help="keep the camera on this object")
    video.add_argument("--distance-au", type=float, metavar="AU")
    video.add_argument("--quality", choices=sorted(QUALITIES), default="medium")
    video.add_argument("--overlay", action="store_true", help="draw the date and scale")
    video.add_argument("--workers", type=int, default=1, metavar="N",
                       help="render in N processes (contiguous chunks joined without re-encoding)")
    video.add_argument("--chunk", help=argparse.SUPPRESS)
    video.add_argument("--quiet", action="store_true", help="no progress bar")

    validate = sub.add_parser("validate", help="check a scenario file")
    validate.add_argument("scenario")

    report = sub.add_parser("report", help="facilities and ships at a time, as JSON")
    report.add_argument("scenario", nargs="?")
    report.add_argument("--at", required=True, metavar="T")

    oem = sub.add_parser("oem", help="write a ship's trajectory as CCSDS OEM 2.0 (KVN)")
    oem.add_argument("args", nargs="+", metavar="[SCENARIO] SHIP")
    oem.add_argument("--out", required=True, metavar="F.oem")
    oem.add_argument("--step-hours", type=float, default=6.0, metavar="H")

    pork = sub.add_parser("porkchop", help="a porkchop plot (transfer cost) as PNG")
    pork.add_argument("origin")
    pork.add_argument("target")
    pork.add_argument("--scenario", metavar="F")
    pork.add_argument("--depart", nargs=2, required=True, metavar=("T0", "T1"))
    pork.add_argument("--tof", nargs=2, type=float, default=(100.0, 500.0), metavar=("D0", "D1"),
                      help="time of flight range, days")
    pork.add_argument("--grid", type=int, default=200, metavar="N", help="N x N cells")
    pork.add_argument("--out", required=True, metavar="F.png")

    where = sub.add_parser("where", help="position and velocity of an object as JSON")
    where.add_argument("name")
    where.add_argument("--at", required=True, metavar="T")
    where.add_argument("--scenario", metavar="F")
    where.add_argument("--origin", default="SSB", choices=["SSB", "Sun", "Earth", "Moon"])
    return parser


# --- commands --------------------------------------------------------------------------


def _load_session(path):
    from spaceviz.core.scenario.session import Session

    return Session.load(path)


def cmd_render(args) -> int:
    from spaceviz.core.astro.time import parse_time
    from spaceviz.export.screenshot import parse_size, screenshot_session

    size = parse_size(args.size)
    if not args.out.lower().endswith(".png"):
        from spaceviz.core.errors import UserError

        raise UserError(f"--out {args.out}: only PNG output is supported (use a .png name)")
    session = _load_session(args.scenario)
    t = parse_time(args.at)
    session.world.ephemeris.check_range(t)
    screenshot_session(session, t, size, args.out, target=args.target,
                       distance_au=args.distance_au, azimuth_deg=args.azimuth,
                       elevation_deg=args.elevation, transparent=args.transparent,
                       overlay=args.overlay)
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
    from spaceviz.export import video
    from spaceviz.export.screenshot import parse_size

    if not args.out.lower().endswith(".mp4"):
        raise UserError(f"--out {args.out}: videos are written as MP4 (use a .mp4 name)")
    size = parse_size(args.size)
    even = video.even_size(size)
    if even != size and not args.chunk:
        print(f"spaceviz: note: H.264 needs even sizes; writing {even[0]}x{even[1]}", file=sys.stderr)
    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    session = _load_session(args.scenario)
    if args.duration is None:
        args.duration = session.tour(args.tour).duration_s if args.tour else 10.0
    elif args.tour:
        session.tour(args.tour)  # an unknown tour is a user error before any work
    total = video.frame_count(args.duration, args.fps)
    t0 = parse_time(args.t_from) if args.t_from else session.scenario.start
    t1 = parse_time(args.t_to) if args.t_to else session.scenario.end
    session.world.ephemeris.check_range([t0, t1])
    if args.target:
        session.world.get(args.target)
    progress = _progress_printer(args.quiet)
    if args.workers > 1 and not args.chunk:
        base = ["video"] + ([args.scenario] if args.scenario else []) + [
            "--from", f"jd:{t0!r}", "--to", f"jd:{t1!r}", "--duration", repr(args.duration),
            "--fps", repr(args.fps), "--size", args.size, "--quality", args.quality]
        if args.target:
            base += ["--target", args.target]
        if args.tour:
            base += ["--tour", args.tour]
        if args.overlay:
            base += ["--overlay"]
        if args.distance_au:
            base += ["--distance-au", repr(args.distance_au)]
        video.export_video_parallel(base, total, args.workers, args.out, progress)
    else:
        frames = None
        if args.chunk:
            index, count = (int(v) for v in args.chunk.split("/"))
            frames = video.chunk_ranges(total, count)[index]
        video.export_video(session, t0, t1, args.duration, args.fps, size, args.out,
                           target=args.target, distance_au=args.distance_au,
                           quality=args.quality, frames=frames, progress=progress,
                           tour=args.tour, overlay=args.overlay)
    if not args.chunk and not args.quiet:
        print(f"wrote {args.out} ({total} frames, {even[0]}x{even[1]}, {args.fps:g} fps)",
              file=sys.stderr)
    return EXIT_OK


def cmd_validate(args) -> int:
    from spaceviz.core.errors import InputFileError
    from spaceviz.core.scenario.loader import load_scenario

    try:
        scenario = load_scenario(args.scenario)
    except InputFileError as exc:
        for problem in exc.problems:
            print(problem)
        count = len(exc.problems)
        print(f"{args.scenario}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return EXIT_USER
    print(f"{args.scenario}: OK ({scenario.title}; {len(scenario.asteroid)} asteroids, "
          f"{len(scenario.catalog)} catalogues, {len(scenario.site)} sites, "
          f"{len(scenario.ship)} ships, {len(scenario.event)} events)")
    return EXIT_OK


def cmd_where(args) -> int:
    from spaceviz.core.astro.time import parse_time

    session = _load_session(args.scenario)
    t = parse_time(args.at)
    world = session.world
    obj = world.get(args.name)
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

    from spaceviz.core.astro.oem import write_oem
    from spaceviz.core.constants import AU_KM, AU_PER_DAY_TO_KM_PER_S
    from spaceviz.core.errors import UserError
    from spaceviz.export.files import atomic_output

    if len(args.args) > 2:
        raise UserError("oem takes [SCENARIO] SHIP")
    scenario, name = (args.args if len(args.args) == 2 else (None, args.args[0]))
    if not 0 < args.step_hours <= 24 * 365:
        raise UserError(f"--step-hours {args.step_hours} must be positive")
    session = _load_session(scenario)
    obj = session.world.get(name)
    ship = session.world.ships.get(obj.name)
    if ship is None:
        raise UserError(f"'{obj.name}' is a {obj.kind}, not a ship; ships: "
                        + (", ".join(session.world.ships) or "none in this scenario"))
    leg = ship.leg
    if leg is None:
        raise UserError(f"'{ship.name}' has several legs or flies an OEM file; "
                        "only single-leg Lambert transfers are exported")
    count = max(2, int(np.ceil((leg.arrive_tdb - leg.depart_tdb) * 24.0 / args.step_hours)) + 1)
    times = np.linspace(leg.depart_tdb, leg.arrive_tdb, count)
    rel_pos, rel_vel = leg.relative_state(times)  # ICRF, relative to the central body
    with atomic_output(args.out) as part, open(part, "w", encoding="ascii") as handle:
        write_oem(handle, ship.name, times, rel_pos * AU_KM, rel_vel * AU_PER_DAY_TO_KM_PER_S,
                  center=leg.central, frame="ICRF",
                  comments=[f"Lambert transfer {leg.origin} -> {leg.target}"])
    print(f"wrote {args.out} ({count} states around the {leg.central})", file=sys.stderr)
    return EXIT_OK


def cmd_porkchop(args) -> int:
    import os

    import numpy as np

    from spaceviz.core.astro.time import format_iso, parse_time
    from spaceviz.core.errors import UserError
    from spaceviz.core.mission.porkchop import porkchop

    if not 2 <= args.grid <= 1000 or not 0 < args.tof[0] < args.tof[1]:
        raise UserError("--grid must be 2..1000 and --tof D0 D1 must be increasing and positive")
    session = _load_session(args.scenario)
    t0, t1 = (parse_time(v) for v in args.depart)
    if t1 <= t0:
        raise UserError("--depart T0 T1: T1 must be after T0")
    session.world.ephemeris.check_range([t0, t1 + args.tof[1]])
    grid = porkchop(session.world, args.origin, args.target, np.linspace(t0, t1, args.grid),
                    np.linspace(args.tof[0], args.tof[1], args.grid))
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no GL needed for a 2D plot
    from spaceviz.ui.app import create_app
    from spaceviz.ui.porkchop_plot import write_porkchop_png

    create_app()
    write_porkchop_png(grid, args.out)
    depart, arrive, best = grid.best()
    print(f"wrote {args.out}; best: depart {format_iso(depart)}, arrive {format_iso(arrive)}, "
          f"{best:.2f} km/s", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"render": cmd_render, "report": cmd_report, "oem": cmd_oem, "porkchop": cmd_porkchop, "video": cmd_video, "validate": cmd_validate, "where": cmd_where}


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
    except KeyboardInterrupt:
        print("\nspaceviz: cancelled; no output was written", file=sys.stderr)
        return EXIT_CANCELLED
    except SystemExit as exc:  # argparse: 2 for bad arguments, 0 for --help/--version
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USER
    except Exception as exc:  # noqa: BLE001 (the last line of defence)
        log.exception("internal error")
        print(f"spaceviz: internal error: {type(exc).__name__}: {exc} (details in {log_path()})",
              file=sys.stderr)
        return EXIT_INTERNAL


def gui_main() -> int:
    return main()
