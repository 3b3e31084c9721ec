//! Keyword arguments to a command line: `boot=5000` becomes `--boot=5000`, `m=["a", "b"]`
//! `--m=a,b`, `jn=True` `--jn`, `construct=["x=a,b", "y=c,d"]` one `--construct` each. Which
//! form a flag takes is read from the command line's own definitions (`cli::embed::flags`), so
//! every flag of a command is a keyword argument and none is spelled twice.

use cipa::cli::embed::{flags, Flag, FlagKind};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::errors::UsageError;

/// One value as the command line writes it.
fn scalar(name: &str, v: &Bound<'_, PyAny>) -> PyResult<String> {
    if v.is_instance_of::<PyBool>() {
        return Ok(if v.extract::<bool>()? {
            "true"
        } else {
            "false"
        }
        .into());
    }
    if v.is_instance_of::<PyInt>() {
        return Ok(v.extract::<i128>()?.to_string());
    }
    if v.is_instance_of::<PyFloat>() || v.hasattr("__float__")? && !v.is_instance_of::<PyString>() {
        if let Ok(x) = v.extract::<f64>() {
            // Rust's shortest round-trip form: the flag parses back to the same f64.
            return Ok(if x.fract() == 0.0 && x.abs() < 1e15 {
                format!("{}", x as i64)
            } else {
                format!("{x}")
            });
        }
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(s);
    }
    // Paths and anything else with a text form.
    let os = v.py().import("os")?;
    if let Ok(p) = os.call_method1("fspath", (v,)) {
        return p.extract::<String>();
    }
    Err(UsageError::new_err(format!(
        "{name}={}: give a number, text or a list of them",
        v.repr()?
    )))
}

fn items<'py>(v: &Bound<'py, PyAny>) -> PyResult<Option<Vec<Bound<'py, PyAny>>>> {
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        return Ok(Some(v.try_iter()?.collect::<PyResult<Vec<_>>>()?));
    }
    Ok(None)
}

/// One element of a list flag: a nested list is joined with commas (`test=[["a", "b"]]`).
fn element(name: &str, v: &Bound<'_, PyAny>) -> PyResult<String> {
    match items(v)? {
        Some(inner) => Ok(inner
            .iter()
            .map(|x| scalar(name, x))
            .collect::<PyResult<Vec<_>>>()?
            .join(",")),
        None => scalar(name, v),
    }
}

fn push_flag(argv: &mut Vec<String>, f: &Flag, name: &str, v: &Bound<'_, PyAny>) -> PyResult<()> {
    let long = &f.long;
    match f.kind {
        FlagKind::Switch => {
            let on = v.is_truthy()?;
            if on {
                argv.push(format!("--{long}"));
            }
        }
        FlagKind::OptionalValue => {
            if v.is_instance_of::<PyBool>() {
                if v.extract::<bool>()? {
                    argv.push(format!("--{long}"));
                }
            } else {
                argv.push(format!("--{long}={}", scalar(name, v)?));
            }
        }
        FlagKind::Value => argv.push(format!("--{long}={}", scalar(name, v)?)),
        FlagKind::List(delim) => {
            let values: Vec<String> = match items(v)? {
                Some(list) => list
                    .iter()
                    .map(|x| element(name, x))
                    .collect::<PyResult<_>>()?,
                None => vec![scalar(name, v)?],
            };
            match delim {
                Some(d) => {
                    argv.push(format!("--{long}={}", values.join(&d.to_string())));
                }
                None => {
                    for value in values {
                        argv.push(format!("--{long}={value}"));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The command line (`cipa COMMAND --data DATA --flag=value ...`) for keyword arguments.
/// `None` values are left out (the command line's default applies). An unknown keyword is a
/// `UsageError` naming the closest flags.
pub fn argv(
    command: &str,
    data: Option<&str>,
    kwargs: &Bound<'_, PyDict>,
) -> PyResult<Vec<String>> {
    let known = flags(command)
        .ok_or_else(|| UsageError::new_err(format!("no cipa command '{command}'")))?;
    let mut argv = vec!["cipa".to_string()];
    if command != "read" {
        argv.push(command.to_string());
    }
    if let Some(d) = data {
        argv.push(format!("--data={d}"));
    }
    for (k, v) in kwargs.iter() {
        if v.is_none() {
            continue;
        }
        let name: String = k.extract()?;
        let long = name.replace('_', "-");
        let Some(f) = known.iter().find(|f| f.long == long) else {
            let mut near: Vec<&str> = known
                .iter()
                .map(|f| f.long.as_str())
                .filter(|l| l.contains(long.as_str()) || long.contains(*l))
                .collect();
            near.truncate(4);
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!(
                    "; did you mean {}?",
                    near.iter()
                        .map(|l| l.replace('-', "_"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return Err(UsageError::new_err(format!(
                "{command}() got an unknown keyword argument '{name}'{hint}"
            )));
        };
        push_flag(&mut argv, f, &name, &v)?;
    }
    Ok(argv)
}
