"""Per-frame belt cost: Kepler in the vertex shader vs numpy propagation + re-upload.

Both paths draw the same synthetic population at 1280x720 into an offscreen framebuffer,
side by side in one process; the CPU path is what a viewer without the shader does:
propagate all objects in float64 numpy, upload (N, 3) float32 positions, draw points.
"""

from __future__ import annotations

import sys

import numpy as np
from timing import best_of

SIZES = (100_000, 500_000, 1_400_000)



def main(sizes=SIZES) -> None:
    from spaceviz.export.backend import ensure_headless_backend

    backend = ensure_headless_backend()
    rows = [measure(n) for n in sizes]
    print(f"### Belt per frame, 1280x720 ({backend}, software OpenGL unless noted)\n")
    print("| asteroids | shader path (frame) | CPU propagate + upload + draw | speed-up |")
    print("|---|---|---|---|")
    for row in rows:
        print(row)


def measure(n: int) -> str:
    """One table row: both paths on the same n-object synthetic population."""
    from vispy import scene as vscene

    from spaceviz.core.astro.catalogs.synthetic import synthetic_belt
    from spaceviz.core.astro.orbits import propagate_positions
    from spaceviz.core.state.camera import CameraModel
    from spaceviz.render.camera import apply_pose, make_vispy_camera
    from spaceviz.render.gpu import perifocal_arrays, to_gpu
    from spaceviz.render.offscreen import render_region
    from spaceviz.render.visuals.belt import Belt

    catalog = synthetic_belt(n, seed=5)
    belt = catalog.population()
    elements = belt.elements
    t0 = float(np.median(elements.epoch_tdb))
    canvas = vscene.SceneCanvas(size=(1280, 720), show=False, bgcolor="black")
    view = canvas.central_widget.add_view()
    view.camera = make_vispy_camera()
    apply_pose(view.camera, CameraModel("Sun", 7.0, 20.0, 35.0))

    gpu_node = Belt(parent=view.scene)
    p, q = perifocal_arrays(elements.a_au, elements.e, elements.i_rad, elements.node_rad,
                            elements.peri_rad)
    orbit = np.stack([elements.e, elements.mean_motion_rad_per_day,
                      elements.mean_anomaly_at(t0), np.arange(n)], axis=1)
    meta = np.stack([belt.group, belt.spectral, np.nan_to_num(belt.H, nan=16.0),
                     np.degrees(elements.i_rad)], axis=1)
    gpu_node.set_orbits(p, q, orbit, meta)
    gpu_node.set_palette(np.full((8, 4), 0.6), np.full((8, 4), 0.6))
    cpu_node = vscene.visuals.Markers(parent=view.scene)
    state = {"t": t0}

    def shader_frame():
        state["t"] += 1.0
        gpu_node.set_frame(state["t"] - t0, np.zeros(3))
        render_region(canvas)

    def cpu_frame():
        state["t"] += 1.0
        helio = propagate_positions(elements, state["t"])
        cpu_node.set_data(to_gpu(helio, np.zeros(3)), size=2, edge_width=0,
                          face_color=(0.6, 0.6, 0.6, 0.6))
        render_region(canvas)

    cpu_node.visible = False
    shader_frame()
    shader_s = best_of(shader_frame)
    gpu_node.visible, cpu_node.visible = False, True
    cpu_frame()
    cpu_s = best_of(cpu_frame)
    propagate_s = best_of(lambda: propagate_positions(elements, t0 + 3.0))
    canvas.close()
    print(f"{n} done", file=sys.stderr, flush=True)
    return (f"| {n:,} | {shader_s * 1e3:.0f} ms | {cpu_s * 1e3:.0f} ms "
            f"(numpy propagation alone {propagate_s * 1e3:.0f} ms) | "
            f"**{cpu_s / shader_s:.1f}x** |")


if __name__ == "__main__":
    main(tuple(int(v) for v in sys.argv[1:]) or SIZES)
