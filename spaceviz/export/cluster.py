"""Render a video on Dask: a LocalCluster of worker processes, or a running scheduler.

The video is cut into its fixed chunks (export.video.video_chunks); each task renders one
chunk's frames, a pure function of their indices, into its own H.264 file and returns the
path (frames never travel through the scheduler); the client joins the chunks without
re-encoding. The file is the same, byte for byte, as a serial run's.

Each worker process keeps one canvas and GL context, made lazily by its first task (a GL
context made in a worker plugin's setup lives on the event-loop thread and cannot be made
current in the task thread); each chunk gets a new scene on it. Workers render through EGL
(no display needed).

Failures: a task that raises is retried (CHUNK_RETRIES); a worker that dies has its task
rescheduled by the scheduler (distributed's `allowed-failures`); a chunk that still fails,
or frames missing from a chunk or the joined file, stop the export with ExportFailed naming
the chunk, and nothing is written. Ctrl+C cancels the tasks and removes the chunks.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time as wallclock
import uuid
from dataclasses import dataclass
from pathlib import Path

from spaceviz.core.errors import UserError
from spaceviz.export.video import (
    ExportFailed,
    Progress,
    VideoFrames,
    VideoSpec,
    chunk_folder,
    chunk_name,
    count_frames,
    encode_chunk,
    finish_video,
    video_chunks,
)

log = logging.getLogger(__name__)
CHUNK_RETRIES = 2
CONNECT_TIMEOUT_S = 20
FAULT_ENV = "SPACEVIZ_FAULT_CHUNK"
"""Fault injection for tests: `I` fails chunk I on every try, `I:once` on its first try only,
`I:exit-once` kills the worker process running chunk I the first time."""


@dataclass(frozen=True)
class VideoJob:
    """A command-line video as workers rebuild it: the scenario file (None: the shipped
    one), the camera's target and distance, and the VideoSpec. Picklable and small."""

    scenario: str | None
    target: str | None
    distance_au: float | None
    spec: VideoSpec

    def state(self, session=None):
        """The AppState of this job (loading the scenario unless `session` is given)."""
        from spaceviz.core.scenario.session import Session
        from spaceviz.core.state.app_state import AppState

        state = AppState(session or Session.load(self.scenario))
        state.look_at(self.target, self.spec.t0_tdb, self.distance_au)
        return state


# --- on the workers ----------------------------------------------------------------------

_worker_frames: dict[VideoJob, VideoFrames] = {}
"""The one scene (and GL context) of this worker process, for the job it last rendered."""


def _frames_for(job: VideoJob) -> VideoFrames:
    if job not in _worker_frames:
        for old in _worker_frames.values():
            old.close()
        _worker_frames.clear()
        os.environ.setdefault("SPACEVIZ_GL_BACKEND", "egl")
        _worker_frames[job] = VideoFrames(job.state(), job.spec)
    return _worker_frames[job]


def _inject_fault(index: int, folder: Path) -> None:
    """The test hook FAULT_ENV (see there); does nothing when it is unset."""
    rule = os.environ.get(FAULT_ENV, "")
    if not rule or int(rule.split(":")[0]) != index:
        return
    mode = rule.partition(":")[2]
    marker = folder / f"fault{index}"
    if mode and marker.exists():
        return
    marker.touch()
    if mode == "exit-once":
        os._exit(3)  # a worker dying mid-task (crash, out of memory, lost machine)
    raise RuntimeError(f"injected failure of chunk {index} ({FAULT_ENV}={rule})")


def render_chunk(job: VideoJob, index: int, chunk: range, folder: str) -> tuple[str, int, str]:
    """A Dask task: render `chunk` of `job` into an H.264 file and return (path, frames,
    worker address). The file goes into `folder` when this machine sees it (a shared or
    local folder), else into this machine's temporary folder."""
    from distributed import get_worker

    shared = Path(folder)
    if shared.is_dir():
        path = shared / chunk_name(chunk)
    else:
        path = Path(tempfile.gettempdir()) / f"{shared.name}-{chunk_name(chunk)}"
    _inject_fault(index, path.parent)
    frames = _frames_for(job)
    frames.start_chunk(chunk.start)
    spec = job.spec
    encode_chunk(frames.render, chunk, path, spec.size, spec.fps, spec.quality).close()
    written = count_frames(path)
    if written != len(chunk):
        raise ExportFailed(f"chunk {chunk_name(chunk)} has {written} frames, not {len(chunk)}")
    return str(path), written, get_worker().address


def take_file(path: str) -> bytes:
    """A Dask task: the bytes of a chunk on this worker's disk (then removed there)."""
    data = Path(path).read_bytes()
    os.unlink(path)
    return data


# --- on the client -----------------------------------------------------------------------


def _connect(cluster: str, workers: int | None):
    """A distributed Client: a LocalCluster of `workers` processes (one thread each), or the
    scheduler at `cluster` (waiting for `workers` workers when given)."""
    from distributed import Client, LocalCluster

    if cluster == "local":
        local = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                             processes=True, dashboard_address=None,
                             silence_logs=logging.CRITICAL,
                             env={"SPACEVIZ_GL_BACKEND": "egl", "EGL_PLATFORM": "surfaceless"})
        return Client(local), local
    try:
        client = Client(cluster, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"--cluster {cluster}: could not reach a Dask scheduler there ({exc}). "
                        "Start one with `dask scheduler` and workers with `dask worker "
                        f"{cluster}`, or use --cluster local") from None
    if workers:
        try:
            client.wait_for_workers(workers, timeout=60)
        except TimeoutError:
            client.close()
            raise UserError(f"--workers {workers}: the scheduler at {cluster} has fewer "
                            "workers after a minute of waiting") from None
    return client, None


def _local_copy(client, result: tuple[str, int, str], folder: Path, chunk: range) -> Path:
    """The chunk on this machine: where the worker wrote it, or pulled from that worker."""
    path, _, worker = result
    if Path(path).parent == folder and Path(path).exists():
        return Path(path)
    data = client.submit(take_file, path, workers=[worker], allow_other_workers=False,
                         pure=False).result()
    local = folder / chunk_name(chunk)
    local.write_bytes(data)
    return local


def export_video_dask(job: VideoJob, out: str | Path, cluster: str = "local",
                      workers: int | None = None, progress=None) -> Path:
    """Render `job` on Dask (`cluster`: "local" or a scheduler address) into `out` (atomic;
    tagged as 360 when equirectangular). Raises ExportFailed when a chunk fails for good."""
    from distributed import as_completed

    out = Path(out)
    spec = job.spec
    total = spec.total
    chunks = video_chunks(total, spec.fps)
    folder = chunk_folder(out)
    started = wallclock.perf_counter()
    client, local = None, None
    futures: dict = {}
    try:
        client, local = _connect(cluster, workers)
        token = uuid.uuid4().hex[:8]
        futures = {client.submit(render_chunk, job, index, chunk, str(folder),
                                 key=f"spaceviz-chunk-{token}-{index}", retries=CHUNK_RETRIES,
                                 pure=False): index for index, chunk in enumerate(chunks)}
        parts: list[Path | None] = [None] * len(chunks)
        done = 0
        if progress is not None:
            progress(Progress(0, total, 0.0))
        for future in as_completed(futures):
            index = futures[future]
            chunk = chunks[index]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 (reported with the chunk it belongs to)
                raise ExportFailed(
                    f"chunk {index + 1} of {len(chunks)} (frames {chunk.start}-{chunk.stop - 1}) "
                    f"failed after {CHUNK_RETRIES + 1} tries: {type(exc).__name__}: {exc}; "
                    "no video was written") from None
            parts[index] = _local_copy(client, result, folder, chunk)
            done += len(chunk)
            if progress is not None:
                progress(Progress(done, total, wallclock.perf_counter() - started))
        return finish_video([p for p in parts if p is not None], out, total,
                            spherical=spec.projection.kind == "equirectangular")
    finally:
        if client is not None:
            if futures:
                client.cancel(list(futures))
            client.close()
        if local is not None:
            local.close()
        shutil.rmtree(folder, ignore_errors=True)
