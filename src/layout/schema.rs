//! The keys of the layout kinds, for `animate schema`: one entry a key. A key added to
//! a layout's `Spec` goes here too (`scene::schema`'s tests fail until it does).

use crate::base::schema::{key, Key, Ty};

pub const GRID: &[Key] = &[
    key(
        "rows",
        Ty::List(&Ty::List(&Ty::Clip)),
        "the cells, row by row: lists of clip names",
    )
    .required(),
    key(
        "spacing",
        Ty::Int,
        "pixels between rows and between columns",
    )
    .default("0"),
    key(
        "background",
        Ty::Color,
        "fills gaps and the space around smaller clips (default: the scene's [output] background)",
    ),
    key(
        "height",
        Ty::Int,
        "scale every cell to this height in pixels, keeping its aspect",
    ),
    key(
        "width",
        Ty::Int,
        "scale every cell to this width in pixels, keeping its aspect (not with height)",
    ),
    LAYOUT_DURATION,
];

/// A grid's or composite's `duration`.
const LAYOUT_DURATION: crate::base::schema::Key = key(
    "duration",
    Ty::Param,
    "seconds, \"longest\" (until the last cell or layer with an end ends) or \"shortest\" (until the first ends)",
)
.default("\"longest\"");

pub const LAYER: &[Key] = &[
    key("clip", Ty::Clip, "the clip shown").required(),
    key(
        "position",
        Ty::Position,
        "the layer's top-left corner: a keyword or [x, y]",
    )
    .default("[0, 0]"),
    key("start", Ty::Param, "seconds: when the layer appears").default("0"),
    key(
        "end",
        Ty::Param,
        "seconds: when it disappears (default: start + the clip's duration)",
    ),
    key(
        "duration",
        Ty::Param,
        "seconds: instead of end, how long it shows",
    ),
    key("opacity", Ty::Param, "multiplies the layer's alpha, 0–1").default("1"),
];

pub const COMPOSITE: &[Key] = &[
    key(
        "layers",
        Ty::List(&Ty::Table(LAYER)),
        "drawn in order, later layers on top",
    )
    .required(),
    key(
        "size",
        Ty::Size,
        "canvas [width, height], or { clip = \"name\" } for that clip's size (default: the first layer's size)",
    ),
    key("background", Ty::Color, "canvas colour under the layers").default("\"transparent\""),
    LAYOUT_DURATION,
];

pub const SEQUENCE: &[Key] = &[
    key(
        "clips",
        Ty::List(&Ty::Clip),
        "clip names, played one after another; each must have an end",
    )
    .required(),
    key(
        "crossfade",
        Ty::Param,
        "seconds each clip fades in over the previous one",
    )
    .default("0"),
    key(
        "padding",
        Ty::Param,
        "seconds of background between clips (not with crossfade)",
    )
    .default("0"),
    key(
        "background",
        Ty::Color,
        "fills the canvas around smaller clips and the padding (default: the scene's background)",
    ),
];
