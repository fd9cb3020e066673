// Bodies hide what lies behind them, analytically: a point is hidden when the segment from
// the eye to it passes through one of the occluding spheres (the bodies large enough on
// screen to matter). Everything is relative to the eye in scene coordinates (AU, display
// axes), so the test keeps float32 precision from a lunar close-up to the outer planets.
// A point on a sphere's visible surface stays visible (the sphere is shrunk by 0.1%).
// (The array size is a literal: VisPy reads it from the declaration; render/occlusion.py
// MAX_OCCLUDERS matches it.)
uniform vec4 u_occluders[8];  // xyz: centre relative to the eye; w: radius, AU
uniform float u_occluder_count;

float occlusion(vec3 p) {
    // 1.0 when p (relative to the eye) is behind or inside an occluder, else 0.0.
    float pp = max(dot(p, p), 1e-36);
    for (int i = 0; i < 8; i++) {
        if (float(i) >= u_occluder_count) break;
        vec4 s = u_occluders[i];
        float r = 0.999 * s.w;
        if (dot(s.xyz, s.xyz) <= r * r) continue;  // the eye is inside: nothing to hide
        float t = clamp(dot(s.xyz, p) / pp, 0.0, 1.0);
        vec3 d = s.xyz - t * p;  // from the segment's closest point to the centre
        if (dot(d, d) < r * r) return 1.0;
    }
    return 0.0;
}
