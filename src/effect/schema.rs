//! Every effect and its arguments, for `animate schema`: one entry an effect or a key.
//! An effect added to [`EffectSpec`](super::EffectSpec), or a key to one of its
//! tables, goes here too (`scene::schema`'s tests fail until it does).

use crate::base::schema::{effect, key, plain, Effect, Key, Ty};

pub const RESIZE: &[Key] = &[
    key(
        "scale",
        Ty::Param,
        "multiplies both sides (or the bare number)",
    ),
    key(
        "width",
        Ty::Param,
        "new width in pixels; the height keeps the aspect unless given too",
    ),
    key(
        "height",
        Ty::Param,
        "new height in pixels; the width keeps the aspect unless given too",
    ),
];

pub const CROP: &[Key] = &[
    key("x1", Ty::Param, "left edge, pixels"),
    key("y1", Ty::Param, "top edge, pixels"),
    key("x2", Ty::Param, "right edge, pixels"),
    key("y2", Ty::Param, "bottom edge, pixels"),
    key("width", Ty::Param, "width of the box, pixels"),
    key("height", Ty::Param, "height of the box, pixels"),
    key("x_center", Ty::Param, "the box's centre in x, with width"),
    key("y_center", Ty::Param, "the box's centre in y, with height"),
];

pub const MARGIN: &[Key] = &[
    key(
        "all",
        Ty::Param,
        "pixels on every side (or the bare number)",
    )
    .default("0"),
    key("left", Ty::Param, "pixels on the left (default: all)"),
    key("right", Ty::Param, "pixels on the right (default: all)"),
    key("top", Ty::Param, "pixels on the top (default: all)"),
    key("bottom", Ty::Param, "pixels on the bottom (default: all)"),
    key("color", Ty::AnimColor, "the added border").default("\"black\""),
];

pub const ROTATE: &[Key] = &[
    key(
        "angle",
        Ty::Param,
        "degrees, counter-clockwise (or the bare number)",
    )
    .required(),
    key(
        "expand",
        Ty::Bool,
        "grow the frame to hold the whole turned picture",
    )
    .default("true"),
];

pub const MASK_COLOR: &[Key] = &[
    key("color", Ty::Color, "the key colour").default("\"black\""),
    key(
        "threshold",
        Ty::Param,
        "distance at which alpha is one half",
    )
    .default("0"),
    key("stiffness", Ty::Param, "how sharp the transition is").default("1"),
];

pub const FADE: &[Key] = &[
    key("duration", Ty::Param, "seconds").required(),
    key("color", Ty::Color, "the colour faded from or to").default("\"black\""),
];

pub const CROSSFADE: &[Key] = &[key("duration", Ty::Param, "seconds").required()];

pub const LOOP: &[Key] = &[
    key(
        "count",
        Ty::Param,
        "how many times the clip plays (or the bare number)",
    ),
    key("duration", Ty::Param, "seconds to fill by repeating"),
];

pub const FREEZE: &[Key] = &[
    key("t", Ty::Param, "the time held, seconds or \"end\"").default("0"),
    key("duration", Ty::Param, "seconds the frame is held").required(),
];

pub const BLACKWHITE: &[Key] = &[
    key(
        "rgb",
        Ty::Either(&[Ty::List(&Ty::Number), Ty::OneOf(&["crt_phosphor"])]),
        "channel weights [r, g, b] or \"crt_phosphor\"",
    )
    .default("[1, 1, 1]"),
    key(
        "preserve_luminosity",
        Ty::Bool,
        "divide the weights by their sum",
    )
    .default("true"),
];

pub const GAMMA: &[Key] =
    &[key("gamma", Ty::Param, "the exponent, ≥ 0; below 1 brightens").required()];

pub const LUM_CONTRAST: &[Key] = &[
    key("lum", Ty::Param, "added to every value").default("0"),
    key(
        "contrast",
        Ty::Param,
        "how much values move away from threshold",
    )
    .default("0"),
    key("threshold", Ty::Param, "the value contrast pivots around").default("127"),
];

pub const MULTIPLY_COLOR: &[Key] = &[key(
    "factor",
    Ty::Param,
    "≥ 0: below 1 darkens, above 1 brightens",
)
.required()];

const OVER: Ty = Ty::OneOf(&["frame", "clip"]);

pub const THRESHOLD: &[Key] = &[
    key("value", Ty::Param, "the threshold (default: Otsu's)"),
    key(
        "over",
        OVER,
        "where Otsu's threshold is measured; only without value",
    )
    .default("\"frame\""),
];

pub const EQUALIZE: &[Key] =
    &[key("over", OVER, "where the histogram is measured").default("\"frame\"")];

pub const RESCALE: &[Key] = &[
    key(
        "in_range",
        Ty::List(&Ty::Param),
        "[low, high]: a given input range (default: the smallest and largest value)",
    ),
    key(
        "percentiles",
        Ty::List(&Ty::Param),
        "[low, high], each 0–100: the range from percentiles of the values",
    ),
    key(
        "over",
        OVER,
        "where the range is measured; not with in_range",
    )
    .default("\"frame\""),
];

pub const ADJUST_LOG: &[Key] = &[
    key("gain", Ty::Param, "multiplies the result, ≥ 0").default("1"),
    key("inverse", Ty::Bool, "the inverse curve").default("false"),
];

pub const ADJUST_GAMMA: &[Key] = &[
    key("gamma", Ty::Param, "the exponent, ≥ 0").default("1"),
    key("gain", Ty::Param, "multiplies the result, ≥ 0").default("1"),
];

pub const GAUSSIAN: &[Key] =
    &[key("sigma", Ty::Param, "standard deviation in pixels, 0–250").required()];

pub const SHARPEN: &[Key] = &[
    key(
        "radius",
        Ty::Param,
        "σ of the blur that finds the details, pixels 0–250",
    )
    .default("1"),
    key("amount", Ty::Param, "how much of the details is added back").default("1"),
];

pub const PAINTING: &[Key] = &[
    key(
        "saturation",
        Ty::Param,
        "multiplies the sharpened colours, ≥ 0",
    )
    .default("1.4"),
    key(
        "black",
        Ty::Param,
        "how dark the lines on the edges are; 0 draws none",
    )
    .default("0.006"),
];

/// The channels a mask may take.
pub const CHANNELS: &[&str] = &["luminance", "alpha", "red", "green", "blue"];

pub const TO_MASK: &[Key] =
    &[key("channel", Ty::OneOf(CHANNELS), "the value taken").default("\"luminance\"")];

/// The `mask` key's table form.
pub const MASK: &[Key] = &[
    key(
        "clip",
        Ty::Clip,
        "the clip whose values multiply this clip's alpha",
    )
    .required(),
    key("channel", Ty::OneOf(CHANNELS), "the value taken").default("\"luminance\""),
];

/// A number (or expression, or keyframes) or the table.
macro_rules! or_table {
    ($keys:expr) => {
        Ty::Either(&[Ty::Param, Ty::Table($keys)])
    };
}

/// Every effect, in the order of the docs.
pub const EFFECTS: &[Effect] = &[
    effect(
        "resize",
        or_table!(RESIZE),
        "scale the clip: a factor, or { width, height }",
    ),
    effect("crop", Ty::Table(CROP), "keep a box of the frame"),
    effect(
        "margin",
        or_table!(MARGIN),
        "add a border: pixels, or { all, left, right, top, bottom, color }",
    ),
    effect(
        "rotate",
        or_table!(ROTATE),
        "turn by degrees, counter-clockwise",
    ),
    plain("mirror_x", "flip left to right"),
    plain("mirror_y", "flip top to bottom"),
    effect("opacity", Ty::Param, "multiply alpha by the value, 0–1"),
    effect(
        "mask_color",
        Ty::Either(&[Ty::Color, Ty::Table(MASK_COLOR)]),
        "pixels near a key colour become transparent: a colour, or { color, threshold, stiffness }",
    ),
    effect(
        "fade_in",
        or_table!(FADE),
        "start from a colour (black) over duration seconds",
    ),
    effect(
        "fade_out",
        or_table!(FADE),
        "turn into a colour (black) over the last duration seconds; needs a clip with an end",
    ),
    effect(
        "crossfade_in",
        or_table!(CROSSFADE),
        "alpha ramps from 0 to 1 over duration seconds",
    ),
    effect(
        "crossfade_out",
        or_table!(CROSSFADE),
        "alpha ramps from 1 to 0 over the last duration seconds; needs a clip with an end",
    ),
    effect(
        "subclip",
        Ty::List(&Ty::Param),
        "[start] or [start, end] in seconds; negative counts from the end",
    ),
    effect("speed", Ty::Param, "play this many times faster"),
    effect(
        "loop",
        or_table!(LOOP),
        "repeat the clip: a count, or { count } or { duration }",
    ),
    plain("reverse", "play backwards; needs a clip with an end"),
    effect(
        "freeze",
        Ty::Table(FREEZE),
        "hold the frame at t for duration, then go on",
    ),
    effect(
        "blackwhite",
        Ty::Table(BLACKWHITE),
        "grey levels from weighted channels",
    )
    .or_bare(),
    plain("invert", "255 minus each value"),
    effect("gamma", or_table!(GAMMA), "MoviePy's gamma correction"),
    effect(
        "lum_contrast",
        Ty::Table(LUM_CONTRAST),
        "MoviePy's luminosity and contrast",
    )
    .or_bare(),
    effect(
        "multiply_color",
        or_table!(MULTIPLY_COLOR),
        "multiply every value by a factor",
    ),
    effect(
        "threshold",
        or_table!(THRESHOLD),
        "black below the threshold, white above",
    )
    .or_bare(),
    effect(
        "equalize",
        Ty::Table(EQUALIZE),
        "histogram equalisation (scikit-image)",
    )
    .or_bare(),
    effect(
        "rescale_intensity",
        Ty::Table(RESCALE),
        "stretch a range of values to 0–255 (scikit-image)",
    )
    .or_bare(),
    effect(
        "adjust_log",
        or_table!(ADJUST_LOG),
        "logarithmic correction (scikit-image)",
    )
    .or_bare(),
    effect(
        "adjust_gamma",
        or_table!(ADJUST_GAMMA),
        "gamma correction (scikit-image)",
    )
    .or_bare(),
    effect(
        "gaussian_blur",
        or_table!(GAUSSIAN),
        "Gaussian blur of sigma pixels",
    ),
    effect("sharpen", or_table!(SHARPEN), "unsharp mask (scikit-image)").or_bare(),
    plain("edges", "Sobel edge magnitude"),
    effect("painting", or_table!(PAINTING), "MoviePy's painting look").or_bare(),
    effect(
        "masks_and",
        Ty::Clip,
        "combine with another clip: the minimum of each value",
    ),
    effect(
        "masks_or",
        Ty::Clip,
        "combine with another clip: the maximum of each value",
    ),
    effect(
        "to_mask",
        Ty::Table(TO_MASK),
        "turn the clip into a mask of one channel",
    )
    .or_bare(),
    plain("to_rgb", "show a mask as a grey picture"),
    effect(
        "volume",
        Ty::Param,
        "multiply the sound's level: 0 mutes, 1 keeps, above 1 louder",
    ),
    effect(
        "audio_fade_in",
        Ty::Param,
        "the sound ramps up from silence over duration seconds",
    ),
    effect(
        "audio_fade_out",
        Ty::Param,
        "the sound ramps down to silence over the last duration seconds",
    ),
];
