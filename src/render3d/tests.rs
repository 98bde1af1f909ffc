//! Whole-pipeline tests: camera, meshes, clipping and rasterizer together.

use std::sync::Arc;

use super::camera::Camera;
use super::draw::{render, LineStyle, MeshStyle, Shading};
use super::math::{Bounds, Vec3};
use super::mesh::{grid_vertices, linspace, Topology, Vertices};
use super::shade::{Light, Lut, Paint};

const BG: [u8; 4] = [0, 0, 0, 0];

fn style(paint: Paint) -> MeshStyle {
    MeshStyle {
        paint,
        light: Light::default(),
        shading: Shading::Smooth,
        fill: true,
        wire_width: 1.0,
        mesh_lines: None,
    }
}

fn solid(c: [f32; 3]) -> MeshStyle {
    style(Paint::Solid(c))
}

fn surface(f: impl Fn(f64, f64) -> f64, n: usize, lo: f64, hi: f64) -> Vertices {
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    linspace(lo, hi, n, &mut xs);
    linspace(lo, hi, n, &mut ys);
    let z: Vec<f64> = ys
        .iter()
        .flat_map(|&y| xs.iter().map(move |&x| (x, y)))
        .map(|(x, y)| f(x, y))
        .collect();
    let mut v = Vertices::default();
    grid_vertices(&xs, &ys, &z, &mut v);
    v
}

fn draw(
    w: usize,
    h: usize,
    ss: usize,
    cam: &Camera,
    f: impl FnOnce(&mut super::draw::Canvas),
) -> Vec<[u8; 4]> {
    let mut out = vec![0u8; w * h * 4];
    let (mut target, mut scratch) = (Default::default(), Default::default());
    render(&mut out, w, h, ss, BG, cam, &mut target, &mut scratch, f);
    out.chunks_exact(4)
        .map(|c| [c[0], c[1], c[2], c[3]])
        .collect()
}

/// An orthographic camera straight above, x to the right and y up, showing `half`
/// scene units from the centre to the top edge.
fn plan_view(half: f64) -> Camera {
    Camera {
        azimuth: -90.0,
        elevation: 90.0,
        distance: half / (super::camera::DEFAULT_FOV * 0.5).to_radians().tan(),
        fov: 0.0,
        target: Vec3::ZERO,
    }
}

#[test]
fn flat_surface_from_above_fills_the_expected_rectangle_with_one_shade() {
    // The square [-1, 1]² seen with 2 units to the top edge fills the middle half.
    let v = surface(|_, _| 0.0, 7, -1.0, 1.0);
    let topo = Topology::grid(7, 7, 1);
    for ss in [1, 3] {
        let px = draw(64, 64, ss, &plan_view(2.0), |c| {
            c.mesh(&v, &topo, &solid([0.2, 0.6, 1.0]))
        });
        let shade = px[32 * 64 + 32];
        assert_eq!(shade[3], 255);
        for y in 0..64 {
            for x in 0..64 {
                let inside = (16..48).contains(&x) && (16..48).contains(&y);
                let want = if inside { shade } else { BG };
                assert_eq!(px[y * 64 + x], want, "ss {ss}: pixel {x},{y}");
            }
        }
    }
}

#[test]
fn front_surface_hides_what_is_behind_it_in_any_drawing_order() {
    // A red square at x = 1 in front of a larger blue one at x = -1, seen from +x.
    let wall = |x: f64, half: f64| {
        let mut v = Vertices::default();
        for (y, z) in [(-half, -half), (half, -half), (-half, half), (half, half)] {
            v.positions.push(Vec3::new(x, y, z));
            v.normals.push(Vec3::new(1.0, 0.0, 0.0));
            v.values.push(0.0);
        }
        v
    };
    let topo = Topology::grid(2, 2, 1);
    let (front, back) = (wall(1.0, 0.5), wall(-1.0, 2.0));
    let cam = Camera {
        azimuth: 0.0,
        elevation: 0.0,
        distance: 6.0,
        fov: 30.0,
        target: Vec3::ZERO,
    };
    let red = solid([1.0, 0.0, 0.0]);
    let blue = solid([0.0, 0.0, 1.0]);
    let a = draw(48, 48, 2, &cam, |c| {
        c.mesh(&front, &topo, &red);
        c.mesh(&back, &topo, &blue);
    });
    let b = draw(48, 48, 2, &cam, |c| {
        c.mesh(&back, &topo, &blue);
        c.mesh(&front, &topo, &red);
    });
    assert_eq!(a, b);
    let centre = a[24 * 48 + 24];
    assert!(centre[0] > 200 && centre[0] > centre[2] + 150, "{centre:?}");
    let edge = a[24 * 48 + 4];
    assert!(edge[2] > 150 && edge[2] > edge[0] + 100, "{edge:?}");
}

#[test]
fn peak_in_front_hides_the_plateau_behind_it() {
    // A tall ridge along y at x = -0.5 in front of a plateau at x > 0, seen from -x,
    // low. The grid is drawn in order of increasing x, so the plateau comes after the
    // ridge: only the depth test keeps it hidden. Front vertices are coloured red,
    // the others blue.
    let mut v = surface(
        |x, _| {
            if (x + 0.5).abs() < 0.15 {
                1.0
            } else if x > 0.0 {
                1.6
            } else {
                0.0
            }
        },
        41,
        -1.0,
        1.0,
    );
    v.values = v
        .positions
        .iter()
        .map(|p| if p.x < -0.2 { 1.0 } else { 0.0 })
        .collect();
    let topo = Topology::grid(41, 41, 1);
    let lut = Arc::new(Lut::sample(
        |u| if u > 0.5 { [255, 0, 0] } else { [0, 0, 255] },
    ));
    let st = MeshStyle {
        light: Light {
            ambient: 1.0,
            diffuse: 0.0,
            specular: 0.0,
            ..Light::default()
        },
        ..style(Paint::Map {
            lut,
            lo: 0.0,
            hi: 1.0,
            log: false,
        })
    };
    let cam = Camera {
        azimuth: 180.0,
        elevation: 10.0,
        distance: 5.0,
        fov: 30.0,
        target: Vec3::new(0.0, 0.0, 0.5),
    };
    let px = draw(64, 64, 1, &cam, |c| c.mesh(&v, &topo, &st));
    // The ridge's face covers the centre column from its top down to its foot.
    let view = super::camera::View::new(&cam, 64.0, 64.0);
    let (_, top) = view.project(Vec3::new(-0.65, 0.0, 1.0)).unwrap();
    let (_, foot) = view.project(Vec3::new(-0.65, 0.0, 0.0)).unwrap();
    let (top, foot) = (top.ceil() as usize + 1, foot.floor() as usize - 1);
    assert!(foot > top + 5);
    for y in top..foot {
        assert_eq!(px[y * 64 + 32], [255, 0, 0, 255], "row {y}");
    }
    // The plateau is visible above the ridge, so it was drawn.
    assert!(px.iter().any(|p| p[2] == 255));
}

/// A UV sphere with shared poles and a wrapped seam: a closed, watertight mesh.
fn sphere(rings: usize, sides: usize, r: f64) -> (Vertices, Topology) {
    let mut v = Vertices::default();
    let mut push = |p: Vec3| {
        v.positions.push(p * r);
        v.normals.push(p);
        v.values.push(p.z);
    };
    push(Vec3::new(0.0, 0.0, 1.0));
    for k in 1..rings {
        let th = std::f64::consts::PI * k as f64 / rings as f64;
        for s in 0..sides {
            let ph = std::f64::consts::TAU * s as f64 / sides as f64;
            push(Vec3::new(
                th.sin() * ph.cos(),
                th.sin() * ph.sin(),
                th.cos(),
            ));
        }
    }
    push(Vec3::new(0.0, 0.0, -1.0));
    let south = (1 + (rings - 1) * sides) as u32;
    let id = |k: usize, s: usize| (1 + (k - 1) * sides + s % sides) as u32;
    let mut t = Topology::default();
    for s in 0..sides {
        t.triangles.push([0, id(1, s), id(1, s + 1)]);
        t.triangles
            .push([south, id(rings - 1, s + 1), id(rings - 1, s)]);
        for k in 1..rings - 1 {
            let (a, b, c, d) = (id(k, s), id(k + 1, s), id(k + 1, s + 1), id(k, s + 1));
            t.triangles.push([a, b, c]);
            t.triangles.push([a, c, d]);
        }
    }
    (v, t)
}

#[test]
fn closed_surface_shows_no_background_inside_its_outline() {
    let (v, topo) = sphere(24, 40, 1.0);
    let st = solid([0.9, 0.9, 0.9]);
    for fov in [0.0, 30.0, 70.0] {
        for (az, el) in [(0.0, 0.0), (17.0, 33.0), (123.0, -71.0), (-45.0, 90.0)] {
            let cam = Camera {
                azimuth: az,
                elevation: el,
                distance: 4.0,
                fov,
                target: Vec3::new(0.01, -0.02, 0.03),
            };
            let px = draw(80, 80, 1, &cam, |c| c.mesh(&v, &topo, &st));
            let view = super::camera::View::new(&cam, 80.0, 80.0);
            let (cx, cy) = view.project(Vec3::ZERO).unwrap();
            // The sphere's outline radius in pixels, shrunk a little for the facets.
            let r_px = if fov > 0.0 {
                (1.0f64 / 4.0).asin().tan() * view.focal * 0.97 - 1.5
            } else {
                view.focal * 0.97 - 1.5
            };
            let mut checked = 0;
            for y in 0..80 {
                for x in 0..80 {
                    let (dx, dy) = (x as f64 + 0.5 - cx, y as f64 + 0.5 - cy);
                    if (dx * dx + dy * dy).sqrt() < r_px {
                        checked += 1;
                        assert_eq!(
                            px[y * 80 + x][3],
                            255,
                            "crack at {x},{y} (fov {fov}, az {az}, el {el})"
                        );
                    }
                }
            }
            assert!(checked > 500);
        }
    }
}

#[test]
fn plane_through_the_near_plane_is_clipped_not_lost() {
    // A huge floor under a low camera: the floor reaches behind the eye.
    let v = surface(|_, _| 0.0, 3, -1000.0, 1000.0);
    let topo = Topology::grid(3, 3, 1);
    let cam = Camera {
        azimuth: 30.0,
        elevation: 5.0,
        distance: 2.0,
        fov: 60.0,
        target: Vec3::ZERO,
    };
    let px = draw(40, 40, 2, &cam, |c| {
        c.mesh(&v, &topo, &solid([0.0, 1.0, 0.0]))
    });
    // The bottom row is floor, the top row is sky.
    assert!((0..40).all(|x| px[39 * 40 + x][3] == 255));
    assert!((0..40).all(|x| px[x] == BG));
}

#[test]
fn lines_over_the_fill_and_outline_win_the_depth_test() {
    let v = surface(|_, _| 0.0, 3, -1.0, 1.0);
    let topo = Topology::grid(3, 3, 1);
    let st = MeshStyle {
        mesh_lines: Some(LineStyle {
            color: [0.0, 0.0, 0.0],
            width: 2.0,
        }),
        ..solid([1.0, 1.0, 1.0])
    };
    // From above with the grid line x = 0 down the middle column (pixel 31/32 border).
    let px = draw(64, 64, 1, &plan_view(2.0), |c| c.mesh(&v, &topo, &st));
    let mid = px[24 * 64 + 31];
    assert_eq!(mid, [0, 0, 0, 255], "grid line at x = 0");
    assert!(px[24 * 64 + 24][0] > 200, "fill between lines");
    let b = Bounds::new(Vec3::new(-1.0, -1.0, 0.0), Vec3::new(1.0, 1.0, 0.5));
    let px = draw(64, 64, 1, &plan_view(2.0), |c| {
        c.mesh(&v, &topo, &solid([1.0, 1.0, 1.0]));
        c.outline(
            &b,
            LineStyle {
                color: [1.0, 0.0, 0.0],
                width: 2.0,
            },
        );
    });
    assert_eq!(px[32 * 64 + 16], [255, 0, 0, 255], "box edge x = -1");
}

#[test]
fn wireframe_draws_only_edges() {
    let v = surface(|_, _| 0.0, 3, -1.0, 1.0);
    let topo = Topology::grid(3, 3, 1);
    let st = MeshStyle {
        fill: false,
        ..solid([1.0, 1.0, 1.0])
    };
    let px = draw(64, 64, 1, &plan_view(2.0), |c| c.mesh(&v, &topo, &st));
    assert_eq!(px[24 * 64 + 24], BG);
    assert!(px[24 * 64 + 31][3] == 255 || px[24 * 64 + 32][3] == 255);
}

#[test]
fn a_wireframe_of_width_zero_draws_nothing() {
    // An animated line width may pass through 0: that frame shows no wireframe.
    let v = surface(|_, _| 0.0, 3, -1.0, 1.0);
    let topo = Topology::grid(3, 3, 1);
    let st = MeshStyle {
        fill: false,
        wire_width: 0.0,
        ..solid([1.0, 1.0, 1.0])
    };
    let px = draw(64, 64, 1, &plan_view(2.0), |c| c.mesh(&v, &topo, &st));
    assert!(px.iter().all(|p| *p == BG));
}
