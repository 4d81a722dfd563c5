//! Plans: read-only, as seeded. List (filters `provider`, `simType`, `status` default
//! `available`) and retrieve (any status).

use gigs_client::types::{Plan, PlanList, PlanStatus};

use crate::error::ApiError;
use crate::generated::server_trait::requests;
use crate::params::PageRequest;
use crate::store::Store;

/// The plan's status; a plan seeded without one is available.
pub(crate) fn status(plan: &Plan) -> PlanStatus {
    plan.status.clone().unwrap_or(PlanStatus::Available)
}

pub(super) fn list(store: &mut Store, request: requests::ListPlans) -> Result<PlanList, ApiError> {
    let page = PageRequest::new(request.limit, request.after, request.before)?;
    let statuses = request.status.as_slice();
    let providers = request.provider.as_ref().map(|p| p.as_slice());
    let sim_types = request.sim_type.as_ref().map(|t| t.as_slice());
    let project = store.project(&request.project);
    let plans: Vec<&Plan> = project
        .plans
        .newest_first()
        .into_iter()
        .filter(|plan| statuses.contains(&status(plan)))
        .filter(|plan| {
            providers.is_none_or(|providers| {
                plan.provider
                    .as_ref()
                    .is_some_and(|provider| providers.contains(provider))
            })
        })
        // A plan matches when it takes any of the SIM types asked for.
        .filter(|plan| {
            sim_types.is_none_or(|types| plan.sim_types.iter().any(|t| types.contains(t)))
        })
        .collect();
    page.page(&plans).map(Into::into)
}

pub(super) fn retrieve(
    store: &mut Store,
    request: requests::RetrievePlan,
) -> Result<Plan, ApiError> {
    store
        .project(&request.project)
        .plans
        .get(&request.plan)
        .cloned()
        .ok_or_else(|| ApiError::not_found("plan", &request.plan))
}
