//! Keeping the values of sensitive properties out of messages: the values a response body
//! holds under any property the spec marks `x-gigs-sensitive`
//! ([`gigs_client::SENSITIVE_PROPERTIES`]), found by reading the body as text so that a body cut
//! off midway is searched too.

/// What replaces a sensitive value in a message (the generated types' `Debug` prints the same).
pub(crate) const PLACEHOLDER: &str = "[redacted]";

/// The sensitive values of one body, longest first.
#[derive(Debug, Default)]
pub(crate) struct Secrets(Vec<String>);

impl Secrets {
    /// Every string value that follows a sensitive property's name in `body`.
    pub(crate) fn in_body(body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        let mut found = Vec::new();
        for name in gigs_client::SENSITIVE_PROPERTIES {
            let key = format!("\"{name}\"");
            let mut rest = text.as_ref();
            while let Some(at) = rest.find(&key) {
                rest = &rest[at + key.len()..];
                let Some(value) = rest.trim_start().strip_prefix(':') else {
                    continue;
                };
                let Some(value) = value.trim_start().strip_prefix('"') else {
                    continue;
                };
                let raw = raw_string(value);
                // As written in the body, as decoded, and as a decoder's message quotes it.
                if let Ok(decoded) = serde_json::from_str::<String>(&format!("\"{raw}\"")) {
                    found.push(format!("{decoded:?}").trim_matches('"').to_owned());
                    found.push(decoded);
                }
                found.push(raw.to_owned());
            }
        }
        found.retain(|value| !value.is_empty());
        found.sort_by_key(|value| std::cmp::Reverse(value.len()));
        found.dedup();
        Self(found)
    }

    /// `text` with every sensitive value replaced by the placeholder.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.0 {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), PLACEHOLDER);
            }
        }
        text
    }
}

/// A JSON string's text up to its closing quote (or the end of a body cut off inside it).
fn raw_string(after_quote: &str) -> &str {
    let mut escaped = false;
    for (index, character) in after_quote.char_indices() {
        match character {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return &after_quote[..index],
            _ => escaped = false,
        }
    }
    after_quote
}

#[cfg(test)]
mod tests {
    use super::Secrets;

    #[test]
    fn values_of_sensitive_properties_are_found_and_replaced() {
        let body =
            br#"{"activationCode" : "LPA:1$a$b", "qrCodeUrl":"https://x/\"q\"", "sim": "sim_1",
            "accountNumber": "12345"#;
        let secrets = Secrets::in_body(body);
        let message = r#"invalid type: string "LPA:1$a$b", expected u64; https://x/"q" and "https://x/\"q\"" 12345 sim_1"#;
        assert_eq!(
            secrets.redact(message),
            r#"invalid type: string "[redacted]", expected u64; [redacted] and "[redacted]" [redacted] sim_1"#
        );
        assert_eq!(Secrets::in_body(b"not json").redact("same"), "same");
    }
}
