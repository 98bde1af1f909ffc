//! The words on a chart — title, axis labels, legend labels — may hold live values
//! (`"phase = {t:.1f} s"`), as text clips do: a matplotlib animator's first changing
//! text is the title. They are compiled with the text clips' [`Template`], so the
//! placeholders, formats and errors are the same everywhere.

use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::chart::axes::Decor;
use crate::clip::build::ResolveCx;
use crate::expr::Env;
use crate::text::template::Template;

/// A compiled chart text; errors point inside its string in the scene file.
pub fn compile(raw: &Spanned<String>, cx: &ResolveCx) -> Result<Template, Diagnostic> {
    Template::compile_in_file(raw, &cx.scope, cx.source)
}

/// A chart text that also reads values its drawer hands it (a series head's `x` and `y`).
pub fn compile_with(
    raw: &Spanned<String>,
    cx: &ResolveCx,
    inputs: &[&str],
) -> Result<Template, Diagnostic> {
    Template::compile_in_file_with(raw, &cx.scope, cx.source, inputs)
}

/// Warns of chart texts written in matplotlib's mathtext (`"$\\sigma_x^2$"`): they are
/// drawn as written, dollars and backslashes included, which a matplotlib user would
/// not expect.
pub fn warn_of_mathtext<'a>(
    texts: impl IntoIterator<Item = (&'static str, Option<&'a Spanned<String>>)>,
    cx: &mut ResolveCx,
) {
    for (key, raw) in texts {
        let Some(raw) = raw.filter(|r| is_mathtext(r.get_ref())) else {
            continue;
        };
        cx.warn(
            Diagnostic::at(
                format!(
                    "`{key}` is written in matplotlib's mathtext (`$…$`), which is not \
                     typeset here: it is drawn as written, dollars and backslashes included"
                ),
                raw.span(),
            )
            .with_hint(
                "write the symbols themselves, in Unicode: \"σ² over time\", \"α = 0.5\", \"x₀\"",
            ),
        );
    }
}

/// Whether `text` holds a `$…$` with mathtext's markup (`\\`, `^`, `_`, `{`) inside.
fn is_mathtext(text: &str) -> bool {
    let mut parts = text.split('$');
    parts.next();
    // The pieces between a `$` and the next one: the 1st, 3rd, … after the first `$`.
    let inside: Vec<&str> = parts.collect();
    inside
        .chunks(2)
        .filter(|pair| pair.len() == 2)
        .any(|pair| pair[0].contains(['\\', '^', '_', '{']))
}

/// A chart's title and axis labels, when at least one of them changes over time.
#[derive(Debug, Clone, Default)]
pub struct LiveDecor {
    title: Option<Template>,
    xlabel: Option<Template>,
    ylabel: Option<Template>,
}

impl LiveDecor {
    /// Compiles the three texts and writes them at t = 0 (what is drawn once); the
    /// live texts are kept only when one of them changes over time.
    pub fn compile(
        texts: [Option<&Spanned<String>>; 3],
        duration: Option<f64>,
        cx: &ResolveCx,
    ) -> Result<(Option<LiveDecor>, [Option<String>; 3]), Diagnostic> {
        // an empty text is none: it takes no room (`title = ""` in a clip made `from` a
        // titled one leaves the title out)
        let [title, xlabel, ylabel] = texts.map(|raw| {
            raw.filter(|r| !r.get_ref().is_empty())
                .map(|r| compile(r, cx))
                .transpose()
        });
        let live = LiveDecor {
            title: title?,
            xlabel: xlabel?,
            ylabel: ylabel?,
        };
        let start = Env::new(0.0, duration, cx.fps);
        let all = [&live.title, &live.xlabel, &live.ylabel];
        let first = all.map(|t| t.as_ref().map(|t| t.at(&start)));
        let animated = all
            .iter()
            .any(|t| t.as_ref().is_some_and(|t| t.as_static().is_none()));
        Ok((animated.then_some(live), first))
    }

    /// `decor` with its texts as they read at `env`.
    pub fn at(&self, decor: &Decor, env: &Env) -> Decor {
        let mut d = decor.clone();
        let fill = |t: &Option<Template>| t.as_ref().map(|t| t.at(env));
        d.title = fill(&self.title);
        d.xlabel = fill(&self.xlabel);
        d.ylabel = fill(&self.ylabel);
        d
    }
}

/// Warns once per clip and key that a title or axis label is cut at the figure's edges
/// (or the legend at the axes'), as a text clip warns of lines it cuts. A live title may
/// grow late in the clip, so each drawing is checked until its key has warned.
#[derive(Debug, Default)]
pub struct CutWarning {
    /// How the warning names the clip: " of `main`".
    clip: String,
    warned: [std::sync::atomic::AtomicBool; 4],
}

impl CutWarning {
    pub fn new(cx: &ResolveCx) -> CutWarning {
        CutWarning {
            clip: cx
                .current_clip()
                .map_or(String::new(), |name| format!(" of `{name}`")),
            ..CutWarning::default()
        }
    }

    /// Warns of what `axes`, drawn in a `w`×`h` figure, cut (the first time only).
    pub fn check(&self, axes: &crate::chart::axes::Axes, w: u32, h: u32) {
        self.check_texts(axes.cut_texts(w, h));
    }

    /// Warns of the texts in `cut` — (key, its length, the length that fits) — the
    /// first time each is cut.
    pub fn check_texts(&self, cut: Vec<(&'static str, f64, f64)>) {
        use std::sync::atomic::Ordering;
        for (key, long, fits) in cut {
            let i = ["title", "xlabel", "ylabel"]
                .iter()
                .position(|k| *k == key)
                .unwrap_or(0);
            if !self.warned[i].swap(true, Ordering::Relaxed) {
                crate::base::report::warn(format_args!(
                    "the `{key}`{} is {long:.0} px long where {fits:.0} px fit, and is cut \
                     at the figure's edges; a shorter text or a larger `size` shows all of it",
                    self.clip
                ));
            }
        }
    }

    /// Warns (the first time only) that a legend of `rows` rows is larger than the axes,
    /// which cut it: a legend of many classes runs off them silently otherwise.
    pub fn legend(&self, rows: usize) {
        if !self.warned[3].swap(true, std::sync::atomic::Ordering::Relaxed) {
            crate::base::report::warn(format_args!(
                "the legend{} ({rows} row{}) is larger than the axes, which cut it; fewer \
                 labelled series or classes, shorter labels, another `legend` place or a \
                 larger `size` shows all of it",
                self.clip,
                if rows == 1 { "" } else { "s" }
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_mathtext;

    #[test]
    fn mathtext_is_a_dollar_pair_with_markup_inside() {
        assert!(is_mathtext("$\\sigma_x^2$ over time"));
        assert!(is_mathtext("energy $E = mc^2$"));
        assert!(!is_mathtext("cost in $"));
        assert!(!is_mathtext("$5 and $6"));
        assert!(!is_mathtext("a_b^c without dollars"));
        assert!(!is_mathtext("$x^2"));
    }
}
