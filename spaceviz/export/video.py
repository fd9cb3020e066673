"""H.264 MP4 export with a fixed time step: render and encode overlap through a bounded queue.

The main thread renders (it owns the GL context); a writer thread feeds ffmpeg (the binary
imageio-ffmpeg ships), which encodes in its own process. The output appears only when
complete (`F.mp4.part` renamed), cancel stops both sides and deletes the partial file, and
an encoder failure is reported with ffmpeg's message.

A video is a sequence of fixed chunks of about CHUNK_SECONDS (`video_chunks`), each encoded
on its own (it starts with a keyframe) from a scene reset at its first frame, and joined
without re-encoding. So every chunk is a pure function of its frame indices: rendered here
one after another, or by Dask workers (export/cluster.py), the file is the same, byte for
byte, and its frame count is checked before it appears.
"""

from __future__ import annotations

import logging
import math
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spaceviz.core.errors import UserError
from spaceviz.core.state.projection import Projection

log = logging.getLogger(__name__)
QUEUE_FRAMES = 8
QUALITY_CRF = {"draft": 30, "medium": 23, "high": 18}
PRESET = {"draft": "ultrafast", "medium": "veryfast", "high": "medium"}
CHUNK_SECONDS = 2.0
"""Length of the chunks a video is encoded in (each starts with a keyframe)."""
ENCODER_THREADS = 4
"""x264's output depends on its thread count: fixed, so every machine encodes a chunk alike."""


class ExportCancelled(Exception):
    """The user cancelled an export; nothing was left behind."""


class EncoderError(RuntimeError):
    """ffmpeg failed; the message carries its output."""


class ExportFailed(RuntimeError):
    """A video could not be completed (a chunk failed, frames are missing); nothing written."""


@dataclass
class Progress:
    """Frames done out of total, elapsed seconds and an ETA (seconds, None until known)."""

    done: int
    total: int
    elapsed_s: float

    @property
    def eta_s(self) -> float | None:
        if self.done == 0:
            return None
        return self.elapsed_s / self.done * (self.total - self.done)

    def bar(self, width: int = 30) -> str:
        filled = int(width * self.done / max(self.total, 1))
        eta = "" if self.eta_s is None else f" ETA {self.eta_s:5.0f} s"
        return (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} frames "
                f"{self.done / max(self.elapsed_s, 1e-9):5.1f} fps{eta}")


def frame_count(duration_s: float, fps: float) -> int:
    """Exactly round(duration x fps) frames; a UserError when that is not positive."""
    if not (math.isfinite(duration_s) and duration_s > 0):
        raise UserError(f"--duration {duration_s} must be a positive number of seconds")
    if not (math.isfinite(fps) and 0 < fps <= 240):
        raise UserError(f"--fps {fps} must be between 0 and 240")
    count = round(duration_s * fps)
    if count < 1:
        raise UserError(f"--duration {duration_s} at --fps {fps} gives no frames")
    return count


def frame_times(t0_tdb: float, t1_tdb: float, count: int) -> np.ndarray:
    """Scenario times of each frame: uniform steps from t0 to t1 inclusive (float64 TDB)."""
    if count == 1:
        return np.array([t0_tdb])
    return t0_tdb + (t1_tdb - t0_tdb) * np.arange(count) / (count - 1)


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    """H.264 in yuv420p needs even dimensions: round odd ones down (at least 2)."""
    return max(2, size[0] - size[0] % 2), max(2, size[1] - size[1] % 2)


class Mp4Writer:
    """A writer thread piping RGB frames from a bounded queue into ffmpeg (libx264, yuv420p).

    ffmpeg is the binary imageio-ffmpeg ships; its stderr goes to a temporary file so an
    encoder failure can be reported with ffmpeg's own words."""

    def __init__(self, path: Path, size: tuple[int, int], fps: float, quality: str = "medium"):
        import imageio_ffmpeg

        self.path = path
        self.size = size
        self.queue: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
        self.error: BaseException | None = None
        self._aborted = False
        self._stderr = tempfile.TemporaryFile()
        command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                   "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{size[0]}x{size[1]}",
                   "-r", f"{fps:g}", "-i", "-", "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                   "-crf", str(QUALITY_CRF[quality]), "-preset", PRESET[quality],
                   "-threads", str(ENCODER_THREADS),
                   "-movflags", "+faststart", "-f", "mp4", str(path)]
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             stderr=self._stderr)
        except OSError as exc:
            self._stderr.close()
            raise EncoderError(f"could not start the video encoder ffmpeg: {exc}") from None
        self._thread = threading.Thread(target=self._run, name="mp4-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        stdin = self._process.stdin
        try:
            while True:
                frame = self.queue.get()
                if frame is None:
                    break
                stdin.write(memoryview(frame).cast("B"))
        except BaseException as exc:  # noqa: BLE001 (reported to the caller)
            self.error = exc
        finally:
            try:
                stdin.close()
            except OSError:
                pass
            if self._aborted:
                self._process.kill()
            code = self._process.wait()
            if code != 0 and not self._aborted and self.error is None:
                self.error = EncoderError(self._ffmpeg_message(code))
            self._stderr.close()

    def _ffmpeg_message(self, code: int) -> str:
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            text = ""
        return f"the video encoder failed (ffmpeg exit {code}): {text[-800:] or 'no message'}"

    def put(self, frame: np.ndarray) -> None:
        """Queue one (H, W, 3) uint8 frame; blocks while the queue is full (back-pressure)."""
        frame = np.ascontiguousarray(frame, dtype=np.uint8)
        self._raise_error()
        if not self._offer(frame, check=True):
            self._raise_error()
            raise EncoderError("the video encoder stopped early")

    def finish(self) -> None:
        """Tell the writer that no frame follows (ffmpeg goes on encoding what it has)."""
        self._offer(None, check=False)

    def _offer(self, item, check: bool) -> bool:
        """Queue an item while the writer lives (False once it has stopped); `check` raises
        the writer's error as soon as it has one."""
        while self._thread.is_alive():
            try:
                self.queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                if check:
                    self._raise_error()
        return False

    def close(self) -> None:
        """Flush and wait for ffmpeg to finish the file; raises EncoderError on failure."""
        self.finish()
        self._thread.join()
        self._raise_error()

    def abort(self) -> None:
        """Stop at once: ffmpeg is killed; the caller deletes the partial file."""
        self._aborted = True
        while True:
            try:
                self.queue.get_nowait()
            except queue.Empty:
                break
        try:
            self.queue.put_nowait(None)
        except queue.Full:
            pass
        if self._process.poll() is None:
            self._process.kill()
        self._thread.join(timeout=30)

    def _raise_error(self) -> None:
        if self.error is not None:
            if isinstance(self.error, EncoderError):
                raise self.error
            if not self._thread.is_alive():
                raise EncoderError(self._ffmpeg_message(self._process.returncode or -1)) from self.error
            raise EncoderError(f"the video encoder failed: {self.error}") from self.error


def encode_frames(render_frame: Callable[[int], np.ndarray], count: int, out: str | Path,
                  size: tuple[int, int], fps: float, quality: str = "medium",
                  progress: Callable[[Progress], None] | None = None,
                  cancel: threading.Event | None = None) -> Path:
    """Render `count` frames with `render_frame(k)` and encode them into `out` (atomic): one
    chunk of every frame (the loop of `encode_chunk`), with progress."""
    out = Path(out)
    part = out.with_name(out.name + ".part")
    started = wallclock.perf_counter()
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(Progress(done, count, wallclock.perf_counter() - started))

    try:
        encode_chunk(render_frame, range(count), part, size, fps, quality, tick, cancel).close()
        os.replace(part, out)
    except BaseException:
        if part.exists():
            part.unlink()
        raise
    return out


# --- chunks ----------------------------------------------------------------------------


def video_chunks(total: int, fps: float, frames: range | None = None) -> list[range]:
    """The video's fixed chunks of about CHUNK_SECONDS (the same whoever renders them), cut
    to `frames` (default all) when only part of the video is made."""
    length = max(1, round(CHUNK_SECONDS * fps))
    frames = frames if frames is not None else range(total)
    chunks = [range(max(a, frames.start), min(a + length, total, frames.stop))
              for a in range(0, total, length)]
    return [chunk for chunk in chunks if len(chunk)]


def chunk_ranges(total: int, workers: int) -> list[range]:
    """Contiguous, nearly equal frame ranges, one per part (`video --chunk i/N`)."""
    workers = max(1, min(workers, total))
    bounds = np.linspace(0, total, workers + 1).round().astype(int)
    return [range(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def chunk_name(chunk: range) -> str:
    return f"frames{chunk.start:07d}-{chunk.stop - 1:07d}.mp4"


def count_frames(path: str | Path) -> int:
    """The number of video frames in an MP4 (read from the container, not decoded)."""
    import imageio_ffmpeg

    try:
        return int(imageio_ffmpeg.count_frames_and_secs(str(path))[0])
    except RuntimeError:
        return 0


def encode_chunk(render_frame: Callable[[int], np.ndarray], chunk: range, path: Path,
                 size: tuple[int, int], fps: float, quality: str,
                 on_frame: Callable[[], None] | None = None,
                 cancel: threading.Event | None = None) -> Mp4Writer:
    """Render the frames of `chunk` with `render_frame(k)` into an encoder writing `path`;
    returns the writer, finishing (close it to wait). On any error nothing is left running."""
    writer = Mp4Writer(path, size, fps, quality)
    try:
        for k in chunk:
            if cancel is not None and cancel.is_set():
                raise ExportCancelled()
            frame = render_frame(k)
            if frame.shape[:2] != (size[1], size[0]):
                raise RuntimeError(f"frame {k} is {frame.shape[1]}x{frame.shape[0]}, not {size}")
            writer.put(frame[..., :3])
            if on_frame is not None:
                on_frame()
        writer.finish()
    except BaseException:
        writer.abort()
        raise
    return writer


def finish_video(parts: list[Path], out: str | Path, total: int, spherical: bool = False) -> Path:
    """Join the chunks without re-encoding, check the frame count, tag 360 video, and only
    then let `out` appear (atomic)."""
    out = Path(out)
    part = out.with_name(out.name + ".part")
    try:
        join_chunks(parts, part)
        frames = count_frames(part)
        if frames != total:
            raise ExportFailed(f"the joined video has {frames} frames instead of {total}; "
                               "nothing was written")
        if spherical:
            from spaceviz.export.spherical import tag_equirectangular

            tag_equirectangular(part)
        os.replace(part, out)
    finally:
        if part.exists():
            part.unlink()
    return out


def join_chunks(parts: list[Path], path: Path) -> None:
    """Concatenate MP4 chunks with identical encoding parameters into `path` (stream copy)."""
    import imageio_ffmpeg

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        for chunk in parts:
            listing.write(f"file '{Path(chunk).resolve()}'\n")
    try:
        result = subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f",
             "concat", "-safe", "0", "-i", listing.name, "-c", "copy", "-movflags", "+faststart",
             "-f", "mp4", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            raise EncoderError(f"joining the video chunks failed: {result.stderr.strip()}")
    finally:
        os.unlink(listing.name)


def chunk_folder(out: Path) -> Path:
    """A hidden temporary folder beside the output for its chunks (same file system)."""
    return Path(tempfile.mkdtemp(prefix=".spaceviz-chunks-", dir=out.resolve().parent))


# --- frames ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VideoSpec:
    """What a video shows, independent of who renders it: TDB times t0..t1 (a uniform sweep)
    or a tour, seconds, frames per second, output pixels (even), quality, overlay and
    projection. Picklable (Dask workers get it)."""

    t0_tdb: float
    t1_tdb: float
    duration_s: float
    fps: float
    size: tuple[int, int]
    quality: str = "medium"
    tour: str | None = None
    overlay: bool = False
    projection: Projection = Projection()

    @property
    def total(self) -> int:
        return frame_count(self.duration_s, self.fps)


class VideoFrames:
    """Frame k of a VideoSpec as a pure function of k and the first frame of its chunk
    (`start_chunk`), drawn from an AppState the export owns in an offscreen scene of its
    own."""

    def __init__(self, state, spec: VideoSpec):
        from spaceviz.core.state.tour import TourPlayer, build_tour

        state.session.world.ephemeris.check_range(np.array([spec.t0_tdb, spec.t1_tdb]))
        self.state, self.spec = state, spec
        self.times = frame_times(spec.t0_tdb, spec.t1_tdb, spec.total)
        timeline = state.timeline
        timeline.pause()
        timeline.set_bounds(min(spec.t0_tdb, spec.t1_tdb, timeline.start),
                            max(spec.t0_tdb, spec.t1_tdb, timeline.end))
        self.player = (TourPlayer(build_tour(state.session, spec.tour), timeline, state.camera)
                       if spec.tour else None)
        show = spec.overlay or self.player is not None
        state.presentation.update({"show_date": show, "show_scale": show, "caption": "",
                                   "title": ""})
        self.renderer = None

    def _place(self, k: int) -> None:
        """Move the state (clock, tour camera, captions) to frame k."""
        if self.player is not None:
            frame = self.player.seek(k / self.spec.fps)
            self.state.presentation.update({"caption": frame.caption, "title": frame.title})
        else:
            self.state.timeline.set_time(self.times[k])

    def render(self, k: int) -> np.ndarray:
        if self.renderer is None:
            self.start_chunk(k)
        self._place(k)
        return self.renderer.render()

    def start_chunk(self, k: int) -> None:
        """Before a chunk's first frame k: a new scene made at that frame's state (on the one
        canvas and GL context), so the chunk does not depend on what was drawn before it."""
        from spaceviz.export.screenshot import FrameRenderer

        self._place(k)
        if self.renderer is None:
            self.renderer = FrameRenderer(self.state, self.spec.size, self.spec.projection)
        else:
            self.renderer.renew()

    def close(self) -> None:
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None


def render_chunks(frames: VideoFrames, chunks: list[range], folder: Path, progress=None,
                  cancel: threading.Event | None = None, total: int | None = None) -> list[Path]:
    """Render and encode `chunks` one after another into `folder` (the scene reset at each
    chunk's start); a chunk's encoder finishes while the next one renders."""
    spec = frames.spec
    total = total or sum(len(c) for c in chunks)
    started = wallclock.perf_counter()
    done = [0]

    def tick() -> None:
        done[0] += 1
        if progress is not None:
            progress(Progress(done[0], total, wallclock.perf_counter() - started))

    paths: list[Path] = []
    pending: Mp4Writer | None = None
    try:
        for chunk in chunks:
            frames.start_chunk(chunk.start)
            path = folder / chunk_name(chunk)
            writer = encode_chunk(frames.render, chunk, path, spec.size, spec.fps, spec.quality,
                                  tick, cancel)
            previous, pending = pending, writer
            if previous is not None:
                previous.close()
            paths.append(path)
        if pending is not None:
            previous, pending = pending, None
            previous.close()
    except BaseException:
        if pending is not None:
            pending.abort()
        raise
    return paths


def export_video(state, t0_tdb: float, t1_tdb: float, duration_s: float, fps: float,
                 size: tuple[int, int], out: str | Path, *, quality: str = "medium",
                 frames: range | None = None, progress=None, cancel=None, tour: str | None = None,
                 overlay: bool = False, projection: Projection | None = None) -> Path:
    """Export frames `frames` (default all) of an AppState the export owns (a snapshot of the
    app's, or one made for the command line): a uniform time sweep from t0 to t1 with its
    camera, or a tour played at a fixed step of 1/fps seconds of presentation time (with its
    captions), in a projection (default perspective; equirectangular videos are tagged as
    360). Rendered through the export's own offscreen scene, chunk after chunk."""
    spec = VideoSpec(t0_tdb, t1_tdb, duration_s, fps, even_size(size), quality, tour, overlay,
                     projection or Projection())
    return export_spec(state, spec, out, frames=frames, progress=progress, cancel=cancel)


def export_spec(state, spec: VideoSpec, out: str | Path, *, frames: range | None = None,
                progress=None, cancel=None) -> Path:
    """`export_video` for a VideoSpec."""
    out = Path(out)
    chunks = video_chunks(spec.total, spec.fps, frames)
    source = VideoFrames(state, spec)
    folder = chunk_folder(out)
    try:
        parts = render_chunks(source, chunks, folder, progress, cancel)
        return finish_video(parts, out, sum(len(c) for c in chunks),
                            spherical=spec.projection.kind == "equirectangular")
    finally:
        source.close()
        shutil.rmtree(folder, ignore_errors=True)
