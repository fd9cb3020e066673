"""Fuzzing the catalogue and OEM parsers: any bytes give a result or one of our errors."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spaceviz.core.astro.catalogs.mpcorb import parse_mpcorb
from spaceviz.core.astro.catalogs.sbdb import parse_sbdb_csv
from spaceviz.core.astro.oem import parse_oem
from spaceviz.core.errors import UserError

MPC_LINE = (b"00001    3.33  0.15 K25BL 231.53975   73.29975   80.25214   10.58789  0.0795760  "
            b"0.21424745   2.7660512  0 E2024-V47  7330 125 1801-2024 0.80 M-v 30k MPCLINUX   0000"
            b"      (1) Ceres              20241101\n")
OEM_TEXT = ("CCSDS_OEM_VERS = 2.0\nCREATION_DATE = 2030-01-01T00:00:00\nORIGINATOR = test\n"
            "META_START\nOBJECT_NAME = X\nOBJECT_ID = X\nCENTER_NAME = SUN\nREF_FRAME = ICRF\n"
            "TIME_SYSTEM = TDB\nSTART_TIME = 2030-01-01T00:00:00\nSTOP_TIME = 2030-01-02T00:00:00\n"
            "META_STOP\n2030-01-01T00:00:00 1.5e8 0 0 0 30 0\n2030-01-02T00:00:00 1.5e8 2.6e6 0 0 30 0\n")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mutate(base: bytes, data) -> bytes:
    """Overwrite, cut or insert bytes at random places."""
    out = bytearray(base)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, max(len(out) - 1, 0)))
        action = data.draw(st.sampled_from(["set", "cut", "insert"]))
        byte = data.draw(st.integers(0, 255))
        if action == "set" and out:
            out[position] = byte
        elif action == "cut":
            del out[position:position + data.draw(st.integers(1, 40))]
        else:
            out.insert(position, byte)
    return bytes(out)


@SETTINGS
@given(st.data())
def test_mpcorb_parser_survives_mutations(data):
    text = mutate(MPC_LINE * 3, data)
    try:
        catalog = parse_mpcorb(text, "fuzz.DAT")
    except UserError:
        return
    assert catalog.summary.loaded + catalog.summary.skipped >= 0
    assert len(catalog) == catalog.summary.loaded


@SETTINGS
@given(st.binary(max_size=400))
def test_sbdb_parser_survives_random_bytes(blob):
    try:
        parse_sbdb_csv(b"full_name,a,e,i,om,w,ma,epoch\n" + blob, "fuzz.csv")
    except UserError:
        pass


@SETTINGS
@given(st.data())
def test_oem_parser_survives_mutations(data):
    try:
        parse_oem(mutate(OEM_TEXT.encode(), data), "fuzz.oem")
    except UserError:
        pass
