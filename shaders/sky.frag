// Stars: a round core with a soft edge about one framebuffer pixel wide, so a star keeps
// its size and sharpness at any output resolution. Lines: their colour.
uniform float u_points;

varying vec4 v_color;
varying float v_size;

void main() {
    if (u_points < 0.5) {
        gl_FragColor = v_color;
        return;
    }
    float r = length(gl_PointCoord - vec2(0.5)) * (v_size + 2.0);  // framebuffer pixels
    float edge = 1.0 - smoothstep(0.5 * v_size - 0.5, 0.5 * v_size + 0.7, r);
    if (edge <= 0.0) discard;
    gl_FragColor = vec4(v_color.rgb, v_color.a * edge);
}
