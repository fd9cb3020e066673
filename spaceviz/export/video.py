"""H.264 MP4 export with a fixed time step: render and encode overlap through a bounded queue.

The main thread renders (it owns the GL context); a writer thread feeds ffmpeg (the binary
imageio-ffmpeg ships), which encodes in its own process. The output appears only when
complete (`F.mp4.part` renamed), cancel stops both sides and deletes the partial file, and
an encoder failure is reported with ffmpeg's message.
"""

from __future__ import annotations

import logging
import math
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spaceviz.core.errors import UserError

log = logging.getLogger(__name__)
QUEUE_FRAMES = 8
QUALITY_CRF = {"draft": 30, "medium": 23, "high": 18}
PRESET = {"draft": "ultrafast", "medium": "veryfast", "high": "medium"}


class ExportCancelled(Exception):
    """The user cancelled an export; nothing was left behind."""


class EncoderError(RuntimeError):
    """ffmpeg failed; the message carries its output."""


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
        while True:
            self._raise_error()
            if not self._thread.is_alive():
                raise EncoderError("the video encoder stopped early")
            try:
                self.queue.put(frame, timeout=0.2)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        """Flush and wait for ffmpeg to finish the file; raises EncoderError on failure."""
        while self._thread.is_alive():
            try:
                self.queue.put(None, timeout=0.2)
                break
            except queue.Full:
                continue
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
    """Render `count` frames with `render_frame(k)` and encode them into `out` (atomic)."""
    out = Path(out)
    part = out.with_name(out.name + ".part")
    started = wallclock.perf_counter()
    writer = Mp4Writer(part, size, fps, quality)
    try:
        for k in range(count):
            if cancel is not None and cancel.is_set():
                raise ExportCancelled()
            frame = render_frame(k)
            if frame.shape[:2] != (size[1], size[0]):
                raise RuntimeError(f"frame {k} is {frame.shape[1]}x{frame.shape[0]}, not {size}")
            writer.put(frame[..., :3])
            if progress is not None:
                progress(Progress(k + 1, count, wallclock.perf_counter() - started))
        writer.close()
        os.replace(part, out)
    except BaseException:
        writer.abort()
        if part.exists():
            part.unlink()
        raise
    return out


# --- frames ----------------------------------------------------------------------------


def export_video(state, t0_tdb: float, t1_tdb: float, duration_s: float, fps: float,
                 size: tuple[int, int], out: str | Path, *, quality: str = "medium",
                 frames: range | None = None, progress=None, cancel=None, tour: str | None = None,
                 overlay: bool = False) -> Path:
    """Export frames `frames` (default all) of an AppState the export owns (a snapshot of the
    app's, or one made for the command line): a uniform time sweep from t0 to t1 with its
    camera, or a tour played at a fixed step of 1/fps seconds of presentation time (with its
    captions). Rendered through the export's own offscreen scene."""
    from spaceviz.core.state.tour import TourPlayer, build_tour
    from spaceviz.export.screenshot import export_scene, render_tiled

    state.session.world.ephemeris.check_range(np.array([t0_tdb, t1_tdb]))
    total = frame_count(duration_s, fps)
    size = even_size(size)
    times = frame_times(t0_tdb, t1_tdb, total)
    frames = frames or range(total)
    timeline = state.timeline
    timeline.pause()
    timeline.set_bounds(min(t0_tdb, t1_tdb, timeline.start), max(t0_tdb, t1_tdb, timeline.end))
    player = TourPlayer(build_tour(state.session, tour), timeline, state.camera) if tour else None
    show = overlay or player is not None
    state.presentation.update({"show_date": show, "show_scale": show, "caption": "",
                               "title": ""})
    scene = export_scene(state, size)

    def render(k: int) -> np.ndarray:
        if player is not None:
            frame = player.seek(frames[k] / fps)
            state.presentation.update({"caption": frame.caption, "title": frame.title})
        else:
            timeline.set_time(times[frames[k]])
        return render_tiled(scene, size)

    try:
        return encode_frames(render, len(frames), out, size, fps, quality, progress, cancel)
    finally:
        scene.close()


# --- several processes -----------------------------------------------------------------


def chunk_ranges(total: int, workers: int) -> list[range]:
    """Contiguous, nearly equal frame ranges, one per worker (none empty)."""
    workers = max(1, min(workers, total))
    bounds = np.linspace(0, total, workers + 1).round().astype(int)
    return [range(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def concat_mp4(parts: list[Path], out: str | Path) -> Path:
    """Join MP4 chunks with identical encoding parameters without re-encoding (atomic)."""
    import imageio_ffmpeg

    out = Path(out)
    part = out.with_name(out.name + ".part")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        for chunk in parts:
            listing.write(f"file '{chunk.resolve()}'\n")
    try:
        result = subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f",
             "concat", "-safe", "0", "-i", listing.name, "-c", "copy", "-movflags", "+faststart",
             "-f", "mp4", str(part)], capture_output=True, text=True)
        if result.returncode != 0:
            raise EncoderError(f"joining the video chunks failed: {result.stderr.strip()}")
        os.replace(part, out)
    finally:
        os.unlink(listing.name)
        if part.exists():
            part.unlink()
    return out


def export_video_parallel(argv_base: list[str], total: int, workers: int, out: str | Path,
                          progress=None) -> Path:
    """Run `spaceviz video ... --chunk i/N` in N processes, then concatenate the chunks.

    Each chunk is independent given its frame range, so the same split could be mapped
    onto a cluster engine (Dask, Ray) by running the chunk command remotely."""
    out = Path(out)
    chunks = chunk_ranges(total, workers)
    folder = Path(tempfile.mkdtemp(prefix=".spaceviz-chunks-", dir=out.resolve().parent))
    parts = [folder / f"chunk{index:03d}.mp4" for index in range(len(chunks))]
    processes = []
    started = wallclock.perf_counter()
    try:
        for index, chunk_path in enumerate(parts):
            command = [sys.executable, "-m", "spaceviz", *argv_base, "--out", str(chunk_path),
                       "--chunk", f"{index}/{len(chunks)}", "--quiet"]
            processes.append(subprocess.Popen(command, stderr=subprocess.PIPE, text=True))
        for process, chunk in zip(processes, chunks, strict=True):
            _, stderr = process.communicate()
            if process.returncode != 0:
                raise EncoderError(f"a worker failed (exit {process.returncode}): {stderr.strip()}")
            if progress is not None:
                progress(Progress(chunk.stop, total, wallclock.perf_counter() - started))
        return concat_mp4(parts, out)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        for chunk_path in parts:
            if chunk_path.exists():
                chunk_path.unlink()
        folder.rmdir()
