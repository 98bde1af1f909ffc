//! Points coloured and sized by columns of their CSV file, as matplotlib's
//! `scatter(x, y, c=…, s=…)` does: a column of classes (text) takes the colour cycle,
//! one colour per class; a column of numbers goes through a colormap over its range,
//! linearly or by its logarithm (`norm = "log"`, matplotlib's `LogNorm`).
//! `classes` and `class_colors` (seaborn's `hue_order` and `palette`) choose which
//! classes are drawn, in which order, in which colours.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::colormap::Colormap;
use crate::base::diag::Diagnostic;
use crate::base::listing::{joined, visible_short};
use crate::chart::scale::Scale;
use crate::chart::style;

/// A class as a scene names it in `classes` or `class_colors`: text, or a number
/// (a column of numbers read as classes), kept as written.
pub struct ClassName(pub String);

impl<'de> Deserialize<'de> for ClassName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ClassName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a class: its text as in the column, or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ClassName, E> {
                Ok(ClassName(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ClassName, E> {
                Ok(ClassName(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ClassName, E> {
                Ok(ClassName(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ClassName, E> {
                Ok(ClassName(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A class drawn: its name (the legend's row) and its colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Class {
    pub name: String,
    pub color: Rgba,
}

/// The keys that say which classes are drawn and how.
#[derive(Default)]
pub struct ClassKeys<'a> {
    /// `classes`: the classes drawn, in legend and colour-cycle order.
    pub order: Option<&'a Spanned<Vec<Spanned<ClassName>>>>,
    /// `class_colors`: a class's colour.
    pub colors: Option<&'a Spanned<std::collections::BTreeMap<String, Spanned<Rgba>>>>,
}

impl ClassKeys<'_> {
    pub fn given(&self) -> bool {
        self.order.is_some() || self.colors.is_some()
    }
}

/// A column of numbers read as classes (when `classes` or `class_colors` name them):
/// each different value is one, numbered in the order the rows first show it, named as
/// Rust writes it (`1`, `0.5`). `values` become the class numbers.
pub fn numbers_as_classes(values: &mut [f64]) -> Vec<String> {
    let mut seen: std::collections::HashMap<u64, usize> = Default::default();
    let mut names = Vec::new();
    for v in values.iter_mut().filter(|v| v.is_finite()) {
        let key = (*v + 0.0).to_bits(); // -0 and 0 are one class
        let k = *seen.entry(key).or_insert_with(|| {
            names.push(format!("{}", *v + 0.0));
            names.len() - 1
        });
        *v = k as f64;
    }
    names
}

/// The classes of a column by what names them: their text, and in a column of numbers
/// their value too (`1.0` names class `1`), so that each name written is found at once
/// (a search through every class for each name took minutes for 100 000 classes:
/// hostile9 F-BE).
struct Lookup {
    by_text: std::collections::HashMap<String, usize>,
    by_number: std::collections::HashMap<u64, usize>,
    numbers: bool,
}

impl Lookup {
    fn new(found: &[String], numbers: bool) -> Lookup {
        let mut l = Lookup {
            by_text: Default::default(),
            by_number: Default::default(),
            numbers,
        };
        for (k, f) in found.iter().enumerate() {
            l.by_text.entry(f.clone()).or_insert(k);
            if let Some(key) = number_key(f, numbers) {
                l.by_number.entry(key).or_insert(k);
            }
        }
        l
    }

    /// The class `written` (in `classes` or `class_colors`) names: the same text, or,
    /// in a column of numbers, the same number.
    fn find(&self, written: &str) -> Option<usize> {
        self.by_text.get(written).copied().or_else(|| {
            number_key(written.trim(), self.numbers).and_then(|k| self.by_number.get(&k).copied())
        })
    }
}

/// A number's key (0 and -0 one key, NaN none) when classes are numbers.
fn number_key(text: &str, numbers: bool) -> Option<u64> {
    let v = text
        .parse::<f64>()
        .ok()
        .filter(|v| numbers && !v.is_nan())?;
    Some((v + 0.0).to_bits())
}

/// Names the column does not hold, each warned of with its closest class, are at most
/// this many; the others are counted in one warning (each hint is a search through
/// every class).
const MAX_NAME_WARNINGS: usize = 5;

/// The classes drawn for `found` (in the order the rows first show them; `values` hold
/// their numbers, rewritten to the numbers of the classes drawn, NaN for a class not
/// drawn), by `keys`: `classes` orders them and leaves out those it does not list
/// (seaborn's `hue_order`), `class_colors` colours them (seaborn's `palette` dict);
/// without either, class `k` takes cycle colour `k`. Returned with warnings for names
/// the column does not hold and classes left out.
pub fn choose_classes(
    found: &[String],
    values: &mut [f64],
    keys: &ClassKeys,
    column: &str,
    numbers: bool,
) -> Result<(Vec<Class>, Vec<Diagnostic>), Diagnostic> {
    let mut warnings = Vec::new();
    let lookup = Lookup::new(found, numbers);
    let hint = |w: &str| {
        crate::base::diag::did_you_mean(w, found.iter().map(String::as_str))
            .unwrap_or_else(|| format!("`{column}` holds {}", joined(&quoted(found), ", ")))
    };
    // Names not held: each warned of up to MAX_NAME_WARNINGS, then counted.
    let mut not_held = 0usize;
    let mut not_held_at: Option<std::ops::Range<usize>> = None;
    let mut unheld = |d: Diagnostic, warnings: &mut Vec<Diagnostic>, written: &str| {
        not_held += 1;
        if not_held <= MAX_NAME_WARNINGS {
            warnings.push(d.with_hint(hint(written)));
        } else {
            not_held_at = not_held_at.take().or(d.span);
        }
    };
    // (index in `found`, slot in the colour cycle) of each class drawn, in order
    let drawn: Vec<(usize, usize)> = match keys.order {
        None => (0..found.len()).map(|k| (k, k)).collect(),
        Some(order) => {
            let mut drawn = Vec::new();
            let mut listed_text = std::collections::HashSet::new();
            let mut listed_number = std::collections::HashSet::new();
            for (slot, name) in order.get_ref().iter().enumerate() {
                let written = &name.get_ref().0;
                let number = number_key(written.trim(), numbers);
                let earlier = !listed_text.insert(written.as_str())
                    || number.is_some_and(|n| !listed_number.insert(n));
                if earlier {
                    return Err(Diagnostic::at(
                        format!(
                            "class {} is listed twice in `classes`",
                            visible_short(written)
                        ),
                        name.span(),
                    ));
                }
                match lookup.find(written) {
                    Some(k) => drawn.push((k, slot)),
                    None => unheld(
                        Diagnostic::at(
                            format!(
                                "`classes` lists {}, which column `{column}` does not hold: \
                                 it keeps its colour but has no points",
                                visible_short(written)
                            ),
                            name.span(),
                        ),
                        &mut warnings,
                        written,
                    ),
                }
            }
            let mut is_drawn = vec![false; found.len()];
            for &(k, _) in &drawn {
                is_drawn[k] = true;
            }
            let left: Vec<&String> = (0..found.len())
                .filter(|&k| !is_drawn[k])
                .map(|k| &found[k])
                .collect();
            if !left.is_empty() {
                warnings.push(
                    Diagnostic::at(
                        format!(
                            "column `{column}` holds {} {} that `classes` does not list: \
                             {} points are not drawn",
                            if left.len() == 1 {
                                "a class"
                            } else {
                                "classes"
                            },
                            joined(&quoted(&left), ", "),
                            if left.len() == 1 { "its" } else { "their" },
                        ),
                        order.span(),
                    )
                    .with_hint("add them to `classes` to draw them"),
                );
            }
            drawn
        }
    };
    // Each class's colour: the first entry of `class_colors` (in its order) naming it.
    let mut given: Vec<Option<(Rgba, &str)>> = vec![None; found.len()];
    if let Some(colors) = keys.colors {
        for (written, color) in colors.get_ref() {
            match lookup.find(written) {
                Some(k) => match given[k] {
                    None => given[k] = Some((*color.get_ref(), written.as_str())),
                    Some((_, first)) => warnings.push(Diagnostic::at(
                        format!(
                            "`class_colors` names class {} twice, as {} and {}: the colour of {} \
                             is used",
                            visible_short(&found[k]),
                            visible_short(first),
                            visible_short(written),
                            visible_short(first)
                        ),
                        color.span(),
                    )),
                },
                None => unheld(
                    Diagnostic::at(
                        format!(
                            "`class_colors` gives a colour to {}, which column `{column}` \
                             does not hold",
                            visible_short(written)
                        ),
                        color.span(),
                    ),
                    &mut warnings,
                    written,
                ),
            }
        }
    }
    if not_held > MAX_NAME_WARNINGS {
        warnings.push(Diagnostic {
            message: format!(
                "and {} more classes named in `classes` or `class_colors` that column \
                 `{column}` does not hold",
                not_held - MAX_NAME_WARNINGS
            ),
            span: not_held_at,
            hint: None,
            notes: Vec::new(),
        });
    }
    let mut classes = Vec::with_capacity(drawn.len());
    for &(k, slot) in &drawn {
        let color = match keys.colors {
            None => style::cycle(slot),
            Some(colors) => match given[k] {
                Some((c, _)) => c,
                None => {
                    return Err(Diagnostic::at(
                        format!(
                            "class {} of column `{column}` has no colour in `class_colors`",
                            visible_short(&found[k])
                        ),
                        colors.span(),
                    )
                    .with_hint(
                        "give every class drawn its colour, or list the classes to draw \
                         in `classes`",
                    ))
                }
            },
        };
        classes.push(Class {
            name: found[k].clone(),
            color,
        });
    }
    let mut new_number = vec![f64::NAN; found.len()];
    for (i, &(k, _)) in drawn.iter().enumerate() {
        new_number[k] = i as f64;
    }
    for v in values.iter_mut().filter(|v| v.is_finite()) {
        *v = new_number[*v as usize];
    }
    Ok((classes, warnings))
}

fn quoted<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    names.iter().map(|n| visible_short(n.as_ref())).collect()
}

/// How the values of a `color_by` column become colours.
pub enum Coloring {
    /// Class `k` (numbered in the order drawn: the legend's) is `classes[k]`.
    Classes(Vec<Class>),
    /// Numbers through a colormap on `scale`, `lo` at its start and `hi` at its end.
    Map {
        map: Colormap,
        lo: f64,
        hi: f64,
        scale: Scale,
    },
}

impl Coloring {
    /// A colormap over the values of `values` that `scale` shows (matplotlib's
    /// autoscaling: finite ones, positive ones on a log scale).
    pub fn over(map: Colormap, scale: Scale, values: &[f64]) -> Coloring {
        let shown = values.iter().copied().filter(|v| scale.shows(*v));
        let (lo, hi) = shown.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        Coloring::Map { map, lo, hi, scale }
    }

    /// The colour of a value; `None` for a missing one, or one ≤ 0 on a log scale
    /// (matplotlib's transparent "bad" colour): the point is not drawn.
    pub fn color(&self, v: f64) -> Option<Rgba> {
        if !v.is_finite() {
            return None;
        }
        match self {
            Coloring::Classes(c) => c.get(v as usize).map(|c| c.color),
            Coloring::Map { map, lo, hi, scale } => {
                // matplotlib's norms map everything to 0 when vmin = vmax
                let u = scale.norm(v, *lo, *hi);
                if u.is_nan() {
                    return None;
                }
                let [r, g, b] = map.map(u);
                Some(Rgba([r, g, b, 255]))
            }
        }
    }

    pub fn classes(&self) -> Option<&[Class]> {
        match self {
            Coloring::Classes(c) => Some(c),
            Coloring::Map { .. } => None,
        }
    }
}

/// The columns a CSV series reads besides x and y, one value per row.
#[derive(Default)]
pub struct ByColumn {
    pub colors: Option<(Arc<Vec<f64>>, Coloring)>,
    /// Marker diameters in points (or the `s` of the `size` expression).
    pub sizes: Option<Arc<Vec<f64>>>,
    /// The colorbar of a column of numbers is shown.
    pub colorbar: bool,
    /// Its own label.
    pub colorbar_label: Option<String>,
}

impl ByColumn {
    /// The colormap, its value range and scale, when a colorbar shows them.
    pub fn colorbar(&self) -> Option<(Colormap, (f64, f64, Scale))> {
        match &self.colors {
            Some((_, Coloring::Map { map, lo, hi, scale })) if self.colorbar => {
                Some((*map, (*lo, *hi, *scale)))
            }
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.colors.is_none() && self.sizes.is_none()
    }

    /// The colours of the points from `rows` (transparent where the value is missing).
    pub fn colors_of(&self, rows: &[usize]) -> Vec<Rgba> {
        let Some((values, how)) = &self.colors else {
            return Vec::new();
        };
        rows.iter()
            .map(|&r| how.color(values[r]).unwrap_or(Rgba::TRANSPARENT))
            .collect()
    }

    /// The `size_by` values of the points from `rows`.
    pub fn sizes_of(&self, rows: &[usize]) -> Vec<f64> {
        match &self.sizes {
            Some(values) => rows.iter().map(|&r| values[r]).collect(),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_take_the_cycle_and_numbers_the_colormap() {
        let (classes, _) = choose_classes(
            &owned(&["a", "b"]),
            &mut [],
            &ClassKeys::default(),
            "k",
            false,
        )
        .unwrap();
        let c = Coloring::Classes(classes);
        assert_eq!(c.color(1.0), Some(style::cycle(1)));
        assert_eq!(c.color(f64::NAN), None);
        let viridis = Colormap::by_name("viridis").unwrap();
        let m = Coloring::over(viridis, Scale::Linear, &[2.0, f64::NAN, 4.0, 3.0]);
        // the ends of the column's range are the ends of the map
        assert_eq!(m.color(2.0), Some(Rgba([0x44, 0x01, 0x54, 255])));
        assert_eq!(m.color(4.0), Some(Rgba([0xfd, 0xe7, 0x25, 255])));
        let flat = Coloring::over(viridis, Scale::Linear, &[5.0, 5.0]);
        assert_eq!(flat.color(5.0), m.color(2.0));
    }

    /// On a log scale the range is the positive values', and a point ≤ 0 is not drawn
    /// (matplotlib's LogNorm masks it; its "bad" colour is transparent).
    #[test]
    fn a_log_scale_leaves_out_values_not_positive() {
        let viridis = Colormap::by_name("viridis").unwrap();
        let m = Coloring::over(viridis, Scale::Log, &[-1.0, 0.0, 1.0, 10.0, 100.0]);
        assert_eq!(m.color(0.0), None);
        assert_eq!(m.color(-1.0), None);
        assert_eq!(m.color(1.0), Some(Rgba([0x44, 0x01, 0x54, 255])));
        assert_eq!(m.color(100.0), Some(Rgba([0xfd, 0xe7, 0x25, 255])));
        // 10 is halfway in log space: entry 128 of 256, where a linear scale gives 23
        let [r, g, b] = viridis.map(0.5);
        assert_eq!(m.color(10.0), Some(Rgba([r, g, b, 255])));
        let linear = Coloring::over(viridis, Scale::Linear, &[1.0, 10.0, 100.0]);
        assert_ne!(linear.color(10.0), m.color(10.0));
    }

    fn owned(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    /// `classes` as TOML writes it, with places.
    fn listed(src: &str) -> Spanned<Vec<Spanned<ClassName>>> {
        #[derive(Deserialize)]
        struct T {
            classes: Spanned<Vec<Spanned<ClassName>>>,
        }
        toml::from_str::<T>(src).unwrap().classes
    }

    #[test]
    fn classes_listed_are_drawn_in_their_order_and_others_left_out() {
        let found = owned(&["k0", "k3", "k2", "k1"]);
        let mut values = vec![0.0, 1.0, 2.0, 3.0, f64::NAN, 1.0];
        let order = listed(r#"classes = ["k0", "k1", "k2", "k9"]"#);
        let keys = ClassKeys {
            order: Some(&order),
            colors: None,
        };
        let (drawn, warnings) = choose_classes(&found, &mut values, &keys, "k", false).unwrap();
        let names: Vec<&str> = drawn.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["k0", "k1", "k2"]);
        assert_eq!(drawn[1].color, style::cycle(1));
        // k3 is not drawn; k9 keeps slot 3 empty
        assert!(values[0] == 0.0 && values[1].is_nan() && values[2] == 2.0 && values[3] == 1.0);
        assert!(values[4].is_nan() && values[5].is_nan());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].message.contains("`k9`"),
            "{}",
            warnings[0].message
        );
        assert!(
            warnings[1].message.contains("a class `k3`"),
            "{}",
            warnings[1].message
        );
    }

    #[test]
    fn numbers_are_classes_by_value() {
        let mut values = vec![2.0, 0.5, 2.0, -0.0, 0.0, f64::NAN];
        let found = numbers_as_classes(&mut values);
        assert_eq!(found, owned(&["2", "0.5", "0"]));
        assert_eq!(values[..5], [0.0, 1.0, 0.0, 2.0, 2.0]);
        let order = listed("classes = [0, 2.0, \"0.5\"]");
        let keys = ClassKeys {
            order: Some(&order),
            colors: None,
        };
        let (drawn, warnings) = choose_classes(&found, &mut values, &keys, "k", true).unwrap();
        assert!(warnings.is_empty());
        let names: Vec<&str> = drawn.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["0", "2", "0.5"]);
        assert_eq!(values[..5], [1.0, 2.0, 1.0, 0.0, 0.0]);
    }
}
