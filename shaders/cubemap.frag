// Resample six 90-degree cube faces into a projected image (spaceviz/render/cubemap.py; the
// same formulas in numpy: spaceviz/core/state/projection.py). View frame: x right, y up,
// z along the camera's view direction. Output u, v run 0..1 from the left and the bottom.
uniform vec2 u_size;        // the whole output image, pixels
uniform vec2 u_origin;      // this tile's lower-left corner in the output, pixels (y up)
uniform int u_kind;         // 1: fisheye dome master, 2: equirectangular
uniform float u_half_fov;   // fisheye: half the aperture, radians
uniform mat3 u_tilt;        // dome frame (z = zenith) -> view frame
uniform float u_texscale;   // face coordinate -> texture: faces overscan by one texel
uniform sampler2D u_front;
uniform sampler2D u_back;
uniform sampler2D u_right;
uniform sampler2D u_left;
uniform sampler2D u_top;
uniform sampler2D u_bottom;

const float PI = 3.14159265358979;

vec4 face(sampler2D tex, vec2 st) {
    // st in -1..1 on the face's 90 degrees; texel centres at the edges lie on the seams, so
    // bilinear filtering joins neighbouring faces without a visible edge.
    return texture2D(tex, (st * u_texscale + 1.0) * 0.5);
}

vec4 sample_cube(vec3 d) {
    vec3 a = abs(d);
    if (a.z >= a.x && a.z >= a.y) {
        if (d.z > 0.0) return face(u_front, d.xy / d.z);
        return face(u_back, vec2(d.x, -d.y) / d.z);
    }
    if (a.x >= a.y) {
        if (d.x > 0.0) return face(u_right, vec2(-d.z, d.y) / d.x);
        return face(u_left, vec2(d.z, d.y) / -d.x);
    }
    if (d.y > 0.0) return face(u_top, vec2(d.x, -d.z) / d.y);
    return face(u_bottom, vec2(d.x, d.z) / -d.y);
}

void main() {
    // Pixel centres from integer offsets: every tiling gives each pixel the same value.
    vec2 uv = (u_origin + gl_FragCoord.xy) / u_size;
    vec3 d;
    if (u_kind == 1) {
        vec2 ab = 2.0 * uv - 1.0;
        float r = length(ab);
        if (r > 1.0) {
            gl_FragColor = vec4(0.0, 0.0, 0.0, 1.0);  // outside the dome disc
            return;
        }
        vec3 dome = vec3(0.0, 0.0, 1.0);
        if (r > 1e-9) {
            float theta = r * u_half_fov;
            dome = vec3(sin(theta) * ab / r, cos(theta));
        }
        d = u_tilt * dome;
    } else {
        float lon = 2.0 * PI * (uv.x - 0.5);
        float lat = PI * (uv.y - 0.5);
        d = vec3(cos(lat) * sin(lon), sin(lat), cos(lat) * cos(lon));
    }
    gl_FragColor = vec4(sample_cube(d).rgb, 1.0);
}
