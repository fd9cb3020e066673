"""360-degree tagging: the spatial-media boxes read back, and the file still plays."""

import struct
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest

from spaceviz.export import video
from spaceviz.export.spherical import SPHERICAL_UUID, tag_equirectangular


def boxes(data, start=0, end=None):
    """(type, payload start, payload end) of consecutive boxes (an independent reader)."""
    end = len(data) if end is None else end
    found, offset = [], start
    while offset + 8 <= end:
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[offset + 8:offset + 16])[0], 16
        found.append((kind, offset + header, offset + size))
        offset += size
    return found


def child(data, parent, kind, skip=0):
    _, start, end = parent
    return [b for b in boxes(data, start + skip, end) if b[0] == kind]


def video_track_boxes(data):
    moov = [b for b in boxes(data) if b[0] == b"moov"][0]
    trak = child(data, moov, b"trak")[0]
    stbl = child(data, child(data, child(data, trak, b"mdia")[0], b"minf")[0], b"stbl")[0]
    avc1 = child(data, child(data, stbl, b"stsd")[0], b"avc1", skip=8)[0]
    return trak, stbl, avc1


@pytest.fixture
def encoded(tmp_path):
    frames = [np.full((64, 128, 3), 20 * k, dtype=np.uint8) for k in range(6)]
    frames[3][10:20, 30:50] = 255
    path = tmp_path / "pano.mp4"
    video.encode_frames(lambda k: frames[k], 6, path, (128, 64), 6)
    return path


def decode(path):
    result = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-i", str(path),
                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True)
    return np.frombuffer(result.stdout, dtype=np.uint8).reshape(-1, 64, 128, 3)


def test_spherical_boxes_round_trip_and_the_video_still_decodes(encoded):
    before = decode(encoded)
    tag_equirectangular(encoded)
    data = encoded.read_bytes()
    trak, _, avc1 = video_track_boxes(data)
    # V1: the uuid box with the RDF/XML in the video track.
    uuids = child(data, trak, b"uuid")
    assert len(uuids) == 1
    payload = data[uuids[0][1]:uuids[0][2]]
    assert payload[:16] == SPHERICAL_UUID
    xml = payload[16:].decode()
    assert "<GSpherical:Spherical>true</GSpherical:Spherical>" in xml
    assert "<GSpherical:ProjectionType>equirectangular</GSpherical:ProjectionType>" in xml
    # V2: st3d (mono) and sv3d > proj > equi in the sample entry (after its 78-byte header).
    st3d = child(data, avc1, b"st3d", skip=78)
    assert len(st3d) == 1 and data[st3d[0][1] + 4] == 0
    sv3d = child(data, avc1, b"sv3d", skip=78)[0]
    proj = child(data, sv3d, b"proj")[0]
    assert child(data, proj, b"equi") and child(data, sv3d, b"svhd")
    # The moov grew before the media data: the chunk offsets moved with it.
    assert np.array_equal(decode(encoded), before)
    probe = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(encoded)],
                           capture_output=True, text=True)
    assert "equirectangular" in probe.stderr.lower()  # ffmpeg reads it as a spherical mapping
    # Tagging twice changes nothing.
    tag_equirectangular(encoded)
    assert encoded.read_bytes() == data


def test_an_equirectangular_export_is_tagged_and_a_perspective_one_is_not(tmp_path, data_dir):
    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.core.state.projection import parse_projection

    session = Session.load(data_dir / "scenarios" / "solar_system.toml")
    start = session.scenario.start
    pano = video.export_video(AppState(session), start, start + 10, 1.0, 3, (160, 80),
                              tmp_path / "pano.mp4",
                              projection=parse_projection("equirectangular"))
    flat = video.export_video(AppState(session), start, start + 10, 1.0, 3, (160, 90),
                              tmp_path / "flat.mp4")
    assert SPHERICAL_UUID in pano.read_bytes() and b"sv3d" in pano.read_bytes()
    assert SPHERICAL_UUID not in flat.read_bytes()
    assert video.count_frames(pano) == 3
