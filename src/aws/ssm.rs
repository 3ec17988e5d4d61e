//! SSM Parameter Store, for the deploy lease and its queue: create-if-absent (its one atomic write: SSM has no
//! compare-and-set), read, list a folder, overwrite, delete; and for the release records: a new
//! version of one parameter, and its versions (`maestro_core::history`).

use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::{ParameterTier, ParameterType};

use super::failure::{code, failure};
use crate::error::Failure;

/// GetParameterHistory's largest page: "Valid Range: Minimum value of 1. Maximum value of 50."
/// (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameterHistory.html>)
const HISTORY_PAGE: i32 = 50;

#[derive(Debug, Clone)]
pub(crate) struct Ssm(pub(crate) Client);

impl Ssm {
    /// Creates `name` unless it exists; `false` when it does.
    pub(crate) async fn create(&self, name: &str, value: &str) -> Result<bool, Failure> {
        let result =
            self.0.put_parameter().name(name).value(value).r#type(ParameterType::String).overwrite(false).send().await;
        match result {
            Ok(_) => Ok(true),
            Err(error) if code(&error) == Some("ParameterAlreadyExists") => Ok(false),
            Err(error) => Err(failure(&format!("take the deploy lease {name}"), &error)),
        }
    }

    /// One parameter's value (the lease's tests read one generation).
    #[cfg(test)]
    pub(crate) async fn read(&self, name: &str) -> Result<Option<String>, Failure> {
        match self.0.get_parameter().name(name).send().await {
            Ok(output) => Ok(output.parameter().and_then(|parameter| parameter.value()).map(str::to_owned)),
            Err(error) if code(&error) == Some("ParameterNotFound") => Ok(None),
            Err(error) => Err(failure(&format!("read the deploy lease {name}"), &error)),
        }
    }

    /// Every parameter directly in `folder`, as (name, value), read to the last page.
    pub(crate) async fn list(&self, folder: &str) -> Result<Vec<(String, String)>, Failure> {
        self.list_under(folder, false).await
    }

    /// Every parameter in `folder` and its subfolders (the lease and its queue, in one read).
    pub(crate) async fn list_all(&self, folder: &str) -> Result<Vec<(String, String)>, Failure> {
        self.list_under(folder, true).await
    }

    async fn list_under(&self, folder: &str, recursive: bool) -> Result<Vec<(String, String)>, Failure> {
        let mut found = Vec::new();
        let mut next = None;
        loop {
            let page = self
                .0
                .get_parameters_by_path()
                .path(folder)
                .recursive(recursive)
                .set_next_token(next)
                .send()
                .await
                .map_err(|error| failure(&format!("read the deploy lease {folder}"), &error))?;
            for parameter in page.parameters() {
                if let (Some(name), Some(value)) = (parameter.name(), parameter.value()) {
                    found.push((name.to_owned(), value.to_owned()));
                }
            }
            next = page.next_token().map(str::to_owned);
            if next.is_none() {
                return Ok(found);
            }
        }
    }

    pub(crate) async fn overwrite(&self, name: &str, value: &str) -> Result<(), Failure> {
        self.0
            .put_parameter()
            .name(name)
            .value(value)
            .r#type(ParameterType::String)
            .overwrite(true)
            .send()
            .await
            .map(|_| ())
            .map_err(|error| failure(&format!("renew the deploy lease {name}"), &error))
    }

    pub(crate) async fn delete(&self, name: &str) -> Result<(), Failure> {
        match self.0.delete_parameter().name(name).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("ParameterNotFound") => Ok(()),
            Err(error) => Err(failure(&format!("release the deploy lease {name}"), &error)),
        }
    }

    /// Writes `value` as a new version of `name` (created when missing) and returns the version
    /// SSM gave it: a release's number.
    pub(crate) async fn put_version(&self, name: &str, value: &str) -> Result<u64, Failure> {
        let output = self
            .0
            .put_parameter()
            .name(name)
            .value(value)
            .r#type(ParameterType::String)
            .tier(ParameterTier::Standard)
            .overwrite(true)
            .send()
            .await
            .map_err(|error| failure(&format!("record the release in {name}"), &error))?;
        Ok(u64::try_from(output.version()).unwrap_or_default())
    }

    /// Every version SSM keeps of `name` (its newest 100), as (version, value), read to the last
    /// page; none when the parameter does not exist.
    pub(crate) async fn versions(&self, name: &str) -> Result<Vec<(u64, String)>, Failure> {
        let mut found = Vec::new();
        let mut next = None;
        loop {
            let result =
                self.0.get_parameter_history().name(name).max_results(HISTORY_PAGE).set_next_token(next).send().await;
            let page = match result {
                Ok(page) => page,
                Err(error) if code(&error) == Some("ParameterNotFound") => return Ok(Vec::new()),
                Err(error) => return Err(failure(&format!("read the releases in {name}"), &error)),
            };
            for version in page.parameters() {
                let number = u64::try_from(version.version()).unwrap_or_default();
                found.push((number, version.value().unwrap_or_default().to_owned()));
            }
            next = page.next_token().filter(|token| !token.is_empty()).map(str::to_owned);
            if next.is_none() {
                return Ok(found);
            }
        }
    }
}
