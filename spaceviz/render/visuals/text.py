"""OutlinedText: VisPy's signed-distance-field text with a dark halo around every glyph, so
names stay readable over bright planets, star fields and orbit lines, at any output size."""

from __future__ import annotations

from vispy.scene.visuals import create_visual_node
from vispy.visuals.text.text import TextVisual

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
        super().__init__(*args, **kwargs)
        self.unfreeze()
        self.shared_program["u_halo"] = tuple(float(v) for v in halo)
        self.shared_program["u_halo_width"] = float(halo_width)
        self.freeze()


OutlinedText = create_visual_node(OutlinedTextVisual)
