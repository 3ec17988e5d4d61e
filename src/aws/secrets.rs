//! Secrets Manager: the app's secret. ECS reads the values at task start; maestro reads them to
//! learn the keys, and hands them to the build (never to a log).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_sdk_secretsmanager::Client;
use serde_json::{Map, Value};

use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::provision::observed::ObservedSecret;

/// The app's secret as read once in this run: the build and the observation of a deploy both
/// need it, and it is one call, not two.
type Read = Option<(String, Map<String, Value>)>;

#[derive(Clone)]
pub(crate) struct Secrets {
    client: Client,
    read: Arc<Mutex<BTreeMap<String, Read>>>,
}

/// Never the values read.
impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets").finish_non_exhaustive()
    }
}

impl Secrets {
    pub(crate) fn new(client: Client) -> Self {
        Self { client, read: Arc::default() }
    }

    pub(crate) async fn keys(&self, name: &str) -> Result<Option<ObservedSecret>, Failure> {
        Ok(self
            .object(name)
            .await?
            .map(|(arn, object)| ObservedSecret { arn, keys: object.into_iter().map(|(key, _)| key).collect() }))
    }

    /// The values of the secret's keys (none when it does not exist), as ECS hands them to the
    /// app: what must be masked and redacted wherever the app's or a build's output is relayed.
    pub(crate) async fn values(&self, name: &str) -> Result<Vec<String>, Failure> {
        let object = self.object(name).await?.map(|(_, object)| object).unwrap_or_default();
        Ok(object
            .into_iter()
            .map(|(_, value)| match value {
                Value::String(text) => text,
                other => other.to_string(),
            })
            .collect())
    }

    /// The secret's ARN, `None` when it does not exist: DescribeSecret, which reads no value
    /// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html).
    pub(crate) async fn arn(&self, name: &str) -> Result<Option<String>, Failure> {
        match self.client.describe_secret().secret_id(name).send().await {
            Ok(output) => Ok(Some(output.arn().unwrap_or_default().to_owned())),
            Err(error) if code(&error) == Some("ResourceNotFoundException") => Ok(None),
            Err(error) => Err(failure(&format!("read secret {name}"), &error)),
        }
    }

    /// The secret's ARN and its key/value object; `None` when it does not exist.
    pub(crate) async fn object(&self, name: &str) -> Result<Read, Failure> {
        if let Some(read) = self.read.lock().ok().and_then(|read| read.get(name).cloned()) {
            return Ok(read);
        }
        let read = self.get(name).await?;
        if let Ok(mut cache) = self.read.lock() {
            cache.insert(name.to_owned(), read.clone());
        }
        Ok(read)
    }

    async fn get(&self, name: &str) -> Result<Read, Failure> {
        let output = match self.client.get_secret_value().secret_id(name).send().await {
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
