// Asteroid belt: each vertex is one asteroid; Kepler's equation is solved here, per frame.
// Elements live on the GPU once; per frame only u_dt_days and u_sun change.
attribute vec3 a_p;        // a * P (AU, display axes): perihelion direction scaled
attribute vec3 a_q;        // a * sqrt(1 - e^2) * Q (AU, display axes)
attribute vec4 a_orbit;    // e, mean motion (rad/day), mean anomaly at t_ref (rad), index
attribute vec4 a_meta;     // group id, class id, absolute magnitude H, inclination (deg)

uniform float u_dt_days;   // current time - t_ref, days (small: float32 keeps it exact enough)
uniform vec3 u_sun;        // the Sun relative to the camera focus, display AU
uniform float u_px_scale;
uniform float u_size_scale;
uniform float u_color_by;  // 0: group, 1: spectral class
uniform float u_pick;      // 1 during a picking pass
uniform vec4 u_groups_a;   // visibility of groups 0..3 (1 shown, 0 hidden)
uniform vec4 u_groups_b;   // visibility of groups 4..7
uniform vec2 u_n_range;    // mean motion (rad/day): the semi-major-axis filter, mapped on the CPU
uniform vec2 u_e_range;
uniform vec2 u_i_range;    // degrees
uniform vec2 u_h_range;    // absolute magnitude
uniform sampler2D u_palette;  // 32 x 1 RGBA: groups at 0..15, classes at 16..31

uniform vec3 u_eye;        // the eye in scene coordinates (AU, display axes)

varying vec4 v_color;
varying vec3 v_pick_color;

#include "occlusion.glsl"

vec3 solve_kepler(float M, float e) {
    // Kepler's equation E - e sin E = M by Newton from Danby's starter, with one sin/cos
    // pair only: each step rotates (sin E, cos E) by the small correction dE using short
    // series for sin(dE) and cos(dE) (software GL pays dearly for every sin and cos).
    // Returns (E, sin E, cos E); float32 agrees with the float64 reference to < 1 pixel.
    float E = M + 0.85 * e * sign(sin(M));
    float s = sin(E);
    float c = cos(E);
    for (int k = 0; k < 6; k++) {
        float dE = -(E - e * s - M) / (1.0 - e * c);
        dE = clamp(dE, -1.0, 1.0);
        float d2 = dE * dE;
        float sd = dE * (1.0 - d2 * (1.0 / 6.0 - d2 / 120.0));
        float cd = 1.0 - d2 * (0.5 - d2 / 24.0);
        float s_new = s * cd + c * sd;
        c = c * cd - s * sd;
        s = s_new;
        E += dE;
    }
    return vec3(E, s, c);
}

bool visible() {
    float group = a_meta.x;
    float shown = group < 4.0 ? u_groups_a[int(group)] : u_groups_b[int(group) - 4];
    return shown > 0.5
        && a_orbit.y >= u_n_range.x && a_orbit.y <= u_n_range.y
        && a_orbit.x >= u_e_range.x && a_orbit.x <= u_e_range.y
        && a_meta.w >= u_i_range.x && a_meta.w <= u_i_range.y
        && a_meta.z >= u_h_range.x && a_meta.z <= u_h_range.y;
}

void main() {
    if (!visible()) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: not drawn
        gl_PointSize = 0.0;
        return;
    }
    float e = a_orbit.x;
    float M = mod(a_orbit.z + a_orbit.y * u_dt_days, 6.283185307179586);
    vec3 kepler = solve_kepler(M, e);
    vec3 heliocentric = a_p * (kepler.z - e) + a_q * kepler.y;
    vec4 position = vec4(u_sun + heliocentric, 1.0);
    if (u_occluder_count > 0.0 && occlusion($to_scene(position).xyz - u_eye) > 0.5) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // behind a body: not drawn
        gl_PointSize = 0.0;
        return;
    }
    gl_Position = $transform(position);
    float size = clamp(2.0 - 0.25 * (a_meta.z - 14.0), 1.0, 3.5);  // brighter (lower H) is bigger
    gl_PointSize = u_pick > 0.5 ? 5.0 * u_px_scale : size * u_size_scale * u_px_scale;
    float slot = u_color_by > 0.5 ? 16.0 + a_meta.y : a_meta.x;
    v_color = texture2D(u_palette, vec2((slot + 0.5) / 32.0, 0.5));
    float id = a_orbit.w + 1.0;  // 0 means "nothing" in the picking buffer
    v_pick_color = vec3(mod(id, 256.0), mod(floor(id / 256.0), 256.0), floor(id / 65536.0)) / 255.0;
}
