//! Printing results: `json` (pretty, the default when stdout is not a terminal), `jsonl` (one
//! compact JSON value per line), `table` (the default on a terminal: the columns a person needs
//! per kind of object) and `yaml`.

use std::io::{self, IsTerminal, Write};

use clap::ArgMatches;
use serde::Serialize;
use serde_json::Value;

/// The values of `--output`.
pub const FORMATS: [&str; 4] = ["json", "jsonl", "table", "yaml"];

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Pretty-printed JSON; a list walked with `--all` is one JSON array.
    Json,
    /// One compact JSON value per line; list items one per line.
    Jsonl,
    /// Aligned columns.
    Table,
    /// YAML; a list walked with `--all` is one sequence.
    Yaml,
}

impl Format {
    /// `--output`, or `table` when stdout is a terminal and `json` otherwise.
    pub fn from_matches(matches: &ArgMatches) -> Self {
        match matches.get_one::<String>("output").map(String::as_str) {
            Some("json") => Self::Json,
            Some("jsonl") => Self::Jsonl,
            Some("table") => Self::Table,
            Some("yaml") => Self::Yaml,
            _ if io::stdout().is_terminal() => Self::Table,
            _ => Self::Json,
        }
    }
}

/// Writes one response body (an object, or one page of a list) in `format`. JSON and YAML keep
/// the API's field order; a table shows a page's items.
///
/// # Errors
/// Writing to `out` failed.
pub fn write_value<T: Serialize>(
    out: &mut impl Write,
    format: Format,
    value: &T,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)
        }
        Format::Jsonl => write_line(out, value),
        Format::Yaml => write_yaml(out, value),
        Format::Table => {
            let value = serde_json::to_value(value).map_err(io::Error::other)?;
            match value.get("items").and_then(Value::as_array) {
                Some(items) => write_table(out, items),
                None => write_table(out, std::slice::from_ref(&value)),
            }
        }
    }
}

/// Writes one compact JSON line.
///
/// # Errors
/// Writing to `out` failed.
pub fn write_line<T: Serialize>(out: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Writes `value` as a YAML document.
///
/// # Errors
/// Writing to `out` failed.
pub fn write_yaml<T: Serialize>(out: &mut impl Write, value: &T) -> io::Result<()> {
    let text = serde_yaml_ng::to_string(value).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

/// The columns of a kind of object (its `object` field): header and JSON pointer.
fn columns_of(object: &str) -> Option<&'static [(&'static str, &'static str)]> {
    Some(match object {
        "subscription" => &[
            ("ID", "/id"),
            ("STATUS", "/status"),
            ("PLAN", "/plan/name"),
            ("PHONE NUMBER", "/phoneNumber"),
            ("SIM", "/sim/iccid"),
            ("CREATED", "/createdAt"),
        ],
        "sim" => &[
            ("ID", "/id"),
            ("ICCID", "/iccid"),
            ("TYPE", "/type"),
            ("STATUS", "/status"),
            ("PROVIDER", "/provider"),
            ("CREATED", "/createdAt"),
        ],
        "device" => &[
            ("ID", "/id"),
            ("IMEI", "/imei"),
            ("NAME", "/name"),
            ("MODEL", "/model/name"),
            ("USER", "/user/id"),
            ("SIMS", "/sims"),
            ("CREATED", "/createdAt"),
        ],
        "deviceModel" => &[
            ("ID", "/id"),
            ("BRAND", "/brand"),
            ("NAME", "/name"),
            ("TYPE", "/type"),
            ("SIM TYPES", "/simTypes"),
        ],
        _ => return None,
    })
}

/// One cell: strings as they are, objects by their `id` (or `name`), arrays joined with commas.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(","),
        Value::Object(object) => object
            .get("id")
            .or_else(|| object.get("name"))
            .map(cell)
            .unwrap_or_else(|| Value::Object(object.clone()).to_string()),
        other => other.to_string(),
    }
}

/// Writes `rows` as a table: known kinds of objects with their columns, other objects as
/// `FIELD VALUE` pairs (fields sorted by name), plain values (such as brand names) one per line.
///
/// # Errors
/// Writing to `out` failed.
pub fn write_table(out: &mut impl Write, rows: &[Value]) -> io::Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    if !first.is_object() {
        return rows
            .iter()
            .try_for_each(|row| writeln!(out, "{}", cell(row)));
    }
    let kind = first.get("object").and_then(Value::as_str).unwrap_or("");
    match columns_of(kind) {
        Some(columns) => {
            let headers: Vec<String> = columns.iter().map(|(h, _)| (*h).to_owned()).collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|(_, pointer)| row.pointer(pointer).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            write_aligned(out, &headers, &cells)
        }
        None if rows.len() == 1 => {
            let pairs: Vec<Vec<String>> = first
                .as_object()
                .into_iter()
                .flatten()
                .map(|(key, value)| vec![key.clone(), cell(value)])
                .collect();
            write_aligned(out, &["FIELD".to_owned(), "VALUE".to_owned()], &pairs)
        }
        None => {
            // Unknown kind: the top-level fields of the first row that are not nested objects.
            let keys: Vec<String> = first
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(key, value)| *key != "object" && !value.is_object())
                .map(|(key, _)| key.clone())
                .collect();
            let headers: Vec<String> = keys.iter().map(|key| key.to_uppercase()).collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    keys.iter()
                        .map(|key| row.get(key).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            write_aligned(out, &headers, &cells)
        }
    }
}

fn write_aligned(out: &mut impl Write, headers: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut text = String::new();
        for (index, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if index + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}  "));
            }
        }
        text.trim_end().to_owned()
    };
    writeln!(out, "{}", line(headers))?;
    for row in rows {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}
