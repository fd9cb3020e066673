"""Tag an MP4 as a 360-degree (equirectangular, monoscopic) video, as Google's spatial-media
metadata describes it, so players and YouTube show it as 360.

ffmpeg keeps such tags when copying streams but cannot add them; they are small boxes that
are written here after encoding: the Spherical Video V1 `uuid` box (RDF/XML) in the video
track, and the V2 `st3d` and `sv3d` boxes (`svhd`, `proj` with `prhd` and `equi`) in its
sample entry. The `moov` box grows, so when it comes before the media data (`+faststart`)
every chunk offset (`stco`/`co64`) moves by the same number of bytes.
"""

from __future__ import annotations

import os
import shutil
import struct
from dataclasses import dataclass, field
from pathlib import Path

SPHERICAL_UUID = bytes.fromhex("ffcc8263f8554a938814587a02521fdd")
SPHERICAL_XML = (
    '<?xml version="1.0"?><rdf:SphericalVideo\n'
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
    'xmlns:GSpherical="http://ns.google.com/videos/1.0/spherical/">'
    "<GSpherical:Spherical>true</GSpherical:Spherical>"
    "<GSpherical:Stitched>true</GSpherical:Stitched>"
    "<GSpherical:StitchingSoftware>spaceviz</GSpherical:StitchingSoftware>"
    "<GSpherical:ProjectionType>equirectangular</GSpherical:ProjectionType>"
    "</rdf:SphericalVideo>")
CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"sv3d", b"proj"}
VISUAL_ENTRIES = {b"avc1", b"avc3", b"hvc1", b"hev1", b"av01"}
VISUAL_ENTRY_HEADER = 78  # bytes of a VisualSampleEntry before its child boxes


class Mp4Error(ValueError):
    """The file is not an MP4 this module can tag."""


@dataclass
class Box:
    """An MP4 box: its type, the bytes before its children (all of them for a leaf), and
    its children (None for a leaf)."""

    kind: bytes
    head: bytes = b""
    children: list[Box] | None = field(default=None)

    def to_bytes(self) -> bytes:
        body = self.head + b"".join(c.to_bytes() for c in self.children or [])
        return struct.pack(">I", 8 + len(body)) + self.kind + body

    def find(self, kind: bytes) -> list[Box]:
        return [c for c in self.children or [] if c.kind == kind]


def _boxes(data: bytes) -> list[Box]:
    """Parse consecutive boxes (children of a container)."""
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[offset + 8:offset + 16])[0], 16
        elif size == 0:
            size = len(data) - offset
        if size < header or offset + size > len(data):
            raise Mp4Error(f"a broken '{kind.decode('latin-1')}' box")
        boxes.append(_box(kind, data[offset + header:offset + size]))
        offset += size
    return boxes


def _box(kind: bytes, payload: bytes) -> Box:
    if kind in CONTAINERS:
        return Box(kind, b"", _boxes(payload))
    if kind == b"stsd":  # FullBox + entry count, then sample entries
        return Box(kind, payload[:8], _boxes(payload[8:]))
    if kind in VISUAL_ENTRIES:
        return Box(kind, payload[:VISUAL_ENTRY_HEADER], _boxes(payload[VISUAL_ENTRY_HEADER:]))
    return Box(kind, payload)


def _full_box(kind: bytes, body: bytes = b"", children: list[Box] | None = None) -> Box:
    return Box(kind, b"\0\0\0\0" + body, children)


def _spherical_v2() -> list[Box]:
    """st3d (monoscopic) and sv3d (equirectangular, whole sphere, no rotation)."""
    header = _full_box(b"svhd", b"spaceviz\0")
    pose = _full_box(b"prhd", struct.pack(">iii", 0, 0, 0))
    equi = _full_box(b"equi", struct.pack(">IIII", 0, 0, 0, 0))
    return [_full_box(b"st3d", b"\0"), Box(b"sv3d", b"", [header, Box(b"proj", b"", [pose, equi])])]


def _video_track(moov: Box) -> Box:
    for trak in moov.find(b"trak"):
        for mdia in trak.find(b"mdia"):
            for hdlr in mdia.find(b"hdlr"):
                if hdlr.head[8:12] == b"vide":
                    return trak
    raise Mp4Error("no video track")


def _shift_chunk_offsets(moov: Box, delta: int) -> None:
    for trak in moov.find(b"trak"):
        for stbl in (s for m in trak.find(b"mdia") for i in m.find(b"minf")
                     for s in i.find(b"stbl")):
            for box in stbl.children or []:
                if box.kind in (b"stco", b"co64"):
                    code = ">I" if box.kind == b"stco" else ">Q"
                    width = struct.calcsize(code)
                    (count,) = struct.unpack(">I", box.head[4:8])
                    offsets = [struct.unpack(code, box.head[8 + i * width:8 + (i + 1) * width])[0]
                               + delta for i in range(count)]
                    if box.kind == b"stco" and offsets and max(offsets) >= 2 ** 32:
                        raise Mp4Error("chunk offsets past 4 GiB in a 32-bit table")
                    box.head = box.head[:8] + b"".join(struct.pack(code, o) for o in offsets)


def _top_level(handle) -> list[tuple[bytes, int, int]]:
    """(type, offset, size) of each top-level box, without reading the media data."""
    boxes = []
    end = os.fstat(handle.fileno()).st_size
    offset = 0
    while offset + 8 <= end:
        handle.seek(offset)
        size, kind = struct.unpack(">I4s", handle.read(8))
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
        elif size == 0:
            size = end - offset
        if size < 8:
            raise Mp4Error("a broken top-level box")
        boxes.append((kind, offset, size))
        offset += size
    return boxes


def tag_equirectangular(path: str | Path) -> None:
    """Add 360-degree equirectangular (mono) metadata to the MP4 at `path`, in place (via a
    temporary file beside it). An MP4 already tagged is left as it is."""
    path = Path(path)
    with open(path, "rb") as handle:
        top = _top_level(handle)
        moov_at = [(offset, size) for kind, offset, size in top if kind == b"moov"]
        if len(moov_at) != 1:
            raise Mp4Error(f"{path.name}: expected one 'moov' box")
        offset, size = moov_at[0]
        handle.seek(offset)
        raw = handle.read(size)
    header = 16 if struct.unpack(">I", raw[:4])[0] == 1 else 8
    moov = Box(b"moov", b"", _boxes(raw[header:]))
    trak = _video_track(moov)
    if any(c.head.startswith(SPHERICAL_UUID) for c in trak.find(b"uuid")):
        return
    trak.children.append(Box(b"uuid", SPHERICAL_UUID + SPHERICAL_XML.encode("utf-8")))
    for stsd in (s for m in trak.find(b"mdia") for i in m.find(b"minf") for t in i.find(b"stbl")
                 for s in t.find(b"stsd")):
        for entry in stsd.children or []:
            if entry.kind in VISUAL_ENTRIES:
                entry.children.extend(_spherical_v2())
    delta = len(moov.to_bytes()) - size
    media_after = any(kind == b"mdat" and at > offset for kind, at, _ in top)
    if media_after:
        _shift_chunk_offsets(moov, delta)
    new_moov = moov.to_bytes()
    temporary = path.with_name(path.name + ".tag")
    try:
        with open(path, "rb") as source, open(temporary, "wb") as target:
            shutil.copyfileobj(_limited(source, offset), target)
            target.write(new_moov)
            source.seek(offset + size)
            shutil.copyfileobj(source, target)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


class _limited:
    """A file object reading the first `count` bytes of `handle` (for copyfileobj)."""

    def __init__(self, handle, count: int):
        self.handle, self.left = handle, count
        handle.seek(0)

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(size)
        self.left -= len(data)
        return data
