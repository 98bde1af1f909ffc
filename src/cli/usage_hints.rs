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
}
