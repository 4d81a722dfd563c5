//! Printing results: `json` (pretty, the default when stdout is not a terminal), `jsonl` (one
//! compact JSON value per line), `table` (the default on a terminal: the columns a person needs
//! per kind of object) and `yaml`.
//!
//! Tables are laid out by [comfy-table](https://docs.rs/comfy-table): columns line up by display
//! width (CJK and emoji take two columns, combining marks none), and on a terminal the table is
//! fitted to its width: free text (names, plans, models, values) is cut with `…`, identifiers
//! and other short codes never are.

use std::io::{self, IsTerminal, Write};

use clap::ArgMatches;
use comfy_table::{presets, Cell, ColumnConstraint, ContentArrangement, Row, Table, Width};
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
    /// Aligned columns, fitted to `width` display columns when set (stdout is a terminal);
    /// without it nothing is cut.
    Table {
        /// The terminal's width.
        width: Option<u16>,
    },
    /// YAML; a list walked with `--all` is one sequence.
    Yaml,
}

impl Format {
    /// `--output`, or `table` when stdout is a terminal and `json` otherwise.
    pub fn from_matches(matches: &ArgMatches) -> Self {
        let table = || Self::Table {
            width: terminal_width(),
        };
        match matches.get_one::<String>("output").map(String::as_str) {
            Some("json") => Self::Json,
            Some("jsonl") => Self::Jsonl,
            Some("table") => table(),
            Some("yaml") => Self::Yaml,
            _ if io::stdout().is_terminal() => table(),
            _ => Self::Json,
        }
    }
}

/// The width of the terminal stdout is, if it is one.
fn terminal_width() -> Option<u16> {
    terminal_size::terminal_size_of(io::stdout()).map(|(width, _)| width.0)
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
        Format::Table { width } => {
            let value = serde_json::to_value(value).map_err(io::Error::other)?;
            match value.get("items").and_then(Value::as_array) {
                Some(items) => write_table(out, items, width),
                None => write_table(out, std::slice::from_ref(&value), width),
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

/// Whether a column's cells may be cut to fit the terminal: free text and timestamps may (to
/// no fewer than [`MIN_CUT_WIDTH`] columns), identifiers and short codes (ids, ICCIDs, IMEIs,
/// phone numbers, statuses, types) never are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fit {
    Keep,
    Cut,
}

/// The fewest display columns a cut cell keeps, its `…` included: past that the table is wider
/// than the terminal rather than unreadable.
const MIN_CUT_WIDTH: u16 = 8;

/// A column of a kind of object: header, JSON pointer, and whether it may be cut.
type Column = (&'static str, &'static str, Fit);

/// The columns of a kind of object (its `object` field).
fn columns_of(object: &str) -> Option<&'static [Column]> {
    use Fit::{Cut, Keep};
    Some(match object {
        "subscription" => &[
            ("ID", "/id", Keep),
            ("STATUS", "/status", Keep),
            ("PLAN", "/plan/name", Cut),
            ("PHONE NUMBER", "/phoneNumber", Keep),
            ("SIM", "/sim/iccid", Keep),
            ("CREATED", "/createdAt", Cut),
        ],
        "sim" => &[
            ("ID", "/id", Keep),
            ("ICCID", "/iccid", Keep),
            ("TYPE", "/type", Keep),
            ("STATUS", "/status", Keep),
            ("PROVIDER", "/provider", Cut),
            ("CREATED", "/createdAt", Cut),
        ],
        "device" => &[
            ("ID", "/id", Keep),
            ("IMEI", "/imei", Keep),
            ("NAME", "/name", Cut),
            ("MODEL", "/model/name", Cut),
            ("USER", "/user/id", Keep),
            ("SIMS", "/sims", Keep),
            ("CREATED", "/createdAt", Cut),
        ],
        "user" => &[
            ("ID", "/id", Keep),
            ("EMAIL", "/email", Keep),
            ("NAME", "/fullName", Cut),
            ("STATUS", "/status", Keep),
            ("CREATED", "/createdAt", Cut),
        ],
        "plan" => &[
            ("ID", "/id", Keep),
            ("NAME", "/name", Cut),
            ("STATUS", "/status", Keep),
            ("PRICE", "/price/amount", Keep),
            ("CURRENCY", "/price/currency", Keep),
            ("PROVIDER", "/provider", Keep),
            ("SIM TYPES", "/simTypes", Keep),
        ],
        "deviceModel" => &[
            ("ID", "/id", Keep),
            ("BRAND", "/brand", Cut),
            ("NAME", "/name", Cut),
            ("TYPE", "/type", Keep),
            ("SIM TYPES", "/simTypes", Keep),
        ],
        _ => return None,
    })
}

/// One cell: strings as they are, objects by their `id` (or `name`), arrays joined with commas.
/// Control characters are shown escaped (`\n`, `\u{1b}`): a name holding a newline or a
/// terminal escape sequence can neither break the table nor reach the terminal.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => return items.iter().map(cell).collect::<Vec<_>>().join(","),
        Value::Object(object) => {
            return object
                .get("id")
                .or_else(|| object.get("name"))
                .map(cell)
                .unwrap_or_else(|| Value::Object(object.clone()).to_string())
        }
        other => other.to_string(),
    };
    if !text.contains(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Writes `rows` as a table: known kinds of objects with their columns, other objects as
/// `FIELD VALUE` pairs (fields sorted by name), plain values (such as brand names) one per line.
/// With `width` (the terminal's), free-text columns are cut with `…` to fit it; identifiers
/// never are, so a table of ids alone may still be wider.
///
/// # Errors
/// Writing to `out` failed.
pub fn write_table(out: &mut impl Write, rows: &[Value], width: Option<u16>) -> io::Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    if !first.is_object() {
        return rows
            .iter()
            .try_for_each(|row| writeln!(out, "{}", cell(row)));
    }
    let kind = first.get("object").and_then(Value::as_str).unwrap_or("");
    let table = match columns_of(kind) {
        Some(columns) => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|(_, pointer, _)| row.pointer(pointer).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            let headers: Vec<(String, Fit)> = columns
                .iter()
                .map(|(header, _, fit)| ((*header).to_owned(), *fit))
                .collect();
            layout(&headers, cells, width)
        }
        None if rows.len() == 1 => {
            let pairs: Vec<Vec<String>> = first
                .as_object()
                .into_iter()
                .flatten()
                .map(|(key, value)| vec![key.clone(), cell(value)])
                .collect();
            let headers = [
                ("FIELD".to_owned(), Fit::Keep),
                ("VALUE".to_owned(), Fit::Cut),
            ];
            layout(&headers, pairs, width)
        }
        None => {
            // Unknown kind: the top-level fields of the first row that are not nested objects;
            // ids keep their width.
            let keys: Vec<&String> = first
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(key, value)| *key != "object" && !value.is_object())
                .map(|(key, _)| key)
                .collect();
            let headers: Vec<(String, Fit)> = keys
                .iter()
                .map(|key| {
                    let fit = if *key == "id" || key.ends_with("Id") {
                        Fit::Keep
                    } else {
                        Fit::Cut
                    };
                    (key.to_uppercase(), fit)
                })
                .collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    keys.iter()
                        .map(|key| row.get(key.as_str()).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            layout(&headers, cells, width)
        }
    };
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The table without borders, two spaces between columns, one line per row.
fn layout(headers: &[(String, Fit)], rows: Vec<Vec<String>>, width: Option<u16>) -> Table {
    let one_line = |cells: Vec<Cell>| {
        let mut row = Row::from(cells);
        row.max_height(1);
        row
    };
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_truncation_indicator("…")
        // Cut anywhere, not only between words: a cut cell keeps as much as fits.
        .set_delimiter('\0')
        .set_header(one_line(
            headers
                .iter()
                .map(|(header, _)| Cell::new(header))
                .collect(),
        ));
    for row in rows {
        table.add_row(one_line(row.into_iter().map(Cell::new_owned).collect()));
    }
    match width {
        Some(width) => table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width),
        None => table.set_content_arrangement(ContentArrangement::Disabled),
    };
    let last = headers.len().saturating_sub(1);
    let content_widths = table.column_max_content_widths();
    for (index, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if index == last { 0 } else { 2 }));
        column.set_constraint(match headers.get(index).map(|(_, fit)| *fit) {
            Some(Fit::Cut) => ColumnConstraint::LowerBoundary(Width::Fixed(
                content_widths[index].min(MIN_CUT_WIDTH),
            )),
            _ => ColumnConstraint::ContentWidth,
        });
    }
    table
}
