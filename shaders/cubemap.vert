// Full-screen pass that resamples a cube map into a fisheye or equirectangular image
// (spaceviz/render/cubemap.py). The quad covers the output tile being drawn.
attribute vec2 a_position;

void main() {
    gl_Position = vec4(a_position, 0.0, 1.0);
}
