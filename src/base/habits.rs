//! Names users bring from matplotlib and MoviePy (`lw`, `linestyle`, `alpha`,
//! `clips_array`, `TextClip`, `blur`…), and the animate name each one is: an unknown key,
//! kind or effect that is one of them is answered with the name to write, not a list of
//! every name.

/// (what matplotlib or MoviePy call a key, the animate key, how the hint names it).
const KEYS: &[(&str, &str, &str)] = &[
    ("lw", "width", "matplotlib's"),
    ("linewidth", "width", "matplotlib's"),
    ("ls", "dash", "matplotlib's"),
    ("linestyle", "dash", "matplotlib's"),
    ("alpha", "opacity", "matplotlib's"),
    ("c", "color", "matplotlib's"),
    ("colour", "color", "British"),
    ("facecolor", "color", "matplotlib's"),
    ("s", "size", "matplotlib's"),
    ("ms", "size", "matplotlib's"),
    ("markersize", "size", "matplotlib's"),
    ("pos", "position", "MoviePy's"),
    ("clips", "layers", "MoviePy's"),
    ("fontsize", "font_size", "matplotlib's"),
    ("ha", "align", "matplotlib's"),
    ("horizontalalignment", "align", "matplotlib's"),
    ("va", "valign", "matplotlib's"),
    ("verticalalignment", "valign", "matplotlib's"),
    ("xytext", "offset", "matplotlib's"),
    ("arrowprops", "arrow", "matplotlib's"),
    ("s", "text", "matplotlib's"),
    ("newsize", "width", "MoviePy's"),
    ("fps_source", "fps", "MoviePy's"),
    ("bg_color", "background", "MoviePy's"),
    ("txt", "text", "MoviePy's"),
    ("stroke_color", "stroke", "MoviePy's"),
    ("stroke_width", "stroke", "MoviePy's"),
    ("thr", "threshold", "MoviePy's"),
    ("loop", "repeat", "write_gif's"),
    ("cmap", "colormap", "matplotlib's"),
    ("fontweight", "weight", "matplotlib's"),
    ("fontfamily", "font", "matplotlib's"),
    ("figsize", "size", "matplotlib's"),
    ("axes", "projection", "a polar plot's"),
    ("polar", "projection", "matplotlib's"),
    ("theta_zero_location", "theta_zero", "matplotlib's"),
    ("rmax", "rlim", "matplotlib's"),
    ("rmin", "rlim", "matplotlib's"),
    ("view", "camera", "Mayavi's"),
    ("clips", "rows", "a grid's"),
    ("set_position", "position", "MoviePy's"),
    ("set_pos", "position", "MoviePy's"),
    ("set_start", "start", "MoviePy's"),
    ("set_end", "end", "MoviePy's"),
    ("set_duration", "duration", "MoviePy's"),
    ("set_opacity", "opacity", "MoviePy's"),
    ("set_mask", "mask", "MoviePy's"),
    ("array", "rows", "clips_array's"),
];

/// Options of MoviePy's `write_gif` and `write_videofile` that are flags of `animate
/// render` here (the same output may be written many ways from one scene).
const RENDER_FLAGS: &[&str] = &["codec", "crf", "preset", "bitrate", "threads"];

/// Options of MoviePy's `write_gif` that choose its encoder's tricks; animate's GIF
/// encoder takes only `quality`.
const GIF_OPTIONS: &[&str] = &["opt", "fuzz", "program", "colors", "dither"];

/// Keys of a plot's series that say how its line and markers look, which a plot table
/// does not have: written there, they are meant for the series.
const SERIES_LOOK: &[&str] = &[
    "width", "dash", "color", "opacity", "marker", "size", "line",
];

/// Keys whose per-point form, from a column, has a key of its own (plot series).
const BY_COLUMN: &[(&str, &str)] = &[("color", "color_by"), ("size", "size_by")];

/// Keys of where a clip is placed, which belong to the layer that places it.
const PLACEMENT: &[&str] = &["pos", "position", "set_position"];

/// (a MoviePy clip class or function, the animate kind or effect).
const NAMES: &[(&str, &str)] = &[
    ("clips_array", "grid"),
    ("concatenate", "sequence"),
    ("concatenate_videoclips", "sequence"),
    ("CompositeVideoClip", "composite"),
    ("TextClip", "text"),
    ("ImageClip", "file"),
    ("VideoFileClip", "video"),
    ("ColorClip", "color"),
    ("AudioFileClip", "audio"),
    ("ImageSequenceClip", "images"),
    ("blur", "gaussian_blur"),
    ("fadein", "fade_in"),
    ("fadeout", "fade_out"),
    ("crossfadein", "crossfade_in"),
    ("crossfadeout", "crossfade_out"),
    ("mirrorx", "mirror_x"),
    ("mirrory", "mirror_y"),
    ("time_mirror", "reverse"),
    ("colorx", "multiply_color"),
    ("audio_fadein", "audio_fade_in"),
    ("audio_fadeout", "audio_fade_out"),
    ("volumex", "volume"),
];

/// (a name from MoviePy, scikit-image, Mayavi, Vispy or matplotlib, or a guess at a kind,
/// the animate kind or effect, what the hint says in brackets). Looked up without regard
/// to case, after [`NAMES`].
const MORE_NAMES: &[(&str, &str, &str)] = &[
    ("gif", "file", "a GIF, a picture or a video file is `kind = \"file\"` with its `path`"),
    ("image", "file", "one picture is `kind = \"file\"`; `images` is a numbered sequence of them"),
    ("picture", "file", "a picture is `kind = \"file\"` with its `path`"),
    ("photo", "file", "a picture is `kind = \"file\"` with its `path`"),
    ("png", "file", "a picture is `kind = \"file\"` with its `path`"),
    ("jpg", "file", "a picture is `kind = \"file\"` with its `path`"),
    ("mp4", "video", "a video file is `kind = \"video\"` (or `file`) with its `path`"),
    ("npy", "field", "a NumPy file is shown by `kind = \"field\"` with `npy = \"data.npy\"` (or as heights by `kind = \"surface\"`)"),
    ("numpy", "field", "a NumPy file is shown by `kind = \"field\"` with `npy = \"data.npy\"` (or as heights by `kind = \"surface\"`)"),
    ("histogram", "plot", "a histogram is a `plot` series of the bins' counts with `fill = \"under\"`, as plots.md's \"A histogram\" shows"),
    ("hist", "plot", "a histogram is a `plot` series of the bins' counts with `fill = \"under\"`, as plots.md's \"A histogram\" shows"),
    ("csv", "plot", "a CSV file is drawn by a `plot` series: series = [{ csv = \"data.csv\", x = \"…\", y = \"…\" }]"),
    ("tif", "images", "a TIFF stack is `kind = \"images\"` with `files = \"stack.tif\"`; one picture is `kind = \"file\"`"),
    ("tiff", "images", "a TIFF stack is `kind = \"images\"` with `files = \"stack.tif\"`; one picture is `kind = \"file\"`"),
    ("movie", "video", "a video file is `kind = \"video\"` (or `file`) with its `path`"),
    ("VideoClip", "program", "MoviePy's `VideoClip(make_frame)` is a `program` clip here, or a `surface`, `plot` or `field` drawn from formulas"),
    ("mesh", "surface", "Mayavi's `mesh` is `surface` here"),
    ("surf", "surface", "Mayavi's `surf` is `surface` here"),
    ("SurfacePlot", "surface", "Vispy's `SurfacePlot` is `surface` here"),
    ("plot3d", "curve3d", "Mayavi's `plot3d` is `curve3d` here"),
    ("imshow", "field", "matplotlib's `imshow` is `field` here"),
    ("contourf", "field", "matplotlib's `contourf` is a `field` with `levels` here"),
    ("scatter", "plot", "matplotlib's `scatter` is a `plot` series with `marker` and `line = false` here"),
    ("bar", "bars", "matplotlib's `bar` is `bars` here"),
    ("barh", "bars", "matplotlib's `barh` is `bars` with `orientation = \"horizontal\"` here"),
    ("equalize_hist", "equalize", "scikit-image's `equalize_hist` is `equalize` here"),
    ("gaussian", "gaussian_blur", "scikit-image's `gaussian` is `gaussian_blur` here"),
    ("gaussian_filter", "gaussian_blur", "scikit-image's `gaussian_filter` is `gaussian_blur` here"),
    ("unsharp_mask", "sharpen", "scikit-image's `unsharp_mask` is `sharpen` here"),
    ("sobel", "edges", "scikit-image's `sobel` is `edges` here"),
    ("threshold_otsu", "threshold", "scikit-image's `threshold_otsu` is a bare `\"threshold\"` here"),
    ("rgb2gray", "blackwhite", "scikit-image's `rgb2gray` is `{ blackwhite = { rgb = \"crt_phosphor\" } }` here"),
    ("invert_colors", "invert", "MoviePy's `invert_colors` is `invert` here"),
    ("gamma_corr", "gamma", "MoviePy's `gamma_corr` is `gamma` here"),
    ("set_opacity", "opacity", "MoviePy's `set_opacity` is `{ opacity = 0.4 }` here"),
    ("speedx", "speed", "MoviePy's `speedx` is `speed` here"),
    ("grayscale", "blackwhite", "grey levels are `blackwhite` here, MoviePy's name"),
    ("greyscale", "blackwhite", "grey levels are `blackwhite` here, MoviePy's name"),
    ("gray", "blackwhite", "grey levels are `blackwhite` here, MoviePy's name"),
    ("grey", "blackwhite", "grey levels are `blackwhite` here, MoviePy's name"),
];

/// The hint for an unknown key `name` among `known`: the animate name of a matplotlib
/// habit when it is known here, else the closest known key.
pub fn key_hint<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    let has = |key: &str| known.clone().into_iter().any(|k| k == key);
    if let Some((theirs, ours, whose)) = KEYS.iter().find(|(t, o, _)| *t == name && has(o)) {
        let first = format!("`{ours}`");
        let is = match *theirs {
            "newsize" if has("height") => "`width` and `height` here".to_string(),
            "stroke_color" => "`stroke = { color = … }` here".to_string(),
            "stroke_width" => "`stroke = { width = … }` here".to_string(),
            "figsize" => {
                "`size` here, in pixels: figsize × dpi, [500, 300] for (5, 3) at 100 dpi".into()
            }
            "view" => "`camera = { azimuth, elevation, distance }` here".to_string(),
            "xytext" => "`offset = [right, up]` here, in points from the point \
                         (matplotlib's textcoords=\"offset points\")"
                .to_string(),
            "arrowprops" => "`arrow = true` here".to_string(),
            "axes" | "polar" => "`projection = \"polar\"` here, matplotlib's word".to_string(),
            "rmax" | "rmin" => "`rlim = [rmin, rmax]` here".to_string(),
            _ => format!("`{ours}` here"),
        };
        let by = BY_COLUMN
            .iter()
            .find(|(one, by)| one == ours && has(by))
            .map(|(_, by)| format!("; `{by}` names a CSV column with a value per point"))
            .unwrap_or_default();
        return Some(format!(
            "did you mean {first}? ({whose} `{theirs}` is {is}{by})"
        ));
    }
    // A line's look written on the plot (`plt.plot(x, y, lw=2)` read as a plot key):
    // it belongs to each series.
    if has("series") {
        let ours = KEYS
            .iter()
            .find(|(t, _, _)| *t == name)
            .map(|(_, o, _)| *o)
            .unwrap_or(name);
        if SERIES_LOOK.contains(&ours) && !has(ours) {
            let theirs = if ours == name {
                String::new()
            } else {
                format!(" (`{name}` is `{ours}` here)")
            };
            return Some(format!(
                "a line's look is set on each series{theirs}: \
                 series = [{{ y = \"…\", {ours} = … }}]"
            ));
        }
    }
    // `[output]` is the table with `root` and `repeat`.
    if has("root") && has("repeat") {
        if RENDER_FLAGS.contains(&name) {
            // Each flag's hint says what that flag does, in video.md's words.
            let see = match name {
                "threads" => "docs/cli.md",
                "codec" => "docs/video.md; the codec follows the output's extension",
                "crf" => "docs/video.md; a constant quality, lower is better and larger",
                "preset" => "docs/video.md; the encoder's speed, `ultrafast` to `veryslow`",
                _ => {
                    "docs/video.md; a target bit rate such as `800k` or `2M`, \
                     instead of `--crf`"
                }
            };
            return Some(format!(
                "`{name}` is a flag of `animate render`, not a scene key: `--{name} …` (see {see})"
            ));
        }
        if GIF_OPTIONS.contains(&name) {
            return Some(format!(
                "write_gif's `{name}` has no counterpart: a GIF's colours and dithering \
                 follow `quality` (1–100, default 90; see docs/gif.md)"
            ));
        }
    }
    if name == "fps" && !has("fps") {
        return Some(
            "a scene has one frame rate, `[output] fps = 20` (or `render --fps 20`); \
             videos, GIFs and image sequences play at their own speed in it"
                .into(),
        );
    }
    // matplotlib's `ax.clabel(cs)` labels contour lines; the closest spelling
    // (`xlabel`) would send the user elsewhere.
    if matches!(name, "clabel" | "clabels" | "contour_label") && has("contour_labels") {
        return Some(
            "contour lines are labelled with `contour_labels = true` (matplotlib's `clabel`), \
             beside `contours`"
                .into(),
        );
    }
    // matplotlib's `errorbar(x, y, yerr=e)`: no series key draws error bars, and the
    // closest spelling would send the user elsewhere.
    if matches!(
        name,
        "yerr" | "xerr" | "err" | "error" | "errors" | "errorbar" | "errorbars" | "error_bars"
    ) && has("fill")
    {
        return Some(
            "a series has no error bars (matplotlib's `errorbar(x, y, yerr=e)`): draw each bar \
             as a stretch of a CSV line, two rows (x, y − e) and (x, y + e) followed by a row \
             with an empty y that breaks the line, and the points as a second series \
             (docs/plots.md#error-bars); a band is `fill` naming the column of the other edge"
                .into(),
        );
    }
    if PLACEMENT.contains(&name) && !has("position") {
        return Some(
            "a clip's place is set where it is used: `position` of a composite's layer, \
             e.g. layers = [{ clip = \"title\", position = \"center\" }]"
                .into(),
        );
    }
    super::diag::did_you_mean(name, known)
}

/// The hint for an unknown kind or effect `name` among `known`: the animate name of a
/// MoviePy class or effect when it is known here, else the closest known name.
pub fn name_hint<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    let habit = NAMES.iter().find(|(theirs, ours)| {
        theirs.eq_ignore_ascii_case(name)
            && *theirs != *ours
            && known.clone().into_iter().any(|k| k == *ours)
    });
    if let Some((theirs, ours)) = habit {
        return Some(format!(
            "did you mean `{ours}`? (MoviePy's `{theirs}` is `{ours}` here)"
        ));
    }
    // MoviePy's `clip.fx(vfx.mask_color, …)` names the effect inside `fx`.
    let effects = known.clone().into_iter().any(|k| k == "mask_color");
    if effects && (name.eq_ignore_ascii_case("fx") || name.eq_ignore_ascii_case("vfx")) {
        return Some(
            "MoviePy's `.fx(vfx.NAME, …)` is the effect itself here, named as the key: \
             `{ mask_color = { color = \"white\", threshold = 10 } }`, `{ speed = 2 }` \
             (docs/effects.md)"
                .into(),
        );
    }
    let more = MORE_NAMES.iter().find(|(theirs, ours, _)| {
        theirs.eq_ignore_ascii_case(name) && known.clone().into_iter().any(|k| k == *ours)
    });
    match more {
        Some((_, ours, why)) => Some(format!("did you mean `{ours}`? ({why})")),
        None => super::diag::did_you_mean(name, known),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn habits_are_named_only_where_their_key_exists() {
        let series = ["width", "dash", "opacity", "color", "size"];
        assert_eq!(
            key_hint("lw", series).as_deref(),
            Some("did you mean `width`? (matplotlib's `lw` is `width` here)")
        );
        assert!(key_hint("linestyle", series).unwrap().contains("`dash`"));
        assert_eq!(key_hint("lw", ["clip"]), None);
        // where a column may give each point its own, that key is named too
        let scatter = ["color", "color_by", "size", "size_by"];
        assert_eq!(
            key_hint("c", scatter).as_deref(),
            Some(
                "did you mean `color`? (matplotlib's `c` is `color` here; `color_by` names a \
                 CSV column with a value per point)"
            )
        );
        assert!(key_hint("s", scatter)
            .unwrap()
            .contains("`size_by` names a CSV column"));
        assert!(!key_hint("c", series).unwrap().contains("color_by"));
        assert_eq!(
            key_hint("widht", series).as_deref(),
            Some("did you mean `width`?")
        );
        assert_eq!(
            key_hint("newsize", ["width", "height", "scale"]).as_deref(),
            Some("did you mean `width`? (MoviePy's `newsize` is `width` and `height` here)")
        );
        assert!(key_hint("pos", ["text", "font_size"])
            .unwrap()
            .contains("`position` of a composite's layer"));
    }

    #[test]
    fn a_line_look_written_on_the_plot_is_said_to_belong_to_a_series() {
        let plot = ["size", "series", "title", "xlim", "grid", "background"];
        let h = key_hint("linewidth", plot).unwrap();
        assert!(
            h.contains("set on each series (`linewidth` is `width` here)"),
            "{h}"
        );
        assert!(h.contains("series = [{ y = \"…\", width = … }]"), "{h}");
        let h = key_hint("color", plot).unwrap();
        assert!(h.starts_with("a line's look is set on each series:"), "{h}");
        // a plot key of its own is not sent to the series
        assert_eq!(
            key_hint("titel", plot).as_deref(),
            Some("did you mean `title`?")
        );
    }

    #[test]
    fn moviepy_names_give_the_kind_or_effect() {
        let kinds = ["grid", "sequence", "text", "file", "video"];
        assert_eq!(
            name_hint("clips_array", kinds).as_deref(),
            Some("did you mean `grid`? (MoviePy's `clips_array` is `grid` here)")
        );
        assert!(name_hint("textclip", kinds).unwrap().contains("`text`"));
        assert!(name_hint("blur", ["gaussian_blur", "resize"])
            .unwrap()
            .contains("`gaussian_blur`"));
        assert_eq!(name_hint("blur", kinds), None);
    }

    #[test]
    fn names_from_other_libraries_and_guessed_kinds_give_the_kind_or_effect() {
        let kinds = ["file", "images", "video", "surface", "program"];
        let gif = name_hint("gif", kinds).unwrap();
        assert!(gif.starts_with("did you mean `file`?"), "{gif}");
        // `image` is closest to `images`, the sequence: the habit wins.
        assert!(name_hint("image", kinds)
            .unwrap()
            .contains("one picture is `kind = \"file\"`"));
        assert!(name_hint("SurfacePlot", kinds).unwrap().contains("Vispy's"));
        let effects = ["equalize", "invert", "blackwhite", "opacity"];
        assert_eq!(
            name_hint("equalize_hist", effects).as_deref(),
            Some("did you mean `equalize`? (scikit-image's `equalize_hist` is `equalize` here)")
        );
        assert!(name_hint("Invert_Colors", effects)
            .unwrap()
            .contains("`invert`"));
        // Only where the name it points to exists.
        assert_eq!(name_hint("gif", effects), None);
    }

    #[test]
    fn yerr_says_how_error_bars_are_drawn() {
        let series = ["y", "x", "csv", "fill", "marker"];
        let h = key_hint("yerr", series).unwrap();
        assert!(
            h.contains("has no error bars") && h.contains("#error-bars"),
            "{h}"
        );
        assert!(key_hint("xerr", series).unwrap().contains("errorbar"));
        // where no series key is known, not this hint
        assert!(!key_hint("yerr", ["y"])
            .unwrap_or_default()
            .contains("error bars"));
    }

    #[test]
    fn clabel_and_fx_say_what_they_are_here() {
        let field = ["contours", "contour_labels", "xlabel", "ylabel", "levels"];
        let h = key_hint("clabel", field).unwrap();
        assert!(h.contains("contour_labels = true"), "{h}");
        // Elsewhere it is only a misspelling.
        assert_eq!(
            key_hint("clabel", ["xlabel", "ylabel"]).as_deref(),
            Some("did you mean `xlabel`?")
        );
        let h = name_hint("fx", ["opacity", "mask_color", "speed"]).unwrap();
        assert!(h.contains("`.fx(vfx.NAME, …)`"), "{h}");
        assert_ne!(
            name_hint("fx", ["file", "text"]).as_deref(),
            Some(h.as_str())
        );
    }

    #[test]
    fn output_options_of_moviepy_say_where_they_went() {
        let output = ["root", "fps", "size", "repeat", "quality"];
        assert_eq!(
            key_hint("loop", output).as_deref(),
            Some("did you mean `repeat`? (write_gif's `loop` is `repeat` here)")
        );
        assert!(key_hint("codec", output).unwrap().contains("`--codec …`"));
        assert!(key_hint("opt", output).unwrap().contains("`quality`"));
        // Elsewhere `codec` is only an unknown word.
        assert_eq!(key_hint("codec", ["size", "color"]), None);
        assert!(key_hint("fps", ["size", "z"])
            .unwrap()
            .contains("[output] fps"));
        assert!(key_hint("figsize", ["size", "dpi"])
            .unwrap()
            .contains("figsize × dpi"));
        assert!(key_hint("bg_color", ["background"])
            .unwrap()
            .contains("`background`"));
    }
}
