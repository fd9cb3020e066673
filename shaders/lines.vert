// Polylines (orbits, ship arcs, shipment routes): uploaded once, each vertex with a time;
// only u_time changes as the clock runs, so a ship's flown part brightens and the part ahead
// stays faint without re-uploading geometry (orbits are "flown" everywhere). The position
// relative to the eye goes to the fragment shader, which hides what is behind a body.
attribute vec3 a_position;   // AU, display axes, relative to the scene origin at upload
attribute float a_time;      // days since the layer's reference epoch (float32, small)
attribute vec4 a_color;
attribute vec2 a_span;       // days: when the vertex's leg starts and ends (same epoch)

uniform float u_time;        // the clock, days since the same epoch
uniform float u_flown_alpha;
uniform float u_ahead_alpha;
uniform float u_opacity;     // the whole visual (fades with the camera's distance)
uniform float u_horizon;     // days: legs further than this from now fade, gone at twice
uniform vec3 u_eye;          // the eye in scene coordinates (AU, display axes)

varying vec4 v_color;
varying vec3 v_from_eye;

void main() {
    vec4 p = vec4(a_position, 1.0);
    gl_Position = $transform(p);
    vec4 scene = $to_scene(p);
    v_from_eye = scene.xyz / scene.w - u_eye;
    float alpha = a_time <= u_time ? u_flown_alpha : u_ahead_alpha;
    float away = max(max(a_span.x - u_time, u_time - a_span.y), 0.0);
    alpha *= clamp(2.0 - away / u_horizon, 0.0, 1.0);
    v_color = vec4(a_color.rgb, a_color.a * alpha * u_opacity);
}
