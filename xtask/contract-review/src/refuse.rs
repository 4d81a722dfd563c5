//! What is not a spec is refused before any comparison, with the file, line and reason: the
//! workspace's one validator ([`spec_model::validate::document_problems`]) and an `x-sunset`
//! (or `Sunset` header date) that is not a date, which only the review reads.

use spec_model::diagnostic::Diagnostics;
use spec_model::spec::SpecDocument;

/// Every problem of the document, all at once.
pub fn check(spec: &SpecDocument) -> Result<(), Diagnostics> {
    let mut problems = spec_model::validate::document_problems(spec);
    crate::lifecycle::check_sunsets(spec, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(problems))
    }
}
