//! Secrets Manager: the app's secret. ECS reads the values at task start; maestro reads them to
//! learn the keys, and hands them to the build (never to a log).

use aws_sdk_secretsmanager::Client;
use serde_json::{Map, Value};

use super::failure::{code, failure};
use crate::core::provision::observed::ObservedSecret;
use crate::error::Failure;

#[derive(Debug, Clone)]
pub struct Secrets(pub(crate) Client);

impl Secrets {
    pub async fn keys(&self, name: &str) -> Result<Option<ObservedSecret>, Failure> {
        Ok(self
            .object(name)
            .await?
            .map(|(arn, object)| ObservedSecret { arn, keys: object.into_iter().map(|(key, _)| key).collect() }))
    }

    /// The secret's ARN and its key/value object; `None` when it does not exist.
    pub async fn object(&self, name: &str) -> Result<Option<(String, Map<String, Value>)>, Failure> {
        let output = match self.0.get_secret_value().secret_id(name).send().await {
            Ok(output) => output,
            Err(error) if code(&error) == Some("ResourceNotFoundException") => return Ok(None),
            Err(error) => return Err(failure(&format!("read secret {name}"), &error)),
        };
        match output.secret_string().map(serde_json::from_str::<Map<String, Value>>) {
            Some(Ok(object)) => Ok(Some((output.arn().unwrap_or_default().to_owned(), object))),
            _ => Err(Failure::new(format!("secret {name} is not a JSON object of keys and values"))
                .hint("store the app's variables as key/value pairs (the console's \"Key/value\" tab), e.g. {\"DATABASE_URL\": \"...\"}")),
        }
    }
}
