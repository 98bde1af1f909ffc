//! Where a layer sits in its parent: `"center"`, `["center", "top"]`, pixels,
//! percentages of the parent, each coordinate possibly animated.

use serde::de::value::{MapAccessDeserializer, StrDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::expr::{Env, RawParam, Watched};

/// One coordinate as written.
#[derive(Debug, Clone)]
pub enum RawCoord {
    /// `left`/`top` (0), `center` (0.5), `right`/`bottom` (1).
    Align(f64),
    /// `"25%"`: the layer's top-left edge at this fraction of the parent's side.
    Percent(f64),
    /// Pixels from the parent's top-left corner to the layer's: a number, an
    /// expression of `t` or keyframes. The span is the coordinate's own when known.
    Pixels(Spanned<RawParam>),
}

fn pixels(p: RawParam) -> RawCoord {
    RawCoord::Pixels(Spanned::new(0..0, p))
}

/// A position as written: one keyword, or `[x, y]`.
#[derive(Debug, Clone)]
pub struct RawPosition(pub RawCoord, pub RawCoord);

impl Default for RawPosition {
    fn default() -> Self {
        RawPosition(pixels(RawParam::Number(0.0)), pixels(RawParam::Number(0.0)))
    }
}

fn keyword(s: &str) -> Option<(Option<f64>, Option<f64>)> {
    // (x, y) alignment a lone keyword implies; `None` = centred on that axis.
    match s {
        "center" | "centre" => Some((None, None)),
        "left" => Some((Some(0.0), None)),
        "right" => Some((Some(1.0), None)),
        "top" => Some((None, Some(0.0))),
        "bottom" => Some((None, Some(1.0))),
        _ => None,
    }
}

/// The `[x, y]` keywords of a corner written as one word, the way other tools write it
/// (`"top-right"`, `"bottom_left"`, `"upper right"`, `"right top"`).
fn corner(s: &str) -> Option<[&'static str; 2]> {
    let words: Vec<&str> = s
        .split(|c: char| c == '-' || c == '_' || c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b] = words[..] else {
        return None;
    };
    let (mut x, mut y, mut centred) = (None, None, 0);
    for w in [a, b] {
        match w.to_ascii_lowercase().as_str() {
            "left" => x = Some("left"),
            "right" => x = Some("right"),
            "top" | "upper" => y = Some("top"),
            "bottom" | "lower" => y = Some("bottom"),
            "center" | "centre" | "middle" => centred += 1,
            _ => return None,
        }
    }
    for _ in 0..centred {
        match (x, y) {
            (None, _) => x = Some("center"),
            (_, None) => y = Some("center"),
            _ => {}
        }
    }
    Some([x?, y?])
}

#[cfg(test)]
mod corner_tests {
    use super::corner;

    #[test]
    fn corners_written_as_one_word() {
        assert_eq!(corner("top-right"), Some(["right", "top"]));
        assert_eq!(corner("top_left"), Some(["left", "top"]));
        assert_eq!(corner("bottom right"), Some(["right", "bottom"]));
        assert_eq!(corner("upper-center"), Some(["center", "top"]));
        assert_eq!(corner("center-left"), Some(["left", "center"]));
        // MoviePy's ("center", "top") written as one string
        assert_eq!(corner("center, top"), Some(["center", "top"]));
        assert_eq!(corner("left-right"), None);
        assert_eq!(corner("top"), None);
        assert_eq!(corner("top-rigth"), None);
    }
}

fn coord_from_str<E: de::Error>(s: &str, axis: usize) -> Result<RawCoord, E> {
    let t = s.trim();
    if let Some(p) = t.strip_suffix('%') {
        let v: f64 = p
            .trim()
            .parse()
            .map_err(|_| E::custom(format!("`{s}` is not a percentage")))?;
        return Ok(RawCoord::Percent(v));
    }
    let align = match (t, axis) {
        ("center" | "centre", _) => Some(0.5),
        ("left", 0) | ("top", 1) => Some(0.0),
        ("right", 0) | ("bottom", 1) => Some(1.0),
        ("left" | "right", _) => {
            return Err(E::custom(format!(
                "`{t}` is a horizontal position; use top, center or bottom"
            )))
        }
        ("top" | "bottom", _) => {
            return Err(E::custom(format!(
                "`{t}` is a vertical position; use left, center or right"
            )))
        }
        _ => None,
    };
    match align {
        Some(a) => Ok(RawCoord::Align(a)),
        None => RawParam::deserialize(StrDeserializer::<E>::new(s)).map(pixels),
    }
}

/// A coordinate of axis `A` (0 = x, 1 = y), read on its own so that it keeps its span.
struct AxisCoord<const A: usize>(RawCoord);

impl<'de, const A: usize> Deserialize<'de> for AxisCoord<A> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CoordVisitor(A)).map(AxisCoord)
    }
}

/// The next coordinate of a `[x, y]` array, its pixel parameter given its own span.
fn next_coord<'de, const A: usize, S: SeqAccess<'de>>(seq: &mut S) -> Result<RawCoord, S::Error> {
    let c: Spanned<AxisCoord<A>> = seq
        .next_element()?
        .ok_or_else(|| de::Error::custom("a position has two coordinates: [x, y]"))?;
    let span = c.span();
    Ok(match c.into_inner().0 {
        RawCoord::Pixels(p) => RawCoord::Pixels(Spanned::new(span, p.into_inner())),
        other => other,
    })
}

struct CoordVisitor(usize);

impl<'de> Visitor<'de> for CoordVisitor {
    type Value = RawCoord;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("pixels, a percentage like \"50%\", a keyword (left/center/right, top/center/bottom) or an animated value")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawCoord, E> {
        Ok(pixels(RawParam::Number(v as f64)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawCoord, E> {
        Ok(pixels(RawParam::Number(v as f64)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawCoord, E> {
        Ok(pixels(RawParam::Number(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCoord, E> {
        coord_from_str(v, self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawCoord, A::Error> {
        RawParam::deserialize(MapAccessDeserializer::new(map)).map(pixels)
    }
}

impl<'de> Deserialize<'de> for RawPosition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPosition;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a position: \"center\", [x, y] with pixels, percentages or keywords")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPosition, E> {
                let (x, y) = keyword(v.trim()).ok_or_else(|| {
                    E::custom(match corner(v) {
                        Some([x, y]) => format!(
                            "unknown position `{v}`: a corner is two keywords, x then y: \
                             [\"{x}\", \"{y}\"]"
                        ),
                        None => format!(
                            "unknown position `{v}`: use center, left, right, top, bottom or [x, y]"
                        ),
                    })
                })?;
                Ok(RawPosition(
                    RawCoord::Align(x.unwrap_or(0.5)),
                    RawCoord::Align(y.unwrap_or(0.5)),
                ))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawPosition, A::Error> {
                let x = next_coord::<0, A>(&mut seq)?;
                let y = next_coord::<1, A>(&mut seq)?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom("a position has two coordinates: [x, y]"));
                }
                Ok(RawPosition(x, y))
            }
        }
        d.deserialize_any(V)
    }
}

/// A resolved coordinate.
#[derive(Debug, Clone)]
enum Coord {
    Align(f64),
    Percent(f64),
    Pixels(Watched),
}

/// A resolved position; evaluated per frame.
#[derive(Debug, Clone)]
pub struct Position(Coord, Coord);

impl Position {
    pub fn compile(raw: &Spanned<RawPosition>, cx: &ResolveCx) -> Result<Position, Diagnostic> {
        let one = |c: &RawCoord| -> Result<Coord, Diagnostic> {
            Ok(match c {
                RawCoord::Align(a) => Coord::Align(*a),
                RawCoord::Percent(p) => Coord::Percent(*p),
                RawCoord::Pixels(p) => {
                    // A coordinate without its own span (the default) takes the position's.
                    let span = if p.span() == (0..0) {
                        raw.span()
                    } else {
                        p.span()
                    };
                    let param = cx.param(&Spanned::new(span.clone(), p.get_ref().clone()))?;
                    let place = cx.place(span.start);
                    Coord::Pixels(Watched::new(
                        param,
                        "position",
                        place,
                        "the layer is not drawn",
                    ))
                }
            })
        };
        Ok(Position(one(&raw.get_ref().0)?, one(&raw.get_ref().1)?))
    }

    /// Aligned on both axes: 0 left/top, 0.5 centre, 1 right/bottom.
    pub fn aligned(x: f64, y: f64) -> Position {
        Position(Coord::Align(x), Coord::Align(y))
    }

    /// Top-left corner of a `child`-sized layer in a `parent`-sized canvas.
    pub fn place(&self, parent: (f64, f64), child: (f64, f64), env: &Env) -> (f64, f64) {
        let axis = |c: &Coord, p: f64, s: f64| match c {
            // Keyword and percentage positions land on whole pixels: no resampling.
            Coord::Align(a) => ((p - s) * a).floor(),
            Coord::Percent(v) => (p * v / 100.0).floor(),
            Coord::Pixels(param) => param.eval(env),
        };
        (
            axis(&self.0, parent.0, child.0),
            axis(&self.1, parent.1, child.1),
        )
    }
}
