// Bodies as camera-facing impostor quads: true size when close, at least a_min_px when far.
// Positions are AU relative to the camera focus (float32 is exact enough near the focus).
attribute vec3 a_center;     // body centre, AU relative to focus
attribute vec2 a_corner;     // quad corner in -1..1
attribute float a_radius;    // physical radius, AU
attribute float a_min_px;    // minimum drawn diameter, pixels
attribute vec4 a_color;
attribute vec3 a_light;      // unit vector from the body to the Sun, world axes
attribute float a_emissive;  // 1 for the Sun (no shading, glow)

uniform vec3 u_cam_pos;      // camera position, AU relative to focus
uniform vec3 u_cam_right;
uniform vec3 u_cam_up;
uniform vec3 u_cam_back;
uniform float u_focal_px;    // pixels per radian at the view centre

varying vec2 v_corner;
varying vec4 v_color;
varying vec3 v_light_eye;
varying float v_emissive;
varying float v_boost;

void main() {
    float dist = max(length(a_center - u_cam_pos), 1e-30);
    float min_radius = 0.5 * a_min_px * dist / u_focal_px;
    // A sphere seen from distance d has a silhouette of angular radius asin(R/d); a billboard
    // through its centre needs radius R d / sqrt(d^2 - R^2) to cover it exactly.
    float true_radius = a_radius * dist / sqrt(max(dist * dist - a_radius * a_radius,
                                                   1e-6 * dist * dist));
    float radius = max(true_radius, min_radius);
    float extent = a_emissive > 0.5 ? 3.0 : 1.15;  // room for the Sun's glow and edge smoothing
    vec3 p = a_center + (a_corner.x * u_cam_right + a_corner.y * u_cam_up) * radius * extent;
    gl_Position = $transform(vec4(p, 1.0));
    v_corner = a_corner * extent;
    v_color = a_color;
    v_emissive = a_emissive;
    v_boost = clamp((radius / max(a_radius, 1e-30) - 1.0), 0.0, 1.0);
    v_light_eye = vec3(dot(a_light, u_cam_right), dot(a_light, u_cam_up), dot(a_light, u_cam_back));
}
