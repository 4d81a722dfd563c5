//! Every command against the Prism mock of `openapi.yaml` (an independent validator, run with
//! `--errors`): a request that breaks the spec gets an error status, so each command must exit 0.
//! Skipped, with a notice, without the Node tools unless `GIGS_CONTRACT_TESTS=1` (as in CI).

use gigs_tests::prism;

use crate::commands::cases;
use crate::support::gigs;

#[test]
fn every_command_sends_a_request_prism_accepts() {
    let Some(prism) = prism::shared() else {
        return;
    };
    for case in cases() {
        let mut run = gigs(case.args)
            .env("GIGS_BASE_URL", &prism.base_url())
            .env("GIGS_PROJECT", "gigs");
        if let Some(stdin) = case.stdin {
            run = run.stdin(stdin);
        }
        let output = run.run_blocking();
        assert_eq!(
            output.code,
            0,
            "{:?} ({}) against Prism: {output:#?}\nPrism's log:\n{}",
            case.args,
            case.operation_id,
            prism.output()
        );
        let _ = output.json();
    }
}
