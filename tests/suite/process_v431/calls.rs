//! `calls.R` beside the reference: the exact `process()` call behind each output, parsed, and each
//! of its options mapped onto `cipa fit`'s flags. An option without a mapping is an error, so a
//! call in the reference can never be run with an option silently dropped.

use std::path::Path;

/// An R value as the calls write them: a string, a number, or a function call (`c(...)`,
/// `read.csv(...)`) with positional arguments.
#[derive(Debug, Clone, PartialEq)]
pub enum RValue {
    Str(String),
    Num(f64),
    Call(String, Vec<RValue>),
}

impl RValue {
    /// A string, or the strings of `c(...)`.
    fn strings(&self) -> Option<Vec<String>> {
        match self {
            RValue::Str(s) => Some(vec![s.clone()]),
            RValue::Call(f, a) if f == "c" => a
                .iter()
                .map(|v| match v {
                    RValue::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    /// A number, or the numbers of `c(...)`.
    fn numbers(&self) -> Option<Vec<f64>> {
        match self {
            RValue::Num(x) => Some(vec![*x]),
            RValue::Call(f, a) if f == "c" => a
                .iter()
                .map(|v| match v {
                    RValue::Num(x) => Some(*x),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }
}

/// One `process()` call: the output's name (the comment line above it) and its named arguments.
#[derive(Debug, Clone)]
pub struct Call {
    pub name: String,
    pub args: Vec<(String, RValue)>,
}

/// Reads `calls.R`: a `# NAME` line, then the `process(...)` line.
pub fn read_calls(text: &str) -> Result<Vec<Call>, String> {
    let mut out = Vec::new();
    let mut name: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix('#') {
            let rest = rest.trim();
            // Comment prose has spaces; a name line is one word.
            if !rest.is_empty() && !rest.contains(char::is_whitespace) {
                name = Some(rest.to_string());
            }
        } else if line.starts_with("process(") {
            let n = name
                .take()
                .ok_or_else(|| format!("calls.R line {}: a call without a name line", i + 1))?;
            let args = parse_call(line).map_err(|e| format!("calls.R line {}: {e}", i + 1))?;
            out.push(Call { name: n, args });
        }
    }
    Ok(out)
}

/// The named arguments of `process(a=..., b=...)`.
pub fn parse_call(line: &str) -> Result<Vec<(String, RValue)>, String> {
    let mut p = Parser {
        s: line.as_bytes(),
        i: 0,
    };
    let (f, _) = p.ident()?;
    if f != "process" {
        return Err(format!("expected process(...), found {f}"));
    }
    p.expect(b'(')?;
    let mut args = Vec::new();
    loop {
        p.skip_ws();
        if p.peek() == Some(b')') {
            break;
        }
        let (key, _) = p.ident()?;
        p.skip_ws();
        p.expect(b'=')?;
        args.push((key, p.value()?));
        p.skip_ws();
        match p.peek() {
            Some(b',') => p.i += 1,
            Some(b')') => {}
            other => {
                return Err(format!(
                    "at {}: unexpected {:?}",
                    p.i,
                    other.map(char::from)
                ))
            }
        }
    }
    Ok(args)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn expect(&mut self, c: u8) -> Result<(), String> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("at {}: expected '{}'", self.i, char::from(c)))
        }
    }
    fn ident(&mut self) -> Result<(String, usize), String> {
        self.skip_ws();
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_')
        {
            self.i += 1;
        }
        if start == self.i {
            return Err(format!("at {start}: expected a name"));
        }
        Ok((
            String::from_utf8_lossy(&self.s[start..self.i]).into(),
            start,
        ))
    }
    fn value(&mut self) -> Result<RValue, String> {
        self.skip_ws();
        match self.peek() {
            Some(b'"') => {
                self.i += 1;
                let start = self.i;
                while self.peek().is_some_and(|c| c != b'"') {
                    self.i += 1;
                }
                let s = String::from_utf8_lossy(&self.s[start..self.i]).into();
                self.expect(b'"')?;
                Ok(RValue::Str(s))
            }
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'.' => {
                let start = self.i;
                self.i += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || c == b'.' || c == b'e' || c == b'-')
                {
                    self.i += 1;
                }
                let t = String::from_utf8_lossy(&self.s[start..self.i]);
                t.parse()
                    .map(RValue::Num)
                    .map_err(|_| format!("at {start}: bad number {t}"))
            }
            _ => {
                let (f, _) = self.ident()?;
                self.expect(b'(')?;
                let mut args = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek() == Some(b')') {
                        self.i += 1;
                        return Ok(RValue::Call(f, args));
                    }
                    args.push(self.value()?);
                    self.skip_ws();
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    }
                }
            }
        }
    }
}

/// How cipa runs one call.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `cipa fit` arguments (without `--format json`).
    pub args: Vec<String>,
}

fn list(v: &RValue, key: &str) -> Result<String, String> {
    v.strings()
        .map(|s| s.join(","))
        .ok_or_else(|| format!("{key} is not a string or c() of strings: {v:?}"))
}

fn number(v: &RValue, key: &str) -> Result<f64, String> {
    match v.numbers().as_deref() {
        Some([x]) => Ok(*x),
        _ => Err(format!("{key} is not a number: {v:?}")),
    }
}

/// PROCESS's options as `cipa fit` flags. Every option of the call must have a mapping.
pub fn plan(call: &Call, dir: &Path) -> Result<Plan, String> {
    let mut args: Vec<String> = vec!["fit".into()];
    let mut flag = |f: &str, v: String| {
        args.push(format!("--{f}"));
        if !v.is_empty() {
            args.push(v);
        }
    };
    let xmint = call
        .args
        .iter()
        .any(|(k, v)| k == "xmint" && *v == RValue::Num(1.0));
    for (key, v) in &call.args {
        match key.as_str() {
            "data" => match v {
                RValue::Call(f, a) if f == "read.csv" => match a.as_slice() {
                    [RValue::Str(file)] => flag("data", dir.join(file).display().to_string()),
                    _ => return Err(format!("data: read.csv of {a:?}")),
                },
                _ => return Err(format!("data is not read.csv(...): {v:?}")),
            },
            "y" | "x" | "w" | "z" | "m" | "cov" => flag(key, list(v, key)?),
            "model" => flag("model", format!("{}", number(v, key)?)),
            "jn" => {
                let x = number(v, key)?;
                if x == 1.0 {
                    flag("jn", String::new());
                } else if x != 0.0 {
                    return Err(format!("jn={x}"));
                }
            }
            "boot" => flag("boot", format!("{}", number(v, key)?)),
            "seed" => flag("seed", format!("{}", number(v, key)?)),
            // save=2 makes PROCESS probe every interaction (intprobe=1). cipa's JSON holds the
            // conditional effects regardless; --intprobe 1 does the same for its text report.
            "save" => flag("intprobe", "1".into()),
            // PROCESS 4.3.1's counterfactual form of model 4: cipa's --xmint, same values.
            "xmint" if xmint => flag("xmint", String::new()),
            "xrefval" if xmint => {
                let x = v.numbers().ok_or("xrefval is not numeric")?;
                let x: Vec<String> = x.iter().map(|x| format!("{x}")).collect();
                flag("xrefval", x.join(","));
            }
            // Printing only: the reference JSON was parsed from a 14-decimal run of the same call.
            "decimals" | "progress" => {}
            _ => return Err(format!("{}: option {key} has no cipa mapping", call.name)),
        }
    }
    Ok(Plan { args })
}
