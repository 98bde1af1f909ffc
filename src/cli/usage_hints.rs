//! What to write instead, for command lines clap refuses the way MoviePy users write
//! them: the scene first (`animate scene.toml -o out.gif`), or the output without `-o`
//! (`animate render scene.toml out.gif`).

use clap::error::ErrorKind;

use crate::encode::output::Output;

/// Whether `arg` names something `-o` takes: what [`Output::parse`] accepts (a GIF, a
/// video, a folder or pattern of frames), or a PNG file (`frame -o`).
fn is_output(arg: &str) -> bool {
    !arg.starts_with('-')
        && (Output::parse(arg).is_ok() || arg.to_ascii_lowercase().ends_with(".png"))
}

/// A hint for the refused command line `args` (the program's name first), if one of
/// the two habits explains it.
pub fn hint(args: &[String], kind: ErrorKind) -> Option<String> {
    let scene_first = args.get(1).filter(|a| a.ends_with(".toml"));
    match kind {
        ErrorKind::InvalidSubcommand | ErrorKind::UnknownArgument if scene_first.is_some() => {
            let rest = args[1..].join(" ");
            Some(format!(
                "the command comes first: `animate render {rest}` (or check, frame, preview)"
            ))
        }
        ErrorKind::UnknownArgument if set_apart(args).is_some() => set_apart(args),
        ErrorKind::UnknownArgument if var_as_flag(args).is_some() => var_as_flag(args),
        ErrorKind::UnknownArgument => {
            // an output that already follows `-o` is not the one refused: the unknown
            // argument is another (a misspelt flag after `-o out.gif`)
            let output = args
                .iter()
                .enumerate()
                .skip(2)
                .find(|(i, a)| is_output(a) && !matches!(args[i - 1].as_str(), "-o" | "--output"))?
                .1;
            Some(format!("the output is given with -o: `-o {output}`"))
        }
        _ => None,
    }
}

/// `--set speed 2`: the name and the value as two words, the value then refused as a
/// second scene.
fn set_apart(args: &[String]) -> Option<String> {
    let i = args.iter().position(|a| a == "--set")?;
    let name = args
        .get(i + 1)
        .filter(|n| !n.contains('=') && !n.starts_with('-'))?;
    let value = args.get(i + 2).filter(|v| !v.starts_with('-'))?;
    Some(format!(
        "`--set` takes the name and the value as one word: `--set {name}={value}`"
    ))
}

/// `--speed 2` for a `[vars]` entry `speed` of the scene on the command line: a var is
/// set with `--set`, not a flag of its own (clap's own tip names the closest flag,
/// which is not meant). Only a var the scene declares is named so.
fn var_as_flag(args: &[String]) -> Option<String> {
    let scene = args.iter().skip(2).find(|a| a.ends_with(".toml"))?;
    let bytes =
        crate::base::input::read(std::path::Path::new(scene), 1 << 20, "a scene file").ok()?;
    let table: toml::Table = toml::from_str(std::str::from_utf8(&bytes).ok()?).ok()?;
    let vars = table.get("vars")?.as_table()?;
    args.iter().enumerate().skip(2).find_map(|(i, a)| {
        let flag = a.strip_prefix("--")?;
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        let var = [name.to_string(), name.replace('-', "_")]
            .into_iter()
            .find(|n| vars.contains_key(n))?;
        let value = inline
            .or_else(|| args.get(i + 1).filter(|v| !v.starts_with("--")).cloned())
            .unwrap_or_else(|| "…".into());
        Some(format!(
            "`{var}` is a variable of {scene}: set it with `--set {var}={value}`"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(String::from).collect()
    }

    #[test]
    fn the_scene_first_and_the_output_without_o() {
        let h = hint(
            &args("animate s.toml -o a.gif"),
            ErrorKind::InvalidSubcommand,
        )
        .unwrap();
        assert!(h.contains("`animate render s.toml -o a.gif`"), "{h}");
        let h = hint(
            &args("animate render s.toml a.gif"),
            ErrorKind::UnknownArgument,
        )
        .unwrap();
        assert!(h.contains("`-o a.gif`"), "{h}");
        assert_eq!(
            hint(
                &args("animate render s.toml --fsp 3"),
                ErrorKind::UnknownArgument
            ),
            None
        );
        // a flag refused after `-o a.gif` is not about the output
        assert_eq!(
            hint(
                &args("animate render s.toml -o a.gif --depfle a.d"),
                ErrorKind::UnknownArgument
            ),
            None
        );
        assert_eq!(
            hint(
                &args("animate frame s.toml -t 0 --output a.png --foo"),
                ErrorKind::UnknownArgument
            ),
            None
        );
        assert_eq!(
            hint(&args("animate rendr"), ErrorKind::InvalidSubcommand),
            None
        );
    }

    #[test]
    fn set_with_the_value_apart_is_written_as_one_word() {
        let h = hint(
            &args("animate render s.toml --set speed 2 -o a.gif"),
            ErrorKind::UnknownArgument,
        )
        .unwrap();
        assert_eq!(
            h,
            "`--set` takes the name and the value as one word: `--set speed=2`"
        );
    }
}
