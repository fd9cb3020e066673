// Shaded sphere inside the unit disc of the impostor quad; the Sun glows.
varying vec2 v_corner;
varying vec4 v_color;
varying vec3 v_light_eye;
varying float v_emissive;
varying float v_boost;

void main() {
    float r2 = dot(v_corner, v_corner);
    float r = sqrt(r2);
    if (v_emissive > 0.5) {
        if (r <= 1.0) {
            float limb = 0.75 + 0.25 * sqrt(max(1.0 - r2, 0.0));  // limb darkening
            gl_FragColor = vec4(min(v_color.rgb * limb + 0.25, 1.0), 1.0);
            return;
        }
        float glow = 0.55 * exp(-3.0 * (r - 1.0));
        if (glow < 0.02) discard;
        gl_FragColor = vec4(v_color.rgb, glow);
        return;
    }
    float aa = max(fwidth(r), 1e-4);  // about one pixel, at any drawn size
    if (r > 1.0 + aa) discard;
    float edge = 1.0 - smoothstep(1.0 - aa, 1.0 + aa, r);
    vec3 normal = vec3(v_corner, sqrt(max(1.0 - min(r2, 1.0), 0.0)));
    float lambert = max(dot(normal, normalize(v_light_eye)), 0.0);
    // Small (minimum-size) bodies get more ambient light so they stay visible at any phase.
    float ambient = mix(0.10, 0.40, v_boost);
    vec3 rgb = v_color.rgb * (ambient + (1.0 - ambient) * lambert);
    gl_FragColor = vec4(rgb, v_color.a * edge);
}
