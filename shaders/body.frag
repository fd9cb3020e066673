// Ray-cast sphere, in a form that float32 keeps precise from a lunar close-up to the outer
// planets: with b the ray's projection of the centre, the ray passes at |c - b dir| from it,
// so disc = R^2 - |c - b dir|^2 (no squares of the large distance cancel), and the near
// root is t = h (2R + h) / (b + sqrt(disc)), with h the eye's altitude above the sphere. The surface normal gives the lighting (Lambert, a
// dark night side for mapped bodies) and, through the body-fixed axes, the map coordinates.
#include "occlusion.glsl"

uniform sampler2D u_surface;  // equirectangular map: u from longitude -180, v = 0 at the north
uniform float u_textured;
uniform vec3 u_atmosphere;    // scattered daylight added over the map (Earth's blue), or 0

varying vec3 v_ray;
varying vec3 v_center;
varying float v_radius;
varying float v_altitude;
varying vec4 v_color;
varying vec3 v_light;
varying float v_emissive;
varying float v_boost;
varying vec3 v_fixed_x;
varying vec3 v_fixed_y;
varying vec3 v_fixed_z;
varying float v_oblate;       // equatorial / polar radius (1: a sphere)

const float PI = 3.141592653589793;

vec3 surface_color(vec3 normal) {
    // The map where the body is drawn at its true size; its colour as a marker when drawn
    // larger than life (a blue Earth, a red Mars), blending between the two. The Sun's disc
    // is white-hot, lightly tinted by its (glow) colour.
    if (u_textured < 0.5) return v_color.rgb;
    vec3 n = vec3(dot(normal, v_fixed_x), dot(normal, v_fixed_y), dot(normal, v_fixed_z));
    float lon = atan(n.y, n.x);
    float lat = asin(clamp(n.z, -1.0, 1.0));
    vec2 uv = vec2((lon + PI) / (2.0 * PI), (0.5 * PI - lat) / PI);
    vec3 mapped = texture2D(u_surface, uv).rgb;
    if (v_emissive > 0.5) return mapped * mix(vec3(1.0), v_color.rgb, 0.4);  // white-hot
    return mix(mapped, v_color.rgb, v_boost);
}

vec3 stretch(vec3 v, float k) {
    // Scale the component along the pole by k (an oblate planet becomes a sphere for k > 1).
    return v + (k - 1.0) * dot(v, v_fixed_z) * v_fixed_z;
}

void main() {
    // An oblate planet (Saturn, Jupiter) is ray-cast as the sphere it becomes when space is
    // stretched along its pole by equatorial / polar radius; spheres skip the stretch.
    bool oblate = v_oblate > 1.0001;
    vec3 dir = normalize(v_ray);
    vec3 centre = v_center;
    float altitude = v_altitude;
    if (oblate) {
        dir = normalize(stretch(dir, v_oblate));
        centre = stretch(v_center, v_oblate);
        altitude = length(centre) - v_radius;
    }
    float b = dot(dir, centre);
    vec3 miss = centre - b * dir;
    float r2 = v_radius * v_radius;
    float x = 1.0 - dot(miss, miss) / r2;  // 1 at the disc's centre, 0 on the silhouette
    float disc = x * r2;
    if (v_emissive > 0.5 && x < 0.0) {
        // The Sun's glow around its disc, from how far the ray passes from it.
        float k = sqrt(max(1.0 - x, 1.0));
        float glow = 0.55 * exp(-3.0 * (k - 1.0));
        if (glow < 0.02) discard;
        gl_FragColor = vec4(v_color.rgb, glow);
        return;
    }
    float aa = max(fwidth(x), 1e-7);  // about one pixel across the silhouette
    float edge = clamp(0.5 + x / aa, 0.0, 1.0);
    if (edge <= 0.0) discard;
    float t = altitude * (2.0 * v_radius + altitude) / (b + sqrt(max(disc, 0.0)));
    vec3 hit = t * dir;
    vec3 normal = (hit - centre) / v_radius;
    if (oblate) {
        hit = stretch(hit, 1.0 / v_oblate);  // back to real space
        dir = normalize(v_ray);
        normal = normalize(stretch(normal, v_oblate));  // the ellipsoid's normal
    }
    if (occlusion(hit) > 0.5) discard;
    vec3 color = surface_color(normal);
    if (v_emissive > 0.5) {
        float mu = max(dot(normal, -dir), 0.0);
        float limb = 1.0 - 0.6 * (1.0 - mu);  // limb darkening, linear law (visible light)
        gl_FragColor = vec4(min(color * limb * 1.35, 1.0), 1.0);
        return;
    }
    float cos_sun = dot(normal, v_light);
    float lambert = max(cos_sun, 0.0);
    // Mapped bodies keep a dark night side; small markers stay visible at any phase.
    float ambient = mix(u_textured > 0.5 ? 0.035 : 0.10, 0.40, v_boost);
    vec3 rgb = color * (ambient + (1.0 - ambient) * lambert);
    // An atmosphere scatters daylight, most towards the limb (a longer path through it).
    float mu = max(dot(normal, -dir), 0.0);
    float day = smoothstep(-0.15, 0.35, cos_sun);
    rgb += (1.0 - v_boost) * u_atmosphere * day * (0.6 + 1.6 * (1.0 - mu) * (1.0 - mu));
    gl_FragColor = vec4(min(rgb, 1.0), v_color.a * edge);
}
