//! The keys of every source kind, for `animate schema`: one entry a key. A key added to
//! a source's `Spec` goes here too (`scene::schema`'s tests fail until it does).

use crate::base::schema::{key, Key, Ty};

const DURATION: Key = key(
    "duration",
    Ty::Param,
    "how long the clip lasts, in seconds; without it the clip lasts for ever",
);
const SIZE: Key = key(
    "size",
    Ty::Size,
    "[width, height] in pixels, or { clip = \"name\" } for that clip's size",
);
const COLORMAPS: &str = "viridis, plasma, inferno, magma, cividis, gray, bone, hot, coolwarm, RdBu, twilight, jet, turbo, Blues (each reversed with _r)";

pub const COLOR: &[Key] = &[
    key("color", Ty::AnimColor, "the colour, or colour keyframes").required(),
    SIZE.required(),
    DURATION,
];

pub const FILE: &[Key] = &[
    key("path", Ty::Path, "a picture (.png, .jpg, .webp), an animation (.gif, .apng) or a video, relative to the scene file").required(),
    key("duration", Ty::Param, "how long the clip lasts; an animation is cut, or holds its last frame, to fill it (default: a picture lasts for ever, an animation its own length)"),
    key("loop", Ty::Bool, "an animation repeats (for ever, or until `duration`)").default("false"),
    key("audio", Ty::Bool, "a video keeps its sound (its first audio stream)").default("true"),
    IN_RANGE,
];

/// `in_range` of pictures read from files.
const IN_RANGE: Key = key(
    "in_range",
    Ty::Pair,
    "[low, high] sample values (the file's units: 0–65535 for 16 bits) shown black and white, stretched before the 8-bit reduction",
);

pub const IMAGES: &[Key] = &[
    key(
        "files",
        Ty::Path,
        "a printf pattern (frames/%04d.png), a glob (frames/*.png) or a multi-page TIFF (stack.tif), relative to the scene file",
    )
    .required(),
    key(
        "fps",
        Ty::Param,
        "pictures per second (default: the scene's [output] fps)",
    ),
    IN_RANGE,
];

/// Keys a program's stream and standard input share.
const STREAM: &[Key] = &[
    key(
        "size",
        Ty::Size,
        "[width, height] of every frame, or { clip = \"name\" }",
    )
    .required(),
    key(
        "format",
        Ty::OneOf(&["rgba", "rgb", "png"]),
        "how frames are written: raw RGBA (straight alpha), raw RGB, or PNG files back to back",
    )
    .default("\"png\""),
    key(
        "fps",
        Ty::Param,
        "the clip's frame rate: frame i covers [i/fps, (i+1)/fps) (default: the scene's fps)",
    ),
    key(
        "duration",
        Ty::Param,
        "how long the clip lasts (default for a stream: until the program ends)",
    ),
    key(
        "timeout",
        Ty::Param,
        "seconds a program may stay silent before it is an error",
    )
    .default("60"),
];

pub const PROGRAM: &[Key] = &[
    key("run", Ty::List(&Ty::Str), "the program and its arguments, with placeholders such as {t}, {frame}, {out}, {width}; runs only with --allow-programs").required(),
    key("each", Ty::OneOf(&["frame"]), "run the program once per frame (default: one process streams every frame)"),
    key(
        "starts_at",
        Ty::OneOf(&["zero", "first"]),
        "where a stream begins: the clip's frame 0, or frame {first}, the first frame the render needs",
    )
    .default("\"zero\""),
];

pub const STDIN: &[Key] = STREAM;

/// `kind = "program"` has the stream keys too.
pub const PROGRAM_STREAM: &[Key] = STREAM;

pub const VIDEO: &[Key] = &[
    key(
        "path",
        Ty::Path,
        "the video file, relative to the scene file",
    )
    .required(),
    key(
        "audio",
        Ty::Bool,
        "keep the video's sound (its first audio stream)",
    )
    .default("true"),
];

pub const AUDIO: &[Key] = &[key(
    "path",
    Ty::Path,
    "the sound file (WAV, FLAC, MP3, Ogg, M4A, or a video's sound), relative to the scene file",
)
.required()];

pub const STROKE: &[Key] = &[
    key("color", Ty::AnimColor, "the outline's colour").default("\"black\""),
    key(
        "width",
        Ty::Param,
        "pixels the outline reaches outside the glyph; 0 draws none",
    )
    .default("1"),
];

pub const TEXT: &[Key] = &[
    key("text", Ty::Str, "the text; \\n starts a new line; {…} is a placeholder, {{ and }} literal braces").required(),
    key("font", Ty::Str, "a family name, \"sans-serif\", \"serif\", \"monospace\" or a font file (default: the bundled DejaVu Sans)"),
    key("weight", Ty::Either(&[Ty::Str, Ty::Int]), "thin, extralight, light, normal, medium, semibold, bold, extrabold, black, or 1–1000").default("\"normal\""),
    key("style", Ty::OneOf(&["normal", "italic", "oblique"]), "the font style").default("\"normal\""),
    key("font_size", Ty::Param, "the em size in pixels, 1 to 4096").default("32"),
    key("color", Ty::AnimColor, "the fill of the glyphs (default: black on a light background, white otherwise)"),
    key("background", Ty::AnimColor, "fills the whole clip, padding included").default("\"transparent\""),
    key("stroke", Ty::Table(STROKE), "an outline around each glyph, drawn under the fill"),
    key("padding", Ty::Either(&[Ty::Param, Ty::List(&Ty::Param)]), "pixels around the text: n, [vertical, horizontal] or [top, right, bottom, left]").default("0"),
    key("line_spacing", Ty::Param, "distance between baselines, a multiple of font_size (0.01 to 10)").default("1.2"),
    key("align", Ty::OneOf(&["left", "center", "right"]), "how lines sit against each other (and in the box)").default("\"center\""),
    key("size", Ty::Size, "a given box [width, height] (or { clip = \"name\" }, that clip's size); lines wrap at its width (default: fit the text)"),
    key("valign", Ty::OneOf(&["top", "center", "bottom"]), "where the lines sit in the box; only with size").default("\"center\""),
    DURATION,
];

pub const PLACES: &[&str] = &[
    "upper right",
    "upper left",
    "lower left",
    "lower right",
    "center left",
    "center right",
    "upper center",
    "lower center",
    "center",
    "upper-right",
    "upper-left",
    "lower-left",
    "lower-right",
    "center-left",
    "center-right",
    "upper-center",
    "lower-center",
];
pub const CAPS: &[&str] = &["butt", "round", "square", "projecting"];
pub const MARKERS: &[&str] = &[
    "circle", "square", "diamond", "triangle", "plus", "cross", "o", "s", "D", "^", "+", "x",
];
pub const SCALES: &[&str] = &["linear", "log"];
pub const CLIP_OR_FRAME: &[&str] = &["clip", "frame"];

pub const SERIES: &[Key] = &[
    key(
        "y",
        Ty::Str,
        "function series: an expression of x and t; parametric: of u and t; CSV: a column name or a formula of columns",
    ),
    key(
        "x",
        Ty::Str,
        "parametric: an expression of u and t; CSV: a column name or a formula of columns (default: the row number)",
    ),
    key("u", Ty::Pair, "parametric series: the range of u").default("[0, 1]"),
    key(
        "samples",
        Ty::Param,
        "points of this series, 2–1 000 000, a number or an expression of [vars] (default: the plot's samples)",
    ),
    key("csv", Ty::Path, "a CSV file, relative to the scene"),
    key(
        "reveal",
        Ty::Str,
        "CSV: an expression of x, y, i and t; the rows where it is not 0 are shown",
    ),
    key(
        "rows",
        Ty::Param,
        "CSV: show the first floor(rows) rows (not with reveal)",
    ),
    key(
        "sweep",
        Ty::Bool,
        "CSV: reveal the rows by x, from the first row's to the last row's over the duration",
    )
    .default("false"),
    key(
        "measure",
        Ty::Str,
        "a [measure.NAME]: its value at each frame against time, up to t",
    ),
    key(
        "sound",
        Ty::Path,
        "a sound file drawn instead of a CSV file (needs FFmpeg): x is its time in seconds (the plot's t), or frequency in Hz for a spectrum",
    ),
    key(
        "draw",
        Ty::OneOf(&["waveform", "rms", "peak", "spectrum"]),
        "sound: its min/max envelope (−1 to 1), its RMS or peak level per block, or its spectrum at t",
    )
    .default("\"waveform\""),
    key(
        "channel",
        Ty::OneOf(&["mix", "left", "right"]),
        "sound: both sides averaged, or one",
    )
    .default("\"mix\""),
    key(
        "block",
        Ty::Number,
        "sound: seconds of sound in each point of a waveform or level",
    )
    .default("0.01"),
    key(
        "window",
        Ty::Int,
        "sound: samples (at 48 kHz) in a spectrum's Hann window centred on t, 16–65536",
    )
    .default("2048"),
    key(
        "db",
        Ty::Bool,
        "sound: levels and spectra in dBFS (true; silence is −120) or as amplitudes 0–1",
    )
    .default("true"),
    key("label", Ty::Str, "the series' name in the legend"),
    key(
        "head_label",
        Ty::Str,
        "text beside the series' last point shown; {x} and {y} are that point's values",
    ),
    key(
        "color",
        Ty::Color,
        "the line's colour (default: matplotlib's colour cycle)",
    ),
    key(
        "color_by",
        Ty::Str,
        "CSV: a column colouring each point: classes (text) by the colour cycle, numbers by colormap",
    ),
    key(
        "classes",
        Ty::List(&Ty::Either(&[Ty::Str, Ty::Number])),
        "the classes of color_by drawn, in legend and colour-cycle order (seaborn's hue_order)",
    ),
    key(
        "class_colors",
        Ty::Map(&Ty::Color),
        "a colour for each class of color_by drawn, e.g. { setosa = \"C0\" } (seaborn's palette)",
    ),
    key(
        "colormap",
        Ty::Str,
        "the colormap of a color_by column of numbers",
    )
    .default("\"viridis\""),
    key(
        "norm",
        Ty::OneOf(SCALES),
        "how color_by numbers lie on the colormap: \"log\" spaces decades evenly; values ≤ 0 are not drawn",
    )
    .default("\"linear\""),
    key(
        "colorbar",
        Ty::Bool,
        "a bar right of the axes showing the colormap of a color_by column of numbers",
    )
    .default("false"),
    key(
        "colorbar_label",
        Ty::Str,
        "the colorbar's own label, reading upwards beyond its ticks (cbar.set_label)",
    ),
    key(
        "size_by",
        Ty::Str,
        "CSV: a column of marker diameters in points (s in the size expression)",
    ),
    key("opacity", Ty::Param, "of the line and markers, 0–1").default("1"),
    key("width", Ty::Param, "line width in points, 0–1000").default("1.5"),
    key(
        "dash",
        Ty::Either(&[
            Ty::OneOf(&["solid", "dashed", "dotted", "dashdot", "--", ":", "-.", "-"]),
            Ty::List(&Ty::Number),
        ]),
        "a dash name, or on/off lengths in line widths",
    )
    .default("\"solid\""),
    key(
        "cap",
        Ty::OneOf(CAPS),
        "line ends (default: square for solid lines, butt for dashed)",
    ),
    key(
        "line",
        Ty::Bool,
        "draw the line; false with marker makes a scatter plot",
    )
    .default("true"),
    key("marker", Ty::OneOf(MARKERS), "a marker at every point"),
    key(
        "size",
        Ty::Param,
        "marker diameter in points; an expression may use i, x, y and t",
    )
    .default("6"),
    key(
        "fill",
        Ty::Param,
        "fill to \"under\" (y = 0), a level, a second curve of x and t, or (CSV) another column",
    ),
    key(
        "fill_opacity",
        Ty::Param,
        "the fill's opacity, times opacity",
    )
    .default("0.3"),
];

/// `annotations = [{ … }]` of a plot.
pub const ANNOTATION: &[Key] = &[
    key(
        "text",
        Ty::Str,
        "one line; {x} and {y} are the point's values, {t} and [vars] as in titles",
    )
    .required(),
    key(
        "x",
        Ty::Param,
        "the point's x, in data units (a date on a date axis)",
    )
    .required(),
    key("y", Ty::Param, "the point's y, in data units").required(),
    key(
        "offset",
        Ty::List(&Ty::Number),
        "[right, up] in points from the point to the text (matplotlib's xytext)",
    )
    .default("[0, 0]"),
    key("arrow", Ty::Bool, "an arrow from the text to the point").default("false"),
    key(
        "color",
        Ty::Color,
        "the text's and arrow's colour (default: the axes' ink)",
    ),
    key("font_size", Ty::Number, "points").default("10"),
    key(
        "opacity",
        Ty::Param,
        "0 to 1; 0 hides it (keyframes make it appear)",
    )
    .default("1"),
    key(
        "align",
        Ty::OneOf(&["left", "center", "right"]),
        "which end of the text is at its place",
    )
    .default("\"left\""),
    key(
        "valign",
        Ty::OneOf(&["baseline", "center", "top", "bottom"]),
        "which height of the text is at its place",
    )
    .default("\"baseline\""),
];

pub const PLOT: &[Key] = &[
    SIZE.required(),
    key(
        "duration",
        Ty::Param,
        "seconds; required when the plot changes and its limits are automatic over the clip",
    ),
    key(
        "series",
        Ty::List(&Ty::Table(SERIES)),
        "the series, drawn in order (a plot has series, a field, or both)",
    ),
    key(
        "field",
        Ty::Table(PLOT_FIELD),
        "values on a grid drawn under the series: filled contours or an image",
    ),
    key(
        "annotations",
        Ty::List(&Ty::Table(ANNOTATION)),
        "lines of text at places in the data, with an optional arrow (matplotlib's annotate)",
    ),
    key(
        "axis",
        Ty::Bool,
        "false hides the frame, ticks and axis labels; the data fill the figure under the title",
    )
    .default("true"),
    key(
        "x",
        Ty::Pair,
        "[min, max] where function series y = f(x) are sampled",
    ),
    key(
        "samples",
        Ty::Param,
        "points of each function or parametric series, 2–1 000 000, a number or an expression of [vars] (default: twice the width)",
    ),
    key("title", Ty::Str, "the title above the axes"),
    key("xlabel", Ty::Str, "the x axis label"),
    key("ylabel", Ty::Str, "the y axis label"),
    key(
        "xlim",
        Ty::Pair,
        "[min, max] of the x axis (default: automatic)",
    ),
    key(
        "ylim",
        Ty::Pair,
        "[min, max] of the y axis (default: automatic)",
    ),
    key(
        "limits",
        Ty::OneOf(CLIP_OR_FRAME),
        "when automatic limits are chosen: once over the clip, or every frame",
    )
    .default("\"clip\""),
    key("xscale", Ty::OneOf(SCALES), "the x axis scale").default("\"linear\""),
    key("yscale", Ty::OneOf(SCALES), "the y axis scale").default("\"linear\""),
    key("grid", Ty::Bool, "grey lines at the major ticks (on polar axes: circles at the r ticks and spokes every 45°, shown unless false)").default("false"),
    key(
        "legend",
        Ty::Either(&[Ty::Bool, Ty::OneOf(PLACES)]),
        "true (upper right) or a place: lists the series that have a label",
    ),
    key("background", Ty::Color, "the figure around the axes").default("\"white\""),
    key("axes_background", Ty::Color, "inside the axes").default("\"white\""),
    key("foreground", Ty::Color, "frame, ticks and text").default("\"black\""),
    key("dpi", Ty::Number, "dots per inch, 1–1000: fonts, lines, ticks and pads are in points of dpi/72 pixels (matplotlib's figure.dpi)").default("100"),
    CHART_FONT,
    CHART_WEIGHT,
    CHART_STYLE,
    TITLE_WEIGHT,
    TITLE_STYLE,
    key(
        "projection",
        Ty::OneOf(&["rectilinear", "polar"]),
        "\"polar\": polar axes (matplotlib's subplot(projection=\"polar\")); a series' x is θ in radians, its y is r",
    )
    .default("\"rectilinear\""),
    key(
        "rlim",
        Ty::Pair,
        "polar axes: [r at the centre, r at the circle] (default: 0 to the largest r plus 5 %)",
    ),
    key(
        "theta_zero",
        Ty::OneOf(&["E", "NE", "N", "NW", "W", "SW", "S", "SE"]),
        "polar axes: where θ = 0 points (matplotlib's set_theta_zero_location)",
    )
    .default("\"E\""),
    key(
        "theta_direction",
        Ty::Int,
        "polar axes: 1, θ grows counter-clockwise; -1, clockwise",
    )
    .default("1"),
];

/// `font` of a chart: every text of it, resolved as a text clip's `font`.
const CHART_FONT: Key = key(
    "font",
    Ty::Str,
    "the face of the title, labels, ticks, legend and colorbar: a family name, \"serif\", \"sans-serif\", \"monospace\" or a font file (default: the bundled DejaVu Sans)",
);

/// `weight` and `style` of a chart's every text, and of its title alone.
const CHART_WEIGHT: Key = key(
    "weight",
    Ty::Either(&[Ty::Str, Ty::Int]),
    "of every text of the chart (matplotlib's fontweight): thin, light, normal, medium, semibold, bold, extrabold, black, or 1–1000",
)
.default("\"normal\"");
const CHART_STYLE: Key = key(
    "style",
    Ty::OneOf(&["normal", "italic", "oblique"]),
    "of every text of the chart (matplotlib's fontstyle)",
)
.default("\"normal\"");
const TITLE_WEIGHT: Key = key(
    "title_weight",
    Ty::Either(&[Ty::Str, Ty::Int]),
    "the title's own weight, as `weight` (matplotlib's title(…, fontweight=…))",
);
const TITLE_STYLE: Key = key(
    "title_style",
    Ty::OneOf(&["normal", "italic", "oblique"]),
    "the title's own style, as `style` (matplotlib's title(…, fontstyle=…))",
);

/// Keys a plot's `field` and `kind = "field"` share beyond the grid's: how the values
/// are drawn on axes.
pub const FIELD_DRAWING: &[Key] = &[
    LEVELS,
    CONTOURS,
    CONTOUR_COLOR,
    CONTOUR_WIDTH,
    CONTOUR_LABELS,
    FIELD_OPACITY,
    UNDER,
];

const LEVELS: Key = key(
        "levels",
        Ty::Either(&[Ty::Int, Ty::List(&Ty::Number)]),
        "filled contours: a count (round levels over the value range, as matplotlib's contourf) or the increasing levels (default: an image)",
    );
const CONTOURS: Key = key(
    "contours",
    Ty::Either(&[Ty::Bool, Ty::Int, Ty::List(&Ty::Number)]),
    "contour lines: true (at the filled levels, or 7 round ones), a count or a list of levels",
)
.default("false");
const CONTOUR_COLOR: Key =
    key("contour_color", Ty::Color, "the contour lines' colour").default("\"black\"");
const CONTOUR_WIDTH: Key = key(
    "contour_width",
    Ty::Number,
    "the contour lines' width in points, 0–100",
)
.default("1.5");
const CONTOUR_LABELS: Key = key(
    "contour_labels",
    Ty::Bool,
    "each contour line labelled with its level, along it (matplotlib's clabel); needs `contours`",
)
.default("false");
const FIELD_OPACITY: Key = key(
    "opacity",
    Ty::Param,
    "of the field (not its contour lines), 0–1",
)
.default("1");
const UNDER: Key = key(
    "under",
    Ty::Clip,
    "the name of a clip drawn under the field, stretched over its extent (a map)",
);

/// `bars = [...]` entries of `kind = "bars"`.
pub const BAR: &[Key] = &[
    key("label", Ty::Str, "the bar's name, under (or beside) it").required(),
    key(
        "value",
        Ty::Param,
        "its length: a number, an expression of t, or keyframes",
    )
    .required(),
    key(
        "color",
        Ty::Color,
        "its colour (default: matplotlib's colour cycle)",
    ),
];

pub const ORIENTATIONS: &[&str] = &["vertical", "horizontal"];

pub const BARS: &[Key] = &[
    SIZE.required(),
    key(
        "duration",
        Ty::Param,
        "seconds; required when the bars change and their axis is chosen over the clip, or \
         with several columns",
    ),
    key(
        "orientation",
        Ty::OneOf(ORIENTATIONS),
        "vertical bars grow up, horizontal ones right (first bar on top)",
    )
    .default("\"vertical\""),
    key(
        "bars",
        Ty::List(&Ty::Table(BAR)),
        "bars one by one (give bars or csv)",
    ),
    key(
        "csv",
        Ty::Path,
        "a table with a row per bar, relative to the scene (give bars or csv)",
    ),
    key("names", Ty::Str, "csv: the column of the bars' names"),
    key(
        "color",
        Ty::Color,
        "one colour for every bar without its own (default: the colour cycle)",
    ),
    key(
        "columns",
        Ty::List(&Ty::Str),
        "csv: the columns of values, walked through in order over the duration, values \
         tweened between them (default: every column but names)",
    ),
    key(
        "rank",
        Ty::Bool,
        "order the bars by value at each instant, largest first (a bar chart race)",
    )
    .default("false"),
    key(
        "top",
        Ty::Int,
        "with rank: how many bars are shown (default: all)",
    ),
    key(
        "swap",
        Ty::Param,
        "with rank: how long a bar takes to slide to its new rank",
    )
    .default("\"0.5s\""),
    key(
        "hold",
        Ty::Param,
        "csv with several columns: seconds at the end showing the last column, settled",
    )
    .default("0"),
    key(
        "value_labels",
        Ty::Str,
        "a text at the end of each bar, with {value} (e.g. \"{value:,.0f}\"); none by default",
    ),
    key(
        "period",
        Ty::Bool,
        "csv with several columns: show the current column's name, large, in a corner",
    )
    .default("true"),
    key(
        "vlim",
        Ty::Pair,
        "[min, max] of the value axis (default: automatic)",
    ),
    key(
        "limits",
        Ty::OneOf(CLIP_OR_FRAME),
        "when the value axis is chosen: once over the clip, or every frame (default: frame \
         for a race, else clip)",
    ),
    key(
        "thickness",
        Ty::Number,
        "of a bar, as a fraction of its slot",
    )
    .default("0.8"),
    key(
        "dpi",
        Ty::Number,
        "dots per inch, 1–1000: fonts, ticks and pads in points of dpi/72 pixels",
    )
    .default("100"),
    key("title", Ty::Str, "the title above the axes"),
    key("xlabel", Ty::Str, "the x axis label"),
    key("ylabel", Ty::Str, "the y axis label"),
    key("grid", Ty::Bool, "grey lines at the major ticks").default("false"),
    key("background", Ty::Color, "the figure around the axes").default("\"white\""),
    key("axes_background", Ty::Color, "inside the axes").default("\"white\""),
    key("foreground", Ty::Color, "frame, ticks and text").default("\"black\""),
    CHART_FONT,
    CHART_WEIGHT,
    CHART_STYLE,
    TITLE_WEIGHT,
    TITLE_STYLE,
];

pub const FIELD: &[Key] = &[
    key("f", Ty::Str, "an expression of x, y and t (give f or npy)"),
    key(
        "x",
        Ty::Pair,
        "[min, max] of the grid in x (required with f)",
    ),
    key(
        "y",
        Ty::Pair,
        "[min, max] of the grid in y, upwards (required with f)",
    ),
    key(
        "resolution",
        Ty::List(&Ty::Int),
        "[nx, ny] grid points (default: the size, capped at 2048)",
    ),
    key(
        "npy",
        Ty::Path,
        "a NumPy .npy file: T×H×W numbers, or T×H×W×3 / ×4 RGB(A) pictures",
    ),
    key(
        "fps",
        Ty::Param,
        "npy: array frames per second (default: the scene's [output] fps)",
    ),
    key(
        "origin",
        Ty::Str,
        "npy: \"upper\" puts row 0 at the top (numpy images), \"lower\" at the bottom (np.meshgrid's y upwards), as imshow's origin",
    )
    .default("\"upper\""),
    key(
        "size",
        Ty::Size,
        "[width, height] in pixels, or { clip = \"name\" } (default: the grid's size, plus the colorbar)",
    ),
    key(
        "duration",
        Ty::Param,
        "seconds (default: f lasts for ever; npy: frames / fps)",
    ),
];

/// How a field's values are drawn: shared by `kind = "field"` and `kind = "simulation"`.
pub const FIELD_LOOK: &[Key] = &[
    key("colormap", Ty::Str, COLORMAPS).default("\"viridis\""),
    NORM,
    key(
        "vmin",
        Ty::Param,
        "the value shown as the colormap's low end (default: automatic)",
    ),
    key(
        "vmax",
        Ty::Param,
        "the value shown as the colormap's high end (default: automatic)",
    ),
    key(
        "range",
        Ty::OneOf(CLIP_OR_FRAME),
        "when automatic vmin/vmax are found: over the clip or in each frame",
    )
    .default("\"clip\""),
    key("colorbar", Ty::Bool, "a bar with ticks at the right").default("false"),
    key(
        "colorbar_label",
        Ty::Str,
        "the colorbar's own label, reading upwards beyond its ticks (cbar.set_label)",
    ),
    key(
        "interpolation",
        Ty::OneOf(&["nearest", "smooth"]),
        "upscaling: blocks, or bilinear between grid points",
    )
    .default("\"smooth\""),
    key(
        "background",
        Ty::Color,
        "around the picture and the colorbar",
    ),
    key(
        "foreground",
        Ty::Color,
        "the colorbar's frame, ticks and text",
    ),
    key("nan_color", Ty::Color, "where a value is NaN").default("\"transparent\""),
    key(
        "dpi",
        Ty::Number,
        "dots per inch, 1–1000, of the colorbar's text, ticks and frame (points of dpi/72 pixels)",
    )
    .default("100"),
    key(
        "axis",
        Ty::Bool,
        "draw the field on axes in data coordinates: frame, ticks, labels",
    )
    .default("false"),
    key("title", Ty::Str, "a title above the field"),
    key("xlabel", Ty::Str, "the x axis label (with axis = true)"),
    key("ylabel", Ty::Str, "the y axis label (with axis = true)"),
    CHART_FONT,
    CHART_WEIGHT,
    CHART_STYLE,
    TITLE_WEIGHT,
    TITLE_STYLE,
];

/// The keys of `kind = "simulation"` beyond how its values are drawn (docs/simulations.md).
pub const SIMULATION: &[Key] = &[
    key(
        "grid",
        Ty::List(&Ty::Int),
        "[columns, rows] of cells, at most 4194304 cells; drawn scaled to the size (default: the size)",
    ),
    key(
        "size",
        Ty::Size,
        "[width, height] in pixels, or { clip = \"name\" } (default: the grid's size, plus the colorbar)",
    ),
    key(
        "duration",
        Ty::Param,
        "seconds (default: for ever); needed for an automatic value range over the clip",
    ),
    key(
        "fps",
        Ty::Param,
        "the simulation's frames per second (default: the scene's [output] fps)",
    ),
    key(
        "steps_per_frame",
        Ty::Int,
        "steps between two frames, 1 to 100000; cells x step lines x steps per frame at most 134217728",
    )
    .default("1"),
    key(
        "boundary",
        Ty::OneOf(&["clamp", "wrap", "zero"]),
        "what neighbour functions read beyond the edge: the edge cell, the opposite edge, or 0",
    )
    .default("\"clamp\""),
    key(
        "init",
        Ty::Map(&Ty::Either(&[Ty::Number, Ty::Str])),
        "the grids and their starting values: numbers or expressions of x (column), y (row) and other grids",
    )
    .required(),
    key(
        "step",
        Ty::List(&Ty::Str),
        "the lines of one step, \"name = expression\" each, run in order over whole grids; lap, nsum, nsum8, shift, rand",
    ),
    key(
        "show",
        Ty::Either(&[Ty::Str, Ty::List(&Ty::Str)]),
        "the expression of the grids drawn, as a field's values; or three, [red, green, blue], each from 0 to 1, drawn as an RGB picture",
    )
    .required(),
    key(
        "seed",
        Ty::Int,
        "chooses the numbers rand() gives",
    )
    .default("0"),
];

/// `norm` of a field's colours (matplotlib's `Normalize` or `LogNorm`).
const NORM: Key = key(
    "norm",
    Ty::OneOf(SCALES),
    "how values lie on the colormap: \"log\" spaces decades evenly; values ≤ 0 take nan_color",
)
.default("\"linear\"");

/// `field = { … }` in a plot: values drawn in the plot's data coordinates.
pub const PLOT_FIELD: &[Key] = &[
    key("f", Ty::Str, "an expression of x, y and t (give f or npy)"),
    key(
        "x",
        Ty::Pair,
        "[min, max]: f's grid in x; an array's extent (default [0, width])",
    ),
    key(
        "y",
        Ty::Pair,
        "[min, max]: f's grid in y; an array's extent, first row at the top (default [0, height])",
    ),
    key(
        "resolution",
        Ty::List(&Ty::Int),
        "[nx, ny] grid points of f (default: the plot's size, at most 200 each way)",
    ),
    key("npy", Ty::Path, "a NumPy .npy file of T×H×W values"),
    key(
        "fps",
        Ty::Param,
        "npy: array frames per second (default: the scene's [output] fps)",
    ),
    key(
        "origin",
        Ty::Str,
        "npy: \"upper\" puts row 0 at the top (numpy images), \"lower\" at the bottom (np.meshgrid's y upwards), as imshow's origin",
    )
    .default("\"upper\""),
    key("colormap", Ty::Str, COLORMAPS).default("\"viridis\""),
    NORM,
    key(
        "vmin",
        Ty::Param,
        "the colormap's low end (default: the lowest level, or the lowest value)",
    ),
    key(
        "vmax",
        Ty::Param,
        "the colormap's high end (default: the highest level, or the highest value)",
    ),
    key(
        "range",
        Ty::OneOf(CLIP_OR_FRAME),
        "when the value range (for levels and colours) is found: over the clip or in each frame",
    )
    .default("\"clip\""),
    key("colorbar", Ty::Bool, "a bar with ticks right of the axes").default("false"),
    key(
        "colorbar_label",
        Ty::Str,
        "the colorbar's own label, reading upwards beyond its ticks (cbar.set_label)",
    ),
    key(
        "interpolation",
        Ty::OneOf(&["nearest", "smooth"]),
        "an image's upscaling: blocks, or bilinear between grid points",
    )
    .default("\"smooth\""),
    key("nan_color", Ty::Color, "where a value is NaN").default("\"transparent\""),
    LEVELS,
    CONTOURS,
    CONTOUR_COLOR,
    CONTOUR_WIDTH,
    CONTOUR_LABELS,
    FIELD_OPACITY,
    UNDER,
];

pub const CAMERA: &[Key] = &[
    key(
        "azimuth",
        Ty::Param,
        "degrees around the vertical z axis, from +x towards +y",
    )
    .default("45"),
    key("elevation", Ty::Param, "degrees above the x-y plane").default("35.26"),
    key(
        "distance",
        Ty::Param,
        "scene units from the camera to the target (default: fitted to the data)",
    ),
    key(
        "fov",
        Ty::Param,
        "vertical field of view in degrees, 0 to 170; 0 is orthographic",
    )
    .default("30"),
    key(
        "target",
        Ty::List(&Ty::Param),
        "[x, y, z] the camera looks at (default: the centre of the data's box)",
    ),
];

pub const LIGHT: &[Key] = &[
    key("ambient", Ty::Param, "light everywhere").default("0.2"),
    key("diffuse", Ty::Param, "light from the lamp").default("0.8"),
    key(
        "specular",
        Ty::Param,
        "white highlight; 0 for a matte surface",
    )
    .default("0.25"),
    key(
        "shininess",
        Ty::Param,
        "highlight exponent: larger is smaller and sharper",
    )
    .default("30"),
    key(
        "azimuth",
        Ty::Param,
        "degrees: turn the lamp right from the camera's direction",
    )
    .default("0"),
    key(
        "elevation",
        Ty::Param,
        "degrees: turn the lamp up from the camera's direction",
    )
    .default("0"),
];

pub const LINES: &[Key] = &[
    key(
        "color",
        Ty::AnimColor,
        "the lines' colour (default: black; with wireframe, the surface's colours)",
    ),
    key("width", Ty::Param, "pixels").default("1"),
    key(
        "every",
        Ty::Param,
        "surface only: every n-th grid line, 1 to 100 000",
    )
    .default("1"),
];

pub const OUTLINE: &[Key] = &[
    key("color", Ty::AnimColor, "the box's colour").default("\"black\""),
    key("width", Ty::Param, "pixels").default("1"),
];

const ZLIM: Ty = Ty::Either(&[Ty::OneOf(&["auto", "frame"]), Ty::Pair]);
const SHADING: &[&str] = &["smooth", "flat"];

/// Keys `surface` and `curve3d` share: the camera, light and look.
pub const VIEW3D: &[Key] = &[
    key(
        "zlim",
        ZLIM,
        "the heights the colormap spans: \"auto\" (over the animation), \"frame\" or [low, high]",
    )
    .default("\"auto\""),
    key(
        "camera",
        Ty::Table(CAMERA),
        "where the camera is and what it looks at",
    ),
    key("colormap", Ty::Str, COLORMAPS),
    key(
        "shading",
        Ty::OneOf(SHADING),
        "smooth (per vertex) or flat (per triangle)",
    )
    .default("\"smooth\""),
    key("light", Ty::Table(LIGHT), "the lamp"),
    key("wireframe", Ty::Bool, "draw the grid lines only, no fill").default("false"),
    key(
        "mesh_lines",
        Ty::Either(&[Ty::Bool, Ty::Table(LINES)]),
        "grid lines over the fill",
    ),
    key(
        "outline",
        Ty::Either(&[Ty::Bool, Ty::Table(OUTLINE)]),
        "the bounding box's twelve edges",
    ),
    key(
        "background",
        Ty::AnimColor,
        "behind the surface (default: the scene's [output] background)",
    ),
    key(
        "antialias",
        Ty::Param,
        "supersampling, n × n samples a pixel, 1 to 4",
    )
    .default("3"),
];

pub const SURFACE: &[Key] = &[
    SIZE.required(),
    DURATION,
    key(
        "z",
        Ty::Str,
        "the height, an expression of x, y and t (with npy: of the array's value v too, default v); NaN makes a hole",
    ),
    key(
        "x",
        Ty::Pair,
        "[start, end] of the grid in x, constant (required with z; with npy, default [0, W - 1])",
    ),
    key(
        "y",
        Ty::Pair,
        "[start, end] of the grid in y, constant (required with z; with npy, default [0, H - 1], row i at the i-th y)",
    ),
    key(
        "resolution",
        Ty::Pair,
        "[nx, ny] grid points of z, each at least 2 (an array's grid is its own)",
    )
    .default("[100, 100]"),
    key(
        "npy",
        Ty::Path,
        "heights from a NumPy .npy file of T×H×W (or H×W) numbers, instead of a formula",
    ),
    key(
        "fps",
        Ty::Param,
        "npy: array frames per second (default: the scene's [output] fps)",
    ),
    key("color", Ty::AnimColor, "one colour instead of a colormap"),
    key(
        "norm",
        Ty::OneOf(SCALES),
        "how heights lie on the colormap: \"log\" spaces decades evenly; heights ≤ 0 are holes",
    )
    .default("\"linear\""),
];

pub const TUBE: &[Key] = &[
    key("radius", Ty::Param, "in scene units").default("0.025"),
    key("sides", Ty::Param, "a whole number 3 to 64").default("6"),
];

pub const LINE: &[Key] = &[key("width", Ty::Param, "pixels").default("2")];

pub const CURVE3D: &[Key] = &[
    SIZE.required(),
    DURATION,
    key(
        "x",
        Ty::Param,
        "x at parameter u: an expression of u and t (and a `csv` file's columns), or a number",
    )
    .required(),
    key(
        "y",
        Ty::Param,
        "y at parameter u: an expression of u and t (and a `csv` file's columns), or a number",
    )
    .required(),
    key(
        "z",
        Ty::Param,
        "z at parameter u: an expression of u and t (and a `csv` file's columns), or a number",
    )
    .required(),
    key(
        "u",
        Ty::Pair,
        "[start, end] of the parameter u, constant (required without `csv`)",
    ),
    key("samples", Ty::Param, "points along the curve, 2 to 100 000").default("200"),
    key(
        "csv",
        Ty::Path,
        "a CSV file whose rows are the points (instead of `u` and `samples`): x, y and z \
         name its columns, u is the row's number",
    ),
    key(
        "tube",
        Ty::Table(TUBE),
        "a lit tube around the curve (the default)",
    ),
    key(
        "line",
        Ty::Table(LINE),
        "instead of a tube: a line, not lit",
    ),
    key(
        "color",
        Ty::AnimColor,
        "the curve's colour (default: steel blue)",
    ),
];
