// The sky at infinity: stars as points and constellation figures as lines, placed by
// direction only (w = 0: the camera's rotation moves them, its position never does), drawn
// behind everything at the far end of the depth range.
attribute vec3 a_direction;  // unit vector, display axes
attribute vec4 a_color;      // RGB and brightness
attribute float a_size;      // point diameter, logical pixels
attribute float a_mag;       // visual magnitude (stars), 0 for lines

uniform float u_px_scale;    // framebuffer pixels per logical pixel
uniform float u_alpha;
uniform float u_mag_limit;   // fainter stars are not drawn (small views would be crowded)

varying vec4 v_color;
varying float v_size;

void main() {
    if (a_mag > u_mag_limit) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: not drawn
        gl_PointSize = 0.0;
        return;
    }
    gl_Position = $transform(vec4(a_direction, 0.0));
    gl_Position.z = 0.999999 * gl_Position.w;  // inside the far plane, never clipped by it
    v_size = a_size * u_px_scale;
    // Room for the soft edge, and for bright stars (3 px and more) their glow.
    gl_PointSize = v_size >= 3.0 * u_px_scale ? 3.0 * v_size + 2.0 : v_size + 2.0;
    v_color = vec4(a_color.rgb, a_color.a * u_alpha);
}
