//! ECS services as `maestro previews` lists them: each one's `maestro:app` marker and task
//! counts, 10 per DescribeServices call (the API's limit), with their tags in the same call.

use super::ecs::Ecs;
use crate::error::Failure;
use maestro_core::preview::list::FoundService;
use maestro_core::provision::diff::MARKER_TAG_KEY;

impl Ecs {
    /// The ACTIVE ones of `names` in `cluster`, each with its marker and its running and desired
    /// task counts (none when the cluster does not exist).
    pub(crate) async fn service_counts(&self, cluster: &str, names: &[String]) -> Result<Vec<FoundService>, Failure> {
        let mut found = Vec::new();
        let Some(described) = self.described(cluster, names, true).await? else { return Ok(found) };
        for service in described.iter().filter(|service| service.status() == Some("ACTIVE")) {
            let marker = service.tags().iter().find(|tag| tag.key() == Some(MARKER_TAG_KEY));
            found.push(FoundService {
                name: service.service_name().unwrap_or_default().to_owned(),
                marker: marker.and_then(|tag| tag.value()).map(str::to_owned),
                running: u32::try_from(service.running_count()).unwrap_or_default(),
                desired: u32::try_from(service.desired_count()).unwrap_or_default(),
            });
        }
        Ok(found)
    }
}
