// Stars: a round core with a soft edge about one framebuffer pixel wide, so a star keeps
// its size and sharpness at any output resolution. Lines: their colour.
uniform float u_points;
uniform float u_px_scale;

varying vec4 v_color;
varying float v_size;

void main() {
    if (u_points < 0.5) {
        gl_FragColor = v_color;
        return;
    }
    float sprite = v_size >= 3.0 * u_px_scale ? 3.0 * v_size + 2.0 : v_size + 2.0;
    float r = length(gl_PointCoord - vec2(0.5)) * sprite;  // framebuffer px
    float core = 0.5 * v_size;
    float edge = 1.0 - smoothstep(core - 0.5, core + 0.7, r);
    // Stars drawn 3 px and larger glow a little, as bright stars do to the eye.
    float glow = v_size >= 3.0 * u_px_scale ? 0.35 * exp(-(r - core) / (0.45 * v_size)) : 0.0;
    float alpha = max(edge, r > core ? glow : 0.0);
    if (alpha <= 0.003) discard;
    gl_FragColor = vec4(v_color.rgb, v_color.a * alpha);
}
