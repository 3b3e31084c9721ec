//! The lab sheets in docs/tutorial/ cannot go stale: every ```console block there holds a
//! `$ cipa ...` command and the output it prints, and this test runs each command with the built
//! binary (from the crate root) and compares. After a deliberate change of output, regenerate the
//! sheets with `CIPA_BLESS=1 cargo test --test suite tutorial::` and review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A console block: where it sits in the file, its command line and the output written under it.
struct Block {
    start: usize,
    end: usize,
    command: String,
    expected: String,
}

fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() == "```console" {
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && lines[end].trim_end() != "```" {
                end += 1;
            }
            let body = &lines[start..end];
            if let Some(cmd) = body.first().and_then(|l| l.strip_prefix("$ ")) {
                out.push(Block {
                    start,
                    end,
                    command: cmd.to_string(),
                    expected: body[1..].join("\n"),
                });
            }
            i = end;
        }
        i += 1;
    }
    out
}

/// Splits a command line on spaces, keeping single- or double-quoted words whole.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ') => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Output as compared: trailing spaces, the version in banners and the last digits of an SEM's
/// gradient at convergence (they vary with the platform's arithmetic) do not count.
fn normalise(s: &str) -> String {
    s.lines()
        .map(|l| {
            let l = match l.find("(largest gradient") {
                Some(i) => &l[..i],
                None => l,
            };
            l.trim_end().replace(cipa::VERSION, "<version>")
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

fn run(root: &Path, command: &str) -> String {
    let args = words(command);
    assert_eq!(args.first().map(String::as_str), Some("cipa"), "{command}");
    let o = Command::new(env!("CARGO_BIN_EXE_cipa"))
        .args(&args[1..])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("the cipa binary runs");
    let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
    if !o.status.success() {
        text += &String::from_utf8_lossy(&o.stderr);
    }
    text
}

fn sheets(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("docs/tutorial");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn lab_sheets_match_the_program() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("CIPA_BLESS").is_some();
    let mut failures = Vec::new();
    let mut count = 0;
    for sheet in sheets(root) {
        let text = std::fs::read_to_string(&sheet).expect("sheet is readable");
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        // Later blocks first, so earlier line numbers stay valid while rewriting.
        for b in blocks(&text).into_iter().rev() {
            count += 1;
            let got = normalise(&run(root, &b.command));
            if got != normalise(&b.expected) {
                if bless {
                    let mut new = vec![format!("$ {}", b.command)];
                    new.extend(
                        run(root, &b.command)
                            .lines()
                            .map(|l| l.trim_end().to_string()),
                    );
                    lines.splice(b.start..b.end, new);
                } else {
                    failures.push(format!(
                        "{}: `{}` prints something else than the sheet shows:\n--- sheet\n{}\n--- cipa\n{}",
                        sheet.display(),
                        b.command,
                        normalise(&b.expected),
                        got
                    ));
                }
            }
        }
        if bless {
            std::fs::write(&sheet, lines.join("\n") + "\n").expect("sheet is writable");
        }
    }
    assert!(
        count >= 7,
        "docs/tutorial has {count} console blocks; the lab sequence has at least 7"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} tutorial commands differ (CIPA_BLESS=1 regenerates):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn words_keep_quoted_arguments() {
    assert_eq!(
        words("cipa fit --labels 'a=Network ties,b=Export' --x \"\" x"),
        vec![
            "cipa",
            "fit",
            "--labels",
            "a=Network ties,b=Export",
            "--x",
            "",
            "x"
        ]
    );
}
