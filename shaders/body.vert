// Bodies as ray-cast spheres: each is a quad perpendicular to the line of sight through its
// centre, just large enough to cover the silhouette; the fragment shader intersects the view
// ray with the sphere, so the picture is exact from far away to a few hundred metres above
// the surface. Far away a body is drawn at least a_min_px across (a larger sphere).
// Positions are AU in uploaded coordinates (relative to the scene origin, near the focus).
attribute vec3 a_center;     // body centre
attribute vec2 a_corner;     // quad corner in -1..1
attribute float a_radius;    // physical radius, AU
attribute float a_min_px;    // minimum drawn diameter, logical pixels
attribute vec4 a_color;      // base colour (untextured bodies; multiplies the map)
attribute vec3 a_light;      // unit vector from the body to the Sun, display axes
attribute float a_emissive;  // 1 for the Sun: no shading, limb darkening and a glow
attribute vec3 a_fixed_x;    // the body-fixed axes in display coordinates (texture lookup)
attribute vec3 a_fixed_y;
attribute vec3 a_fixed_z;
attribute float a_oblate;    // equatorial / polar radius (1 for spheres and markers)

uniform vec3 u_cam_pos;      // the eye in uploaded coordinates
uniform vec3 u_cam_up;       // camera up (display axes): orients the quads
uniform float u_focal_px;    // logical pixels per radian at the view centre

varying vec3 v_ray;          // from the eye to this point of the quad
varying vec3 v_center;       // from the eye to the centre
varying float v_radius;      // the drawn sphere's radius, AU
varying float v_altitude;    // distance from the eye to the drawn sphere's surface, AU
varying vec4 v_color;
varying vec3 v_light;
varying float v_emissive;
varying float v_boost;       // 1 when small on screen: a marker (its colour, more ambient)
varying vec3 v_fixed_x;
varying vec3 v_fixed_y;
varying vec3 v_fixed_z;
varying float v_oblate;

void main() {
    vec3 c = a_center - u_cam_pos;
    float d = max(length(c), 1e-30);
    float min_radius = 0.5 * a_min_px * d / u_focal_px;
    float radius = max(a_radius, min_radius);
    vec3 w = c / d;
    vec3 helper = abs(dot(w, u_cam_up)) < 0.9 ? u_cam_up : vec3(1.0, 0.0, 0.0);
    vec3 right = normalize(cross(w, helper));
    vec3 up = cross(right, w);
    // The silhouette of a sphere seen from d has angular radius asin(R/d); a quad through
    // its centre needs radius R d / sqrt(d^2 - R^2) to cover it.
    float cover = radius * d / sqrt(max(d * d - radius * radius, 1e-6 * d * d));
    float extent = a_emissive > 0.5 ? 3.0 : 1.1;  // room for the Sun's glow and the edge
    vec3 p = a_center + (a_corner.x * right + a_corner.y * up) * cover * extent;
    gl_Position = $transform(vec4(p, 1.0));
    v_ray = p - u_cam_pos;
    v_center = c;
    v_radius = radius;
    v_altitude = d - radius;
    v_color = a_color;
    v_light = a_light;
    v_emissive = a_emissive;
    // Small on screen, a body reads as a marker: its colour, and light on its night side;
    // from 24 px in radius up, its true looks (its map, a dark night side).
    float radius_px = radius / d * u_focal_px;
    v_boost = clamp((24.0 - radius_px) / 18.0, 0.0, 1.0);
    v_fixed_x = a_fixed_x;
    v_fixed_y = a_fixed_y;
    v_fixed_z = a_fixed_z;
    v_oblate = radius > a_radius ? 1.0 : a_oblate;  // a marker is a round dot
}
