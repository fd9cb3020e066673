#include "occlusion.glsl"

varying vec4 v_color;
varying vec3 v_from_eye;

void main() {
    if (occlusion(v_from_eye) > 0.5) discard;
    gl_FragColor = v_color;
}
