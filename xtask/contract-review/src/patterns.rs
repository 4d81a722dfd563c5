//! Patterns as regular languages. A JSON Schema `pattern` is an ECMA-262 regular expression
//! that must match somewhere in a string; where it is regular and reads the same in the `regex`
//! crate's syntax, the strings it allows form a regular language, and containment, emptiness
//! of an intersection and equality with a finite set of strings are decided on deterministic
//! automata (`regex-automata`'s dense DFAs, explored as a product, state pair by state pair)
//! instead of guessed. ECMA-262's own escapes are read as it reads them (`\s` its set of white
//! space, `\uXXXX` a code point). A pattern that is not regular (backreferences, look-around),
//! that validators read otherwise (`\b`, `\u{...}`, a lone surrogate), or whose automaton grows
//! too large, has no language here, and the engine says it cannot tell.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::{start, syntax};
use regex_automata::Anchored;

type Dfa = dense::DFA<Vec<u32>>;

/// Bytes an automaton may take while being built; beyond it the pattern has no language here.
const SIZE_LIMIT: usize = 1 << 20;
/// State tuples a product explores before it gives up.
const MAX_STATES: usize = 20_000;

thread_local! {
    static COMPILED: RefCell<HashMap<String, Option<Rc<Dfa>>>> = RefCell::new(HashMap::new());
}

/// ECMA-262's `\s`: WhiteSpace (tab, vertical tab, form feed, space, no-break space, the
/// byte order mark and the other space separators of Unicode) and LineTerminator.
const ECMA_SPACE: &str =
    "[\\t\\n\\x0B\\x0C\\r \\u{A0}\\u{1680}\\u{2000}-\\u{200A}\\u{2028}\\u{2029}\\u{202F}\\u{205F}\\u{3000}\\u{FEFF}]";
/// ECMA-262's `\S`: every other character.
const ECMA_NOT_SPACE: &str =
    "[^\\t\\n\\x0B\\x0C\\r \\u{A0}\\u{1680}\\u{2000}-\\u{200A}\\u{2028}\\u{2029}\\u{202F}\\u{205F}\\u{3000}\\u{FEFF}]";

/// The `regex` syntax of an ECMA-262 pattern where the two read it alike: `\d` and `\w` are
/// ASCII there, and `.` refuses every line terminator. `None` for what differs or is not
/// regular in either.
fn rust_syntax(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(character) = chars.next() {
        match character {
            '\\' => {
                let escaped = chars.next()?;
                match escaped {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str("[0-9A-Za-z_]"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    // ECMA-262's white space and line terminators, a fixed set (the `regex`
                    // crate's `\s` is Unicode's White_Space, another one).
                    's' => out.push_str(ECMA_SPACE),
                    'S' => out.push_str(ECMA_NOT_SPACE),
                    // A code point by four hexadecimal digits; a lone surrogate half has no
                    // meaning in a JSON string's UTF-8.
                    'u' => {
                        let digits: String = chars.by_ref().take(4).collect();
                        let code = u32::from_str_radix(&digits, 16).ok()?;
                        if digits.len() != 4
                            || !digits.chars().all(|digit| digit.is_ascii_hexdigit())
                            || (0xD800..=0xDFFF).contains(&code)
                        {
                            return None;
                        }
                        out.push_str(&format!("\\u{{{digits}}}"));
                    }
                    // The same in both: control characters and hexadecimal escapes.
                    'n' | 'r' | 't' | 'f' | 'v' | 'x' => {
                        out.push('\\');
                        out.push(escaped);
                    }
                    // Any other letter or digit reads otherwise: `\b` is a word boundary by
                    // ASCII `\w` in ECMA-262 (a backspace in a class) but by Unicode's, or refused,
                    // in validators built on other engines (the `jsonschema` crate); `\B`, `\c`,
                    // `\k` and `\p` are other escapes in one of them; `\a`, `\z` and `\A` are
                    // literal letters in ECMA-262's Annex B; `\1` is a backreference.
                    other if other.is_ascii_alphanumeric() => return None,
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            // Set operations inside a class are the `regex` crate's alone.
            '&' | '-' | '~' if in_class && chars.clone().next() == Some(character) => return None,
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // `[]` and `[^]` mean other things in ECMA-262.
                let mut rest = chars.clone();
                let first = rest.next();
                if first == Some(']') || (first == Some('^') && rest.next() == Some(']')) {
                    return None;
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '[' => out.push_str("\\["),
            '.' if !in_class => out.push_str("[^\\n\\r\\u{2028}\\u{2029}]"),
            // Look-around, named groups and flags read otherwise.
            '(' if !in_class && chars.clone().next() == Some('?') => {
                let mut rest = chars.clone();
                rest.next();
                if rest.next() != Some(':') {
                    return None;
                }
                out.push('(');
            }
            other => out.push(other),
        }
    }
    (!in_class).then_some(out)
}

/// The automaton of the strings in which `pattern` finds a match, read whole (anchored at
/// the start, matching at the end of input).
fn compile(pattern: &str) -> Option<Rc<Dfa>> {
    COMPILED.with(|compiled| {
        if let Some(known) = compiled.borrow().get(pattern) {
            return known.clone();
        }
        let built =
            rust_syntax(pattern).and_then(|syntax| whole(&format!("(?s:.)*(?:{syntax})(?s:.)*")));
        compiled
            .borrow_mut()
            .insert(pattern.to_owned(), built.clone());
        built
    })
}

/// The automaton that accepts exactly the strings `regex` matches whole.
fn whole(regex: &str) -> Option<Rc<Dfa>> {
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .dfa_size_limit(Some(SIZE_LIMIT))
                .determinize_size_limit(Some(SIZE_LIMIT)),
        )
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .build(regex)
        .ok()?;
    Some(Rc::new(dfa))
}

/// Every valid UTF-8 string: the strings a JSON document can hold.
fn strings() -> Option<Rc<Dfa>> {
    compile("")
}

/// The automata of a set of patterns that a string must all match; `None` when one has no
/// language here.
pub struct Language(Vec<Rc<Dfa>>);

impl Language {
    pub fn of<'p>(patterns: impl IntoIterator<Item = &'p str>) -> Option<Language> {
        let mut automata = vec![strings()?];
        for pattern in patterns {
            automata.push(compile(pattern)?);
        }
        Some(Language(automata))
    }

    /// Exactly the strings of `values`.
    pub fn literals<'v>(values: impl IntoIterator<Item = &'v str>) -> Option<Language> {
        let alternatives: Vec<String> = values.into_iter().map(regex::escape).collect();
        if alternatives.is_empty() {
            // No string at all: a pattern no string matches.
            return Some(Language(vec![whole("[a&&b]")?]));
        }
        Some(Language(vec![whole(&format!(
            "(?:{})",
            alternatives.join("|")
        ))?]))
    }
}

impl Language {
    /// These strings, of `least` to `most` characters (`most` unbounded when `None`); `None`
    /// when the automaton of the lengths grows past its limit.
    pub fn with_lengths(mut self, least: u64, most: Option<u64>) -> Option<Language> {
        let most = most.map_or_else(String::new, |most| most.to_string());
        let lengths = format!("(?s:.){{{least},{most}}}");
        let dfa = COMPILED.with(|compiled| {
            // Kept beside the patterns' automata, under a key no JSON Schema pattern is.
            let key = format!("\0lengths {lengths}");
            if let Some(known) = compiled.borrow().get(&key) {
                return known.clone();
            }
            let built = whole(&lengths);
            compiled.borrow_mut().insert(key, built.clone());
            built
        })?;
        self.0.push(dfa);
        Some(self)
    }
}

/// Whether `text` is a string `pattern` allows; `None` when the pattern has no language here.
pub fn matches(pattern: &str, text: &str) -> Option<bool> {
    let dfa = compile(pattern)?;
    let mut state = start(&dfa)?;
    for byte in text.bytes() {
        state = dfa.next_state(state, byte);
    }
    Some(dfa.is_match_state(dfa.next_eoi_state(state)))
}

/// Whether no string is in the language; `None` when the automata grow past their limits.
pub fn is_empty(language: &Language) -> Option<bool> {
    witness(&language.0, &[]).map(|found| !found)
}

/// Whether two patterns allow the same strings.
pub fn same_language(a: &str, b: &str) -> Option<bool> {
    if a == b {
        return Some(true);
    }
    let (a, b) = (Language::of([a])?, Language::of([b])?);
    Some(contained(&a, &b)? && contained(&b, &a)?)
}

fn start(dfa: &Dfa) -> Option<StateID> {
    dfa.start_state(&start::Config::new().anchored(Anchored::Yes))
        .ok()
}

/// Whether some string is in all of `all` and not in all of `not_all` (`not_all` empty: in
/// all of `all`); `None` when the product grows past its limit.
fn witness(all: &[Rc<Dfa>], not_all: &[Rc<Dfa>]) -> Option<bool> {
    let automata: Vec<&Dfa> = all.iter().chain(not_all).map(|dfa| dfa.as_ref()).collect();
    let first: Vec<StateID> = automata
        .iter()
        .map(|dfa| start(dfa))
        .collect::<Option<_>>()?;
    let accepts = |dfa: &Dfa, state: StateID| dfa.is_match_state(dfa.next_eoi_state(state));
    let mut seen: HashSet<Vec<StateID>> = HashSet::new();
    let mut queue = VecDeque::new();
    seen.insert(first.clone());
    queue.push_back(first);
    while let Some(states) = queue.pop_front() {
        let (ours, theirs) = states.split_at(all.len());
        let in_all = ours
            .iter()
            .zip(&automata)
            .all(|(state, dfa)| accepts(dfa, *state));
        let in_others = !not_all.is_empty()
            && theirs
                .iter()
                .zip(&automata[all.len()..])
                .all(|(state, dfa)| accepts(dfa, *state));
        if in_all && !in_others {
            return Some(true);
        }
        for byte in 0..=255u8 {
            let next: Vec<StateID> = states
                .iter()
                .zip(&automata)
                .map(|(state, dfa)| dfa.next_state(*state, byte))
                .collect();
            // Once one of `all` refuses every continuation, nothing further is a witness.
            if next[..all.len()]
                .iter()
                .zip(&automata)
                .any(|(state, dfa)| dfa.is_dead_state(*state))
            {
                continue;
            }
            if seen.insert(next.clone()) {
                if seen.len() > MAX_STATES {
                    return None;
                }
                queue.push_back(next);
            }
        }
    }
    Some(false)
}

/// Whether every string of `inner` is in `outer`.
pub fn contained(inner: &Language, outer: &Language) -> Option<bool> {
    // A string missing from one of `outer`'s automata is a witness: try each alone, which
    // keeps the products small.
    for dfa in &outer.0 {
        if witness(&inner.0, std::slice::from_ref(dfa))? {
            return Some(false);
        }
    }
    Some(true)
}

/// Whether no string is in both.
pub fn disjoint(a: &Language, b: &Language) -> Option<bool> {
    let both: Vec<Rc<Dfa>> = a.0.iter().chain(&b.0).cloned().collect();
    witness(&both, &[]).map(|found| !found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `text` is in the language: every automaton ends in a match.
    fn accepts(language: &Language, text: &str) -> bool {
        language.0.iter().all(|dfa| {
            let mut state = start(dfa).unwrap();
            for byte in text.bytes() {
                state = dfa.next_state(state, byte);
            }
            dfa.is_match_state(dfa.next_eoi_state(state))
        })
    }

    /// The escapes ECMA-262 reads its own way (`\s`, `\S`, `\b`, `\u`), against a JSON Schema
    /// 2020-12 validator's `pattern` on every string of up to three characters from an alphabet
    /// of the characters where the two readings could part (ECMA-262 and Unicode white space,
    /// word and non-word characters, backspace).
    #[test]
    fn ecma_262_escapes_read_as_the_validator_reads_them() {
        let alphabet = [
            "a", "Z", "0", "_", "-", " ", "\t", "\n", "\u{b}", "\u{8}", "\u{a0}", "\u{85}",
            "\u{2028}", "\u{feff}", "\u{180e}", "\u{3000}", "é",
        ];
        let mut samples = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = samples
                .iter()
                .filter(|sample| sample.chars().count() == samples.last().unwrap().chars().count())
                .flat_map(|sample| alphabet.iter().map(move |c| format!("{sample}{c}")))
                .collect();
            samples.extend(longer);
        }
        let patterns = [
            "^\\S+$",
            "\\s",
            "^a\\s?Z$",
            "^[\\s\\d]+$",
            "^[^\\s]*$",
            "^[\\S_]$",
            "^\\u0061+$",
            "^[\\u00e0-\\u00ff]",
            "^\\S*\\s\\S*$",
        ];
        let mut compared = 0;
        for pattern in patterns {
            let language =
                Language::of([pattern]).unwrap_or_else(|| panic!("{pattern} has no language"));
            let validator = jsonschema::draft202012::new(
                &serde_json::json!({"type": "string", "pattern": pattern}),
            )
            .unwrap_or_else(|error| panic!("{pattern}: {error}"));
            for sample in &samples {
                assert_eq!(
                    accepts(&language, sample),
                    validator.is_valid(&serde_json::json!(sample)),
                    "{pattern} on {sample:?}"
                );
                compared += 1;
            }
        }
        // Nine patterns, each on the 5,220 strings of up to three characters.
        assert_eq!(compared, 9 * 5_220);
    }

    fn language(patterns: &[&str]) -> Language {
        Language::of(patterns.iter().copied()).unwrap()
    }

    #[test]
    fn containment_and_overlap_of_patterns_are_decided() {
        assert_eq!(
            contained(&language(&["^ab"]), &language(&["^a"])),
            Some(true)
        );
        assert_eq!(
            contained(&language(&["^a"]), &language(&["^ab"])),
            Some(false)
        );
        assert_eq!(
            contained(&language(&["^\\d{3}$"]), &language(&["^[0-9]+$"])),
            Some(true)
        );
        assert_eq!(contained(&language(&[]), &language(&[".*"])), Some(true));
        assert_eq!(
            contained(&language(&["b"]), &language(&["^.*b"])),
            Some(false),
            "a line break before b"
        );
        assert_eq!(disjoint(&language(&["^a"]), &language(&["^b"])), Some(true));
        assert_eq!(
            disjoint(&language(&["^a"]), &language(&["b$"])),
            Some(false)
        );
        let set = Language::literals(["sim", "esim"]).unwrap();
        let nothing = Language::literals([]).unwrap();
        assert_eq!(contained(&language(&["^a$"]), &nothing), Some(false));
        assert_eq!(
            contained(
                &Language::literals(["a.b"]).unwrap(),
                &language(&["^a\\.b$"])
            ),
            Some(true)
        );
        assert_eq!(contained(&language(&["^e?sim$"]), &set), Some(true));
        assert_eq!(contained(&language(&["^e*sim$"]), &set), Some(false));
    }

    #[test]
    fn patterns_that_read_otherwise_in_ecma_262_have_no_language() {
        for pattern in [
            "(?=a)",
            "(a)\\1",
            "\\Bword",
            "\\bword",
            "[\\b]",
            "[]",
            "(?<name>a)",
            "\\uD83D\\uDE00",
            "\\u{41}",
            "\\a",
            "a\\z",
            "[a&&b]",
            "[a--b]",
        ] {
            assert!(Language::of([pattern]).is_none(), "{pattern}");
        }
        assert!(Language::of(["^[\\d.]+$"]).is_some());
    }
}
