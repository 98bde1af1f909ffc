//! A clip made `from` another with keys of its own: `[clip.t2] from = "t1"`,
//! `text = "Blurred"` is t1's table with `text` replaced, built anew.
//!
//! The rules, chosen so that nothing is guessed:
//! - a key given replaces the other clip's value whole (tables included: there is no
//!   merging of `stroke = { … }` key by key);
//! - the other clip's `effects` and `mask` stay, applied first; this clip's `effects`
//!   and `mask` come after them, as for `from` without keys (the other clip as it is,
//!   then this one's effects);
//! - `kind` cannot be given (the other keys belong to the other clip's kind): refused
//!   where it is resolved, in [`resolve`](super::resolve).

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;

/// The table of clip `from` with `changes` put in place of its keys, placed at this
/// clip's table (`span`) for errors about the table as a whole. `changes` holds only
/// kind-specific keys: the common ones were taken out by the caller.
pub fn changed_table<'i>(
    cx: &mut ResolveCx<'i>,
    from: &Spanned<String>,
    changes: DeTable<'i>,
    span: std::ops::Range<usize>,
) -> Result<Spanned<DeValue<'i>>, Diagnostic> {
    let base = cx.table_of(from)?;
    let DeValue::Table(mut table) = base.into_inner() else {
        // A clip that is not a table fails on its own and never gets here.
        return Err(Diagnostic::at(
            format!("clip `{}` is not a table of keys", from.get_ref()),
            from.span(),
        ));
    };
    for (key, value) in changes {
        // Removed first: the key kept is this clip's, so errors point here.
        table.remove(key.get_ref().as_ref() as &str);
        table.insert(key, value);
    }
    Ok(Spanned::new(span, DeValue::Table(table)))
}
