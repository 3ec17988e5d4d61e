//! Answers read with a cap: a server (or whoever answers a redirect, or a proxy) that sends an
//! endless body must not hold maestro's memory. Every answer maestro reads is small JSON.

/// The most bytes read of any answer: a GitHub page of 100 deployments is a few hundred KiB.
pub(crate) const MOST_BYTES: usize = 4 * 1024 * 1024;

/// Why an answer's body was not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BodyError {
    #[error("the answer's body is larger than {} KiB", .limit / 1024)]
    TooBig { limit: usize },
    #[error("{0}")]
    Read(#[from] reqwest::Error),
}

/// The body of `response`, up to `limit` bytes; more is an error, and is not read.
pub(crate) async fn read(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyError> {
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(BodyError::TooBig { limit });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooBig { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    // L7: an answer larger than the cap is an error naming the cap, whether its length is
    // announced or it is streamed.
    #[tokio::test]
    async fn a_body_over_the_cap_is_an_error() {
        let server = MockServer::start().await;
        Mock::given(path("/big"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'a'; 2048]))
            .mount(&server)
            .await;
        Mock::given(path("/small")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&server).await;
        let client = crate::http::client(std::time::Duration::from_secs(5)).unwrap();
        let get = |name: &str| client.get(format!("{}/{name}", server.uri())).send();
        let error = read(get("big").await.unwrap(), 1024).await.unwrap_err();
        assert_eq!(error.to_string(), "the answer's body is larger than 1 KiB");
        assert_eq!(read(get("small").await.unwrap(), 1024).await.unwrap(), b"{}");
    }

    // L7: a reporter's answer over the cap is a failed exchange (a warning), not read whole.
    #[tokio::test]
    async fn a_reporters_answer_over_the_cap_is_not_read() {
        use crate::reporters::http::{Http, Request};
        let server = MockServer::start().await;
        let endless = vec![b' '; MOST_BYTES + 1];
        Mock::given(path("/status"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(endless))
            .mount(&server)
            .await;
        let request = Request {
            method: reqwest::Method::GET,
            url: format!("{}/status", server.uri()),
            headers: Vec::new(),
            body: None,
        };
        let answer = Http::new(5).unwrap().send(&request, crate::http::Repeat::Safe).await;
        let failure = answer.expect_err("too big to read");
        assert_eq!(failure.0, "answered 200 OK, but the answer's body is larger than 4096 KiB");
    }
}
