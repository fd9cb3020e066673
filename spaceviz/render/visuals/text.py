"""OutlinedText: VisPy's signed-distance-field text with a dark halo around every glyph, so
names stay readable over bright planets, star fields and orbit lines, at any output size;
its glyphs' distance fields are computed once per machine (CachedTextureFont)."""

from __future__ import annotations

import functools
import json
import logging
import os
from pathlib import Path

import numpy as np
from vispy import gloo
from vispy.scene.visuals import create_visual_node
from vispy.util.fonts import _load_glyph
from vispy.visuals.text.text import FontManager, TextureFont, TextVisual

log = logging.getLogger(__name__)

_FRAGMENT_SHADER = """
    #include "misc/spatial-filters.frag"
    const float M_SQRT1_2 = 0.707106781186547524400844362104849039;

    uniform sampler2D u_font_atlas;
    uniform vec2 u_font_atlas_shape;
    uniform float u_npix;
    uniform vec4 u_halo;          // halo colour and opacity
    uniform float u_halo_width;   // in distance-field units beyond the glyph's edge (0.5)
    varying vec4 v_color;
    varying vec2 v_texcoord;

    float coverage(float distance, float edge, float width) {
        return smoothstep(edge - width, edge + width, distance);
    }

    void main(void) {
        vec2 uv = v_texcoord.xy;
        float distance = u_npix >= 50.0 ? CatRom2D(u_font_atlas, u_font_atlas_shape, uv).r
                                        : texture2D(u_font_atlas, uv).r;
        float width = 0.5 * fwidth(distance);
        float fill = coverage(distance, 0.5, width);
        if (u_npix < 30.) {
            // Supersample small text: four extra points of half weight.
            vec2 duv = 0.5 * M_SQRT1_2 * (dFdx(uv) + dFdy(uv));
            vec4 box = vec4(uv - duv, uv + duv);
            fill = (fill + 0.5 * (coverage(texture2D(u_font_atlas, box.xy).r, 0.5, width)
                                + coverage(texture2D(u_font_atlas, box.zw).r, 0.5, width)
                                + coverage(texture2D(u_font_atlas, box.xw).r, 0.5, width)
                                + coverage(texture2D(u_font_atlas, box.zy).r, 0.5, width)))
                   / 3.0;
        }
        float halo = coverage(distance, 0.5 - u_halo_width, width) * u_halo.a;
        float alpha = max(fill * v_color.a, halo);
        if (alpha <= 0.0) discard;
        vec3 rgb = mix(u_halo.rgb, v_color.rgb, fill);
        gl_FragColor = vec4(rgb, alpha);
    }
"""


class OutlinedTextVisual(TextVisual):
    """TextVisual whose glyphs have a halo (`halo`: RGBA, default black at 85%)."""

    _shaders = {"vertex": TextVisual._shaders["vertex"], "fragment": _FRAGMENT_SHADER}

    def __init__(self, *args, halo=(0.0, 0.0, 0.0, 0.85), halo_width: float = 0.2, **kwargs):
        kwargs.setdefault("font_manager", CachedFontManager())
        super().__init__(*args, **kwargs)
        self.unfreeze()
        self.shared_program["u_halo"] = tuple(float(v) for v in halo)
        self.shared_program["u_halo_width"] = float(halo_width)
        self.freeze()


OutlinedText = create_visual_node(OutlinedTextVisual)


class CachedTextureFont(TextureFont):
    """A TextureFont whose glyphs (FreeType outline and signed distance field at 256 px, the
    slow CPU part) are computed once per machine: kept for the process and in the user cache
    folder, so each new view, export canvas and process only copies them into its atlas.

    Its filter kernel (16 x 1024 RGBA float32, 256 kB) is a texture made once: VisPy hands
    the array to the shader at every draw of every text visual, which uploads it again each
    time (about 3 ms a visual per frame on software GL)."""

    def __init__(self, font: dict, renderer):
        super().__init__(font, renderer)
        self._kernel = gloo.Texture2D(self._kernel)

    def _load_char(self, char: str) -> None:
        key = (self._font["face"], bool(self._font["bold"]), bool(self._font["italic"]), char)
        store = glyph_store()
        cached = store.get(key)
        if cached is None:
            glyphs: dict = {}
            _load_glyph(self._font, char, glyphs)  # FreeType at the high resolution
            glyph = glyphs[char]
            spread = self._spread
            padded = np.zeros((glyph["bitmap"].shape[0] + 2 * spread,
                               glyph["bitmap"].shape[1] + 2 * spread), np.uint8)
            padded[spread:-spread, spread:-spread] = glyph["bitmap"]
            size = (padded.shape[1] // self.ratio, padded.shape[0] // self.ratio)
            field = np.zeros((size[1], size[0], 3), np.uint8)
            self._renderer.render_to_texture(padded, field, (0, 0), size)  # CPU SDF
            metrics = {k: v for k, v in glyph.items() if k != "bitmap"}
            store.put(key, metrics, field)
            cached = (metrics, field)
        metrics, field = cached
        h, w = field.shape[:2]
        region = self._atlas.get_free_region(w + 2, h + 2)
        if region is None:
            raise RuntimeError("the glyph atlas is full")
        x, y = region[0] + 1, region[1] + 1
        self._atlas[y:y + h, x:x + w] = field
        shape = self._atlas.shape
        self._glyphs[char] = dict(metrics, size=(w, h),
                                  texcoords=(x / shape[1], y / shape[0], (x + w) / shape[1],
                                             (y + h) / shape[0]))


class CachedFontManager(FontManager):
    """Hands out CachedTextureFonts (one FontManager per text visual, as VisPy does: each
    visual's atlas lives in its own GL context)."""

    def get_font(self, face, bold=False, italic=False):
        key = f"{face}-{bold}-{italic}"
        if key not in self._fonts:
            self._fonts[key] = CachedTextureFont({"face": face, "bold": bold, "italic": italic},
                                                 self._renderer)
        return self._fonts[key]


class GlyphStore:
    """Glyph metrics and distance fields by (face, bold, italic, char): in memory, and in
    one .npz per face in the cache folder (rewritten, atomically, when glyphs were added)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.glyphs: dict[tuple, tuple[dict, np.ndarray]] = {}
        self._loaded: set[tuple] = set()
        self._dirty: set[tuple] = set()

    def _file(self, font: tuple) -> Path:
        face, bold, italic = font
        return self.folder / f"glyphs-v{GLYPH_CACHE_VERSION}-{face}-{int(bold)}{int(italic)}.npz"

    def _load(self, font: tuple) -> None:
        self._loaded.add(font)
        try:
            with np.load(self._file(font), allow_pickle=False) as npz:
                metrics = json.loads(str(npz["metrics"]))
                for char, meta in metrics.items():
                    self.glyphs[(*font, char)] = (meta, npz[f"c{ord(char)}"])
        except (OSError, ValueError, KeyError):
            return  # no cache yet, or an unreadable one: glyphs are computed again

    def get(self, key: tuple) -> tuple[dict, np.ndarray] | None:
        font = key[:3]
        if font not in self._loaded:
            self._load(font)
        return self.glyphs.get(key)

    def put(self, key: tuple, metrics: dict, field: np.ndarray) -> None:
        self.glyphs[key] = (metrics, field)
        self._dirty.add(key[:3])

    def save(self) -> None:
        """Write the faces that gained glyphs (called after a frame, not per glyph)."""
        for font in list(self._dirty):
            self._dirty.discard(font)
            entries = {k[3]: v for k, v in self.glyphs.items() if k[:3] == font}
            metrics = {char: {k: (list(v) if isinstance(v, tuple) else v)
                              for k, v in meta.items()} for char, (meta, _) in entries.items()}
            arrays = {f"c{ord(char)}": field for char, (_, field) in entries.items()}
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                part = self._file(font).with_suffix(f".{os.getpid()}.part")
                with open(part, "wb") as handle:
                    np.savez(handle, metrics=json.dumps(metrics), **arrays)
                os.replace(part, self._file(font))
            except OSError as exc:
                log.info("glyph cache not written (%s)", exc)


GLYPH_CACHE_VERSION = 1


@functools.cache
def glyph_store() -> GlyphStore:
    from spaceviz.core.memo import cache_root

    return GlyphStore(cache_root() / "fonts")
