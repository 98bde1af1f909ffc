//! Colormaps: matplotlib's, with matplotlib's colours, for fields, plots and surfaces.
//!
//! A value in 0..1 picks an entry of the map's lookup table the way matplotlib does
//! (`floor(v · N)`, the last entry for 1), so a frame coloured here matches one coloured
//! by matplotlib to the 8-bit rounding of its floats (a reversed map, `_r`, is the table
//! read backwards: within one level of matplotlib's, which rebuilds some reversed maps). The tables come from matplotlib
//! itself (see `tables.rs` and the script that writes it).

mod tables;

/// The colormap names a scene may use; each also exists reversed with `_r`.
pub const NAMES: &[&str] = &[
    "viridis", "plasma", "inferno", "magma", "cividis", "gray", "bone", "hot", "coolwarm", "RdBu",
    "twilight", "jet", "turbo", "Blues",
];

/// A colormap, possibly reversed.
#[derive(Clone, Copy)]
pub struct Colormap {
    name: &'static str,
    lut: &'static [[u8; 3]],
    reversed: bool,
}

impl std::fmt::Debug for Colormap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Colormap({}{})",
            self.name,
            if self.reversed { "_r" } else { "" }
        )
    }
}

impl PartialEq for Colormap {
    fn eq(&self, other: &Colormap) -> bool {
        self.name == other.name && self.reversed == other.reversed
    }
}

impl Colormap {
    /// The map called `name` (case as in matplotlib: `RdBu`), or its reverse for
    /// `name_r`. Unknown names give `None`; [`Colormap::suggest`] helps the error.
    pub fn by_name(name: &str) -> Option<Colormap> {
        let (base, reversed) = match name.strip_suffix("_r") {
            Some(base) => (base, true),
            None => (name, false),
        };
        let lut: &'static [[u8; 3]] = match base {
            "viridis" => &tables::VIRIDIS,
            "plasma" => &tables::PLASMA,
            "inferno" => &tables::INFERNO,
            "magma" => &tables::MAGMA,
            "cividis" => &tables::CIVIDIS,
            "gray" => &tables::GRAY,
            "bone" => &tables::BONE,
            "hot" => &tables::HOT,
            "coolwarm" => &tables::COOLWARM,
            "RdBu" => &tables::RDBU,
            "twilight" => &tables::TWILIGHT,
            "jet" => &tables::JET,
            "turbo" => &tables::TURBO,
            "Blues" => &tables::BLUES,
            _ => return None,
        };
        let name = NAMES.iter().copied().find(|n| *n == base)?;
        Some(Colormap {
            name,
            lut,
            reversed,
        })
    }

    /// "did you mean …?" for a name [`by_name`](Self::by_name) refused, else the list.
    pub fn suggest(name: &str) -> String {
        let all: Vec<String> = NAMES
            .iter()
            .flat_map(|n| [n.to_string(), format!("{n}_r")])
            .collect();
        crate::base::diag::did_you_mean(name, all.iter().map(|s| s.as_str()))
            .unwrap_or_else(|| format!("colormaps: {} (each reversed with `_r`)", NAMES.join(", ")))
    }

    /// The name as a scene writes it.
    pub fn name(&self) -> String {
        format!("{}{}", self.name, if self.reversed { "_r" } else { "" })
    }

    /// The number of distinct colours (matplotlib's `N`).
    pub fn len(&self) -> usize {
        self.lut.len()
    }

    /// Always false: every map has colours.
    pub fn is_empty(&self) -> bool {
        self.lut.is_empty()
    }

    /// The colour of `v`, where 0 is the map's start and 1 its end. Values outside
    /// 0..1 take the end colours; NaN takes the start's (callers that want NaN shown
    /// differently test for it first).
    pub fn map(&self, v: f64) -> [u8; 3] {
        let i = self.position(v);
        if self.reversed {
            self.lut[self.lut.len() - 1 - i]
        } else {
            self.lut[i]
        }
    }

    /// Which of the [`colors`](Self::colors) `v` takes: matplotlib's `floor(v · N)`,
    /// clamped to the table.
    pub fn position(&self, v: f64) -> usize {
        let n = self.lut.len();
        if v.is_nan() || v <= 0.0 {
            0
        } else if v >= 1.0 {
            n - 1
        } else {
            ((v * n as f64) as usize).min(n - 1)
        }
    }

    /// The whole table in order of increasing value (reversed maps reversed), so that
    /// `colors()[position(v)] == map(v)` for mapping many values at once.
    pub fn colors(&self) -> Vec<[u8; 3]> {
        (0..self.lut.len())
            .map(|i| {
                if self.reversed {
                    self.lut[self.lut.len() - 1 - i]
                } else {
                    self.lut[i]
                }
            })
            .collect()
    }
}

/// Decodes a generated table of `rrggbb` hex digits at compile time.
const fn hex_table<const N: usize>(hex: &str) -> [[u8; 3]; N] {
    const fn digit(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("colormap tables hold lowercase hex digits"),
        }
    }
    let b = hex.as_bytes();
    assert!(b.len() == N * 6, "colormap table has the wrong length");
    let mut out = [[0u8; 3]; N];
    let mut i = 0;
    while i < N {
        let mut k = 0;
        while k < 3 {
            let at = i * 6 + k * 2;
            out[i][k] = digit(b[at]) * 16 + digit(b[at + 1]);
            k += 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(c: [u8; 3]) -> String {
        format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
    }

    #[test]
    fn viridis_endpoints_are_matplotlibs() {
        let v = Colormap::by_name("viridis").unwrap();
        assert_eq!(hex(v.map(0.0)), "#440154");
        assert_eq!(hex(v.map(1.0)), "#fde725");
        let r = Colormap::by_name("viridis_r").unwrap();
        assert_eq!(hex(r.map(0.0)), "#fde725");
        assert_eq!(hex(r.map(1.0)), "#440154");
    }

    /// Every sample matplotlib computed (tests/fixtures/colormaps/samples.txt, written
    /// by make_fixtures.py beside it) is reproduced exactly, a reversed map's within one
    /// level: matplotlib builds `jet_r` or `bone_r` anew from reversed segments, whose
    /// floats round the other way in a few entries (19 of jet's 256, 8 of bone's).
    #[test]
    fn matches_matplotlib_samples() {
        let text = include_str!("../../tests/fixtures/colormaps/samples.txt");
        let mut checked = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [name, v, want] = parts[..] else {
                panic!("bad fixture line {line:?}")
            };
            let map = Colormap::by_name(name).unwrap_or_else(|| panic!("no map {name}"));
            let v: f64 = v.parse().unwrap();
            let got = map.map(v);
            if name.ends_with("_r") {
                let want = u32::from_str_radix(&want[1..], 16).unwrap().to_be_bytes();
                let near = (0..3).all(|c| got[c].abs_diff(want[c + 1]) <= 1);
                assert!(near, "{name}({v}): {} against {want:?}", hex(got));
            } else {
                assert_eq!(hex(got), want, "{name}({v})");
            }
            checked += 1;
        }
        assert_eq!(checked, NAMES.len() * 2 * 10);
    }

    #[test]
    fn out_of_range_values_clamp() {
        let m = Colormap::by_name("hot").unwrap();
        assert_eq!(m.map(-3.0), m.map(0.0));
        assert_eq!(m.map(7.0), m.map(1.0));
        assert_eq!(m.map(f64::NAN), m.map(0.0));
        assert_eq!(m.map(f64::INFINITY), m.map(1.0));
    }

    #[test]
    fn names_and_suggestions() {
        for n in NAMES {
            let m = Colormap::by_name(n).unwrap();
            assert_eq!(m.name(), *n);
            assert_eq!(
                Colormap::by_name(&format!("{n}_r")).unwrap().name(),
                format!("{n}_r")
            );
        }
        assert_eq!(Colormap::by_name("twilight").unwrap().len(), 510);
        assert!(Colormap::by_name("virdis").is_none());
        assert!(Colormap::by_name("rdbu").is_none());
        assert_eq!(Colormap::suggest("virdis"), "did you mean `viridis`?");
        assert_eq!(Colormap::suggest("rdbu"), "did you mean `RdBu`?");
        assert!(Colormap::suggest("zzzzzzzz").starts_with("colormaps: viridis"));
    }

    #[test]
    fn colors_follow_direction() {
        let m = Colormap::by_name("gray_r").unwrap();
        let c = m.colors();
        assert_eq!(c[0], [255, 255, 255]);
        assert_eq!(c[255], [0, 0, 0]);
        assert_eq!(c[m.position(0.3)], m.map(0.3));
        assert_eq!(c[m.position(0.3)], [0xb3, 0xb3, 0xb3]);
    }
}
