// A planet's rings: one square in its equator plane, centred on the planet, cut to the ring
// radii in the fragment shader.
attribute vec2 a_corner;      // -1..1

uniform vec3 u_center;        // the planet, uploaded coordinates (AU)
uniform vec3 u_axis_1;        // two unit vectors spanning the equator plane (display axes)
uniform vec3 u_axis_2;
uniform float u_outer;        // outer radius, AU
uniform vec3 u_eye;           // the eye, uploaded coordinates

varying vec2 v_plane;         // position in the plane, in outer radii
varying vec3 v_from_eye;

void main() {
    vec3 p = u_center + (a_corner.x * u_axis_1 + a_corner.y * u_axis_2) * u_outer;
    gl_Position = $transform(vec4(p, 1.0));
    v_plane = a_corner;
    v_from_eye = p - u_eye;
}
