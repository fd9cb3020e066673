// Round points; in a picking pass the colour encodes the asteroid's index + 1.
varying vec4 v_color;
varying vec3 v_pick_color;
uniform float u_pick;

void main() {
    vec2 d = gl_PointCoord - vec2(0.5);
    float r2 = dot(d, d);
    if (r2 > 0.25) discard;
    if (u_pick > 0.5) {
        gl_FragColor = vec4(v_pick_color, 1.0);
        return;
    }
    float fade = 1.0 - smoothstep(0.12, 0.25, r2);
    gl_FragColor = vec4(v_color.rgb, v_color.a * fade);
}
