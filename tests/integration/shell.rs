//! `animate completions SHELL` and `animate man`: what shells and `man` read.

use std::process::Command;

use crate::util::Sandbox;

const COMMANDS: &[&str] = &[
    "render",
    "check",
    "join",
    "deps",
    "frame",
    "schema",
    "completions",
    "man",
];

#[test]
fn completion_scripts_name_every_command() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = sb.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.len() > 500, "{shell}: {}", run.stdout);
        for cmd in COMMANDS {
            assert!(run.stdout.contains(cmd), "{shell} script lacks `{cmd}`");
        }
        // Flags of a command are completed too (fish writes `-l fps`).
        let fps = if shell == "fish" { "-l fps" } else { "--fps" };
        assert!(run.stdout.contains(fps), "{shell} script lacks {fps}");
    }
    let fish = sb.run(&["completions", "fish"]).stdout;
    assert!(fish.contains("complete -c animate"), "{fish}");
    let zsh = sb.run(&["completions", "zsh"]).stdout;
    assert!(zsh.starts_with("#compdef animate"), "{zsh}");
}

#[test]
fn bash_completion_is_valid_bash_and_completes() {
    let sb = Sandbox::new();
    let script = sb.write("animate.bash", sb.run(&["completions", "bash"]).stdout);
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Load it and ask for the completions of `animate re`, as bash does on Tab.
    let probe = format!(
        "source {}; COMP_WORDS=(animate re); COMP_CWORD=1; COMP_LINE='animate re'; COMP_POINT=10; _animate animate re animate; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = Command::new("bash").arg("-c").arg(&probe).output().unwrap();
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        words.lines().any(|w| w == "render"),
        "{words}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let run = Sandbox::new().run(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid value 'tcsh'"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("bash"), "{}", run.stderr);
}

#[test]
fn man_page_has_name_and_every_command() {
    let sb = Sandbox::new();
    let run = sb.run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = run.stdout;
    assert!(page.contains(".TH animate 1"), "{page}");
    assert!(page.contains(".SH NAME\nanimate \\- "), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for cmd in COMMANDS {
        assert!(
            page.contains(&format!("animate\\-{cmd}(1)")),
            "man page lacks {cmd}"
        );
    }
    // Each command has its own page with its flags.
    let render = sb.run(&["man", "render"]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert!(
        render.stdout.contains(".TH animate-render 1"),
        "{}",
        render.stdout
    );
    assert!(render.stdout.contains("\\-\\-fps"), "{}", render.stdout);

    let bad = sb.run(&["man", "rendr"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no command `rendr`"), "{}", bad.stderr);
    assert!(
        bad.stderr.contains("did you mean `render`"),
        "{}",
        bad.stderr
    );
}
