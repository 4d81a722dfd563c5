//! Fault injection: the next N calls of an operation answer an error status, wait, or lose
//! their connection, so that code using gigs can be tested for its retries and error handling.

use std::time::Duration;

use serde::Deserialize;

use crate::dispatch::operation_index;
use crate::generated::server_trait::OPERATIONS;
use crate::FakeError;

/// What an injected fault does to one call.
///
/// ```
/// use std::time::Duration;
/// use gigs_testing::Fault;
///
/// let rate_limited = Fault::status(429).retry_after(Duration::from_secs(1));
/// let slow = Fault::delay(Duration::from_millis(300));
/// let reset = Fault::drop_connection();
/// # let _ = (rate_limited, slow, reset);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer this status with the Gigs error body the reference shows for it (a 429 with a
    /// `Retry-After` header when `retry_after` is set), without running the operation.
    Status {
        /// The HTTP status, 400 to 599.
        status: u16,
        /// Sent as `Retry-After: <seconds>`.
        retry_after: Option<Duration>,
    },
    /// Wait this long, then run the operation and answer as usual.
    Delay(Duration),
    /// Close the connection without answering (the client sees a connection error).
    DropConnection,
}

impl Fault {
    /// An error status (400 to 599) instead of the answer.
    pub fn status(status: u16) -> Self {
        Self::Status {
            status,
            retry_after: None,
        }
    }

    /// Adds `Retry-After` (whole seconds) to a [`Fault::Status`]; other faults are unchanged.
    pub fn retry_after(self, wait: Duration) -> Self {
        match self {
            Self::Status { status, .. } => Self::Status {
                status,
                retry_after: Some(wait),
            },
            other => other,
        }
    }

    /// A delay before the usual answer.
    pub fn delay(delay: Duration) -> Self {
        Self::Delay(delay)
    }

    /// A connection closed without an answer.
    pub fn drop_connection() -> Self {
        Self::DropConnection
    }
}

/// Which calls a fault applies to: one operation (by operationId) or every one (`*`).
pub const ANY_OPERATION: &str = "*";

#[derive(Debug, Clone)]
struct Rule {
    operation: String,
    remaining: usize,
    fault: Fault,
}

/// The pending faults, applied first-in first-out.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<Rule>,
}

impl Faults {
    /// Queues `fault` for the next `times` calls of `operation` (an operationId or `*`).
    pub fn add(&mut self, operation: &str, times: usize, fault: Fault) -> Result<(), FakeError> {
        if operation != ANY_OPERATION && operation_index(OPERATIONS, operation).is_none() {
            return Err(FakeError::UnknownOperation(operation.to_owned()));
        }
        if let Fault::Status { status, .. } = fault {
            if !(400..=599).contains(&status) {
                return Err(FakeError::InvalidFault(format!(
                    "status {status} is not an error status (400 to 599)"
                )));
            }
        }
        if times > 0 {
            self.rules.push(Rule {
                operation: operation.to_owned(),
                remaining: times,
                fault,
            });
        }
        Ok(())
    }

    /// The fault for this call of `operation`, if one is pending (and counts it).
    pub fn take(&mut self, operation: &str) -> Option<Fault> {
        let index = self
            .rules
            .iter()
            .position(|rule| rule.operation == operation || rule.operation == ANY_OPERATION)?;
        let rule = &mut self.rules[index];
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        if rule.remaining == 0 {
            self.rules.remove(index);
        }
        Some(fault)
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }
}

/// A fault as the admin route reads it:
/// `{"operation": "retrieveSubscription", "times": 2, "status": 429, "retryAfter": 1}`,
/// `{"operation": "*", "delayMs": 500}` or `{"operation": "createDevice", "drop": true}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct FaultRequest {
    pub operation: String,
    #[serde(default = "one")]
    pub times: usize,
    pub status: Option<u16>,
    pub retry_after: Option<u64>,
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub drop: bool,
}

fn one() -> usize {
    1
}

impl FaultRequest {
    /// The fault it describes: exactly one of `status`, `delayMs` and `drop`.
    pub fn fault(&self) -> Result<Fault, FakeError> {
        match (self.status, self.delay_ms, self.drop) {
            (Some(status), None, false) => Ok(Fault::Status {
                status,
                retry_after: self.retry_after.map(Duration::from_secs),
            }),
            (None, Some(delay), false) if self.retry_after.is_none() => {
                Ok(Fault::Delay(Duration::from_millis(delay)))
            }
            (None, None, true) if self.retry_after.is_none() => Ok(Fault::DropConnection),
            _ => Err(FakeError::InvalidFault(
                "give exactly one of `status` (with an optional `retryAfter`), `delayMs` and \
                 `drop: true`"
                    .to_owned(),
            )),
        }
    }
}
