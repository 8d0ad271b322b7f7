//! Scripted replies for users' tests (feature `test-util`): a [`Mock`] is an
//! [`HttpTransport`] that answers each call of an operation with
//! the next reply scripted for it and keeps every request. Typed outputs are written as
//! the service would send them and typed inputs read back from the requests, by code
//! generated for each operation ([`MockOperation`]), so a mocked call goes through the
//! same serialization, signing, retries and parsing as a real one.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use percent_encoding::percent_decode_str;

use crate::protocol::{ParseError, RequestError};
use crate::transport::{
    HttpRequest, HttpResponse, HttpTransport, TransportError, TransportErrorKind, TransportFuture,
};
use crate::{Config, ConfigBuilder, Credentials, Operation};

/// The endpoint URL a mocked client's requests are addressed to (`.invalid` is reserved:
/// no such host can exist).
pub const MOCK_ENDPOINT: &str = "https://mock.invalid";

/// What generated code provides for each operation so that a [`Mock`] can script its
/// outputs and read back its inputs.
#[doc(hidden)]
pub trait MockOperation: Operation {
    /// The successful response the service would send for `output`: its status, headers
    /// and body as the model binds them.
    fn output_response(output: &Self::Output) -> Result<HttpResponse, RequestError>;

    /// The input a request of this operation carries (the inverse of
    /// [`Operation::request`]).
    fn read_input(request: &HttpRequest) -> Result<Self::Input, ParseError>;
}

/// Replies scripted per operation, and what the client sent: an
/// [`HttpTransport`] for tests.
///
/// Script replies with [`output`](Self::output) (a typed output, sent as the service
/// would send it), [`error`](Self::error) (an error response with a code and message)
/// and [`http`](Self::http) (any raw response). Each call takes the operation's next
/// reply, in the order they were scripted; a call with none left fails with a
/// [`Dispatch`](crate::SdkError::Dispatch) error naming the operation. Retries happen
/// as configured: a retryable error response followed by an output is a call that
/// succeeds on its second attempt.
///
/// Afterwards, [`inputs`](Self::inputs) returns an operation's inputs as the client sent
/// them (idempotency tokens filled in), read back from the requests, and
/// [`requests`](Self::requests) every HTTP request, one per attempt. Clones share the
/// script and the record.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// Per operation, the replies not taken yet: a response, or why a scripted output
    /// could not be written as one (the call fails with it).
    replies: HashMap<&'static str, VecDeque<Result<HttpResponse, String>>>,
    requests: Vec<(&'static str, HttpRequest)>,
}

/// What a request that is not an operation's call is recorded under.
const NOT_AN_OPERATION: &str = "(not an operation)";

impl Mock {
    /// A mock with nothing scripted.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock left consistent data behind.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push<O: Operation>(&self, reply: Result<HttpResponse, String>) -> &Self {
        self.state()
            .replies
            .entry(O::NAME)
            .or_default()
            .push_back(reply);
        self
    }

    /// The next call of `O` gets `output`, as the service would send it. An output that
    /// cannot be sent (a header value with a line break) makes that call fail, saying
    /// why.
    pub fn output<O: MockOperation>(&self, output: O::Output) -> &Self {
        let reply = O::output_response(&output).map_err(|error| {
            format!(
                "mock: the {} output scripted cannot be sent: {error}",
                O::NAME
            )
        });
        self.push::<O>(reply)
    }

    /// The next call of `O` gets an error response: HTTP `status`, error `code` (such as
    /// `ThrottlingException`, which becomes that modeled error) and `message`.
    pub fn error<O: Operation>(&self, status: u16, code: &str, message: &str) -> &Self {
        let body = serde_json::json!({ "message": message }).to_string();
        self.http::<O>(status, &[("x-amzn-ErrorType", code)], body)
    }

    /// The next call of `O` gets this HTTP response. Header names or values that HTTP
    /// does not allow are left out.
    pub fn http<O: Operation>(
        &self,
        status: u16,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> &Self {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            if let (Ok(name), Ok(value)) =
                (HeaderName::try_from(*name), HeaderValue::try_from(*value))
            {
                map.append(name, value);
            }
        }
        let response = HttpResponse {
            status,
            headers: map,
            body: body.into(),
        };
        self.push::<O>(Ok(response))
    }

    /// The inputs of every call of `O` so far, in order, read back from the requests
    /// (one per call: the retries of a call carry its invocation id).
    ///
    /// # Panics
    ///
    /// When a request does not read back as an input, which would be a bug in the
    /// generated code: the panic says which request and why.
    pub fn inputs<O: MockOperation>(&self) -> Vec<O::Input> {
        let state = self.state();
        let mut calls = HashSet::new();
        state
            .requests
            .iter()
            .filter(|(operation, _)| *operation == O::NAME)
            .map(|(_, request)| request)
            .filter(
                |request| match request.headers.get("amz-sdk-invocation-id") {
                    Some(id) => calls.insert(id.clone()),
                    None => true,
                },
            )
            .enumerate()
            .map(|(call, request)| match O::read_input(request) {
                Ok(input) => input,
                Err(error) => panic!(
                    "mock: call {} of {} does not read back as its input: {error}",
                    call + 1,
                    O::NAME
                ),
            })
            .collect()
    }

    /// Every HTTP request the client made so far (one per attempt), with the name of its
    /// operation, in order.
    pub fn requests(&self) -> Vec<(&'static str, HttpRequest)> {
        self.state().requests.clone()
    }

    /// How many scripted replies no call has taken yet, for every operation.
    pub fn unused(&self) -> usize {
        self.state().replies.values().map(VecDeque::len).sum()
    }

    /// A configuration answered by this mock, with every other setting as
    /// [`config_builder`](Self::config_builder) leaves it.
    pub fn config(&self) -> Config {
        match self.config_builder().build() {
            Ok(config) => config,
            // Nothing in the builder's settings can be refused (a test checks).
            Err(error) => unreachable!("the mock's own settings are valid: {error}"),
        }
    }

    /// A configuration builder answered by this mock: this transport, region
    /// `us-east-1`, endpoint [`MOCK_ENDPOINT`], retries without backoff, and
    /// credentials that sign but are no one's. Anything else can be set before `build()`
    /// (`max_attempts`, timeouts, validation, …); nothing reaches the network.
    pub fn config_builder(&self) -> ConfigBuilder {
        Config::builder()
            .region("us-east-1")
            .endpoint_url(MOCK_ENDPOINT)
            .backoff(Duration::ZERO, Duration::ZERO)
            .credentials(Credentials::new("AKIDMOCK", "mock-secret-access-key"))
            .http_transport(self.clone())
    }

    /// Records `request` and takes its operation's next reply.
    fn answer(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let operation = request.operation.unwrap_or(NOT_AN_OPERATION);
        let mut state = self.state();
        state.requests.push((operation, request));
        let reply = state
            .replies
            .get_mut(operation)
            .and_then(VecDeque::pop_front);
        match reply {
            Some(Ok(response)) => Ok(response),
            Some(Err(problem)) => Err(TransportError::new(TransportErrorKind::Other, problem)),
            None => Err(TransportError::new(
                TransportErrorKind::Other,
                format!("mock: no reply scripted for {operation}"),
            )),
        }
    }
}

impl HttpTransport for Mock {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let reply = self.answer(request);
        Box::pin(async move { reply })
    }
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        f.debug_struct("Mock")
            .field(
                "unused_replies",
                &state.replies.values().map(VecDeque::len).sum::<usize>(),
            )
            .field("requests", &state.requests.len())
            .finish()
    }
}

/// The 200 response whose body is `output`'s JSON object, for an output that is all
/// body members.
#[doc(hidden)]
pub fn json_response<T: crate::wire::ToJson>(output: &T) -> Result<HttpResponse, RequestError> {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(HttpResponse {
        status: 200,
        headers,
        body: crate::wire::json_body(output)?,
    })
}

/// The empty 200 response of an output without members.
#[doc(hidden)]
pub fn empty_response() -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: HeaderMap::new(),
        body: Bytes::new(),
    }
}

/// The path of a request URL, or its host, read against an operation's URI template:
/// literals must match, labels are read up to what follows them.
#[doc(hidden)]
#[derive(Debug)]
pub struct PathReader<'a> {
    rest: &'a str,
}

impl<'a> PathReader<'a> {
    /// The path of `url` (without its query).
    pub fn path(url: &'a str) -> Self {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = after_scheme
            .find('/')
            .map_or("", |start| &after_scheme[start..]);
        let rest = path.split(['?', '#']).next().unwrap_or("");
        PathReader { rest }
    }

    /// The host of `url`.
    pub fn host(url: &'a str) -> Self {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let rest = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
        PathReader { rest }
    }

    /// Reads `text`, which must come next.
    pub fn literal(&mut self, text: &str) -> Result<(), ParseError> {
        match self.rest.strip_prefix(text) {
            Some(rest) => {
                self.rest = rest;
                Ok(())
            }
            None => Err(ParseError::Path(format!(
                "the path does not go on with {text:?} where the operation's URI does"
            ))),
        }
    }

    /// Reads a label's value, decoded: up to `next` (the literal after it, if any); a
    /// one-segment label also stops at `/`.
    pub fn label(
        &mut self,
        next: Option<&str>,
        label: crate::protocol::Label,
        member: &'static str,
    ) -> Result<String, ParseError> {
        let end = match (label, next) {
            (crate::protocol::Label::Greedy, Some(next)) => self.rest.rfind(next),
            (crate::protocol::Label::Greedy, None) => Some(self.rest.len()),
            (crate::protocol::Label::Segment, next) => {
                let segment = self.rest.find('/').unwrap_or(self.rest.len());
                match next {
                    Some(next) if !next.starts_with('/') => self.rest[..segment].find(next),
                    _ => Some(segment),
                }
            }
        };
        let raw = match end {
            Some(end) if end > 0 => &self.rest[..end],
            _ => {
                return Err(ParseError::Path(format!(
                    "the path holds no value for the URI label {member}"
                )))
            }
        };
        self.rest = &self.rest[raw.len()..];
        percent_decode_str(raw)
            .decode_utf8()
            .map(|value| value.into_owned())
            .map_err(|_| ParseError::label(member, "UTF-8 text"))
    }

    /// Checks that the whole path was read.
    pub fn end(&self) -> Result<(), ParseError> {
        if self.rest.is_empty() {
            return Ok(());
        }
        Err(ParseError::Path(format!(
            "the path goes on with {:?} after the operation's URI",
            self.rest
        )))
    }
}

/// A request URL's query parameters, decoded, in order.
#[doc(hidden)]
#[derive(Debug)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// The parameters of `url`.
    pub fn new(url: &str) -> Self {
        let query = url
            .split_once('?')
            .map_or("", |(_, query)| query.split('#').next().unwrap_or(""));
        let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
        let pairs = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) => (decode(name), decode(value)),
                None => (decode(pair), String::new()),
            })
            .collect();
        Query { pairs }
    }

    /// The first value of parameter `name`.
    pub fn first<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        self.all(name).next()
    }

    /// Every value of parameter `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The parameters not named in `named` (a map member's entries).
    pub fn others<'a>(&'a self, named: &'a [&str]) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.pairs
            .iter()
            .filter(move |(key, _)| !named.contains(&key.as_str()))
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }
}

/// A request as it was before `requestcompression` gzipped its body: the body
/// decompressed, and `gzip` taken off the end of its `Content-Encoding`.
#[doc(hidden)]
#[cfg(feature = "compression")]
pub fn decompressed(request: &HttpRequest) -> Result<HttpRequest, ParseError> {
    use std::io::Read;
    let encoding = request.header("content-encoding").unwrap_or("");
    let Some(before) = encoding
        .trim_end()
        .strip_suffix("gzip")
        .map(|rest| rest.trim_end().trim_end_matches(',').trim_end())
    else {
        return Ok(request.clone());
    };
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(&request.body[..])
        .read_to_end(&mut body)
        .map_err(|e| ParseError::Body(format!("the gzipped body does not decompress: {e}")))?;
    let mut original = request.clone();
    original.body = Bytes::from(body);
    match HeaderValue::try_from(before) {
        Ok(value) if !before.is_empty() => {
            original
                .headers
                .insert(http::header::CONTENT_ENCODING, value);
        }
        _ => {
            original.headers.remove(http::header::CONTENT_ENCODING);
        }
    }
    Ok(original)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Label;

    #[test]
    fn a_path_reads_back_its_labels() {
        let mut path = PathReader::path("https://h.invalid/things/a%2Fb/x/y.json?k=v");
        path.literal("/things/").unwrap();
        let id = path.label(Some("/"), Label::Segment, "Id").unwrap();
        path.literal("/").unwrap();
        let key = path.label(Some(".json"), Label::Greedy, "Key").unwrap();
        path.literal(".json").unwrap();
        path.end().unwrap();
        assert_eq!((id.as_str(), key.as_str()), ("a/b", "x/y"));
    }

    #[test]
    fn a_path_that_does_not_fit_says_where() {
        let mut path = PathReader::path("https://h.invalid/other/1");
        let error = path.literal("/things/").unwrap_err();
        assert!(error.to_string().contains("\"/things/\""), "{error}");
        let mut path = PathReader::path("https://h.invalid/things/");
        path.literal("/things/").unwrap();
        let error = path.label(None, Label::Segment, "Id").unwrap_err();
        assert!(error.to_string().contains("Id"), "{error}");
        let mut path = PathReader::path("https://h.invalid/things/1/more");
        path.literal("/things/").unwrap();
        path.label(None, Label::Segment, "Id").unwrap();
        assert!(path.end().unwrap_err().to_string().contains("/more"));
    }

    #[test]
    fn a_host_prefix_reads_back() {
        let mut host = PathReader::host("https://acct-1.data.mock.invalid/x");
        let account = host.label(Some("."), Label::Segment, "AccountId").unwrap();
        host.literal(".data.").unwrap();
        assert_eq!(account, "acct-1");
    }

    #[test]
    fn query_parameters_are_decoded_and_kept_in_order() {
        let query = Query::new("https://h.invalid/p?a=1&b=x%20y&a=2&flag&c=%26");
        assert_eq!(query.first("b"), Some("x y"));
        assert_eq!(query.all("a").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(query.first("flag"), Some(""));
        let others: Vec<_> = query.others(&["a", "b"]).collect();
        assert_eq!(others, [("flag", ""), ("c", "&")]);
    }

    #[test]
    fn the_mock_settings_build() {
        let config = Mock::new().config();
        assert_eq!(config.endpoint_url(), Some(MOCK_ENDPOINT));
        assert_eq!(config.retry().initial_backoff, Duration::ZERO);
    }
}
