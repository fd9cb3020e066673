// Ship arcs: uploaded once with a time per vertex; only u_time changes as the clock runs, so
// the flown part brightens and the part ahead stays faint without re-uploading geometry.
attribute vec3 a_position;   // AU, display axes, relative to the scene origin at upload
attribute float a_time;      // days since the layer's reference epoch (float32, small)
attribute vec4 a_color;

uniform float u_time;        // the clock, days since the same epoch
uniform float u_flown_alpha;
uniform float u_ahead_alpha;

varying vec4 v_color;

void main() {
    gl_Position = $transform(vec4(a_position, 1.0));
    float alpha = a_time <= u_time ? u_flown_alpha : u_ahead_alpha;
    v_color = vec4(a_color.rgb, a_color.a * alpha);
}
