// Ring colour and opacity from a radial strip; the planet's shadow falls on the rings; the
// side facing away from the Sun shows only the light that passes through; the planet hides
// the part behind it.
#include "occlusion.glsl"

uniform sampler2D u_strip;    // radial RGBA strip: inner radius at u = 0, outer at u = 1
uniform float u_inner;        // inner radius / outer radius
uniform vec3 u_light;         // unit vector to the Sun (display axes)
uniform vec3 u_normal;        // the rings' plane normal (display axes)
uniform vec3 u_axis_1;
uniform vec3 u_axis_2;
uniform float u_planet;       // planet radius / outer radius
uniform vec3 u_eye_side;      // a vector from the planet to the eye (only its side matters)

varying vec2 v_plane;
varying vec3 v_from_eye;

void main() {
    float r = length(v_plane);
    if (r < u_inner || r > 1.0) discard;
    if (occlusion(v_from_eye) > 0.5) discard;
    vec4 texel = texture2D(u_strip, vec2((r - u_inner) / (1.0 - u_inner), 0.5));
    vec3 p = v_plane.x * u_axis_1 + v_plane.y * u_axis_2;  // from the planet, outer radii
    float along = dot(p, u_light);
    vec3 across = p - along * u_light;
    bool shadowed = along < 0.0 && dot(across, across) < u_planet * u_planet;
    float sun_side = dot(u_light, u_normal);
    float eye_side = dot(u_eye_side, u_normal);
    float lit = sun_side * eye_side > 0.0 ? 1.25 : 0.45;  // lit face, or light passing through
    float light = shadowed ? 0.04 : lit * clamp(abs(sun_side) * 4.0 + 0.25, 0.25, 1.0);
    gl_FragColor = vec4(texel.rgb * light, texel.a);
}
