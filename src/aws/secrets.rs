//! Secrets Manager: the keys of the app's secret. The values are read by ECS at task start;
//! maestro reads them only to learn the keys and drops them at once.

use aws_sdk_secretsmanager::Client;

use super::failure::{code, failure};
use crate::core::provision::observed::ObservedSecret;
use crate::error::Failure;

#[derive(Debug, Clone)]
pub struct Secrets(pub(crate) Client);

impl Secrets {
    pub async fn keys(&self, name: &str) -> Result<Option<ObservedSecret>, Failure> {
        let output = match self.0.get_secret_value().secret_id(name).send().await {
            Ok(output) => output,
            Err(error) if code(&error) == Some("ResourceNotFoundException") => return Ok(None),
            Err(error) => return Err(failure(&format!("read the keys of secret {name}"), &error)),
        };
        let keys = match output.secret_string().map(serde_json::from_str::<serde_json::Map<String, serde_json::Value>>)
        {
            Some(Ok(object)) => object.into_iter().map(|(key, _)| key).collect(),
            _ => {
                return Err(Failure::new(format!("secret {name} is not a JSON object of keys and values"))
                    .hint("store the app's variables as key/value pairs (the console's \"Key/value\" tab), e.g. {\"DATABASE_URL\": \"...\"}"));
            }
        };
        Ok(Some(ObservedSecret { arn: output.arn().unwrap_or_default().to_owned(), keys }))
    }
}
