//! SSM Parameter Store, for the deploy lease: create-if-absent (its one atomic write: SSM has no
//! compare-and-set), read, list a folder, overwrite, delete.

use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::ParameterType;

use super::failure::{code, failure};
use crate::error::Failure;

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
        let mut found = Vec::new();
        let mut next = None;
        loop {
            let page = self
                .0
                .get_parameters_by_path()
                .path(folder)
                .recursive(false)
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
}
