//! Scripted replies for users' tests (feature `test-util`): a client built on a [`Mock`]
//! sends nothing over the network; each call of an operation takes the next reply
//! scripted for it, and the mock keeps every input and HTTP request for inspection.

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::transport::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};
use crate::Operation;

/// The endpoint URL a mocked client's requests are addressed to (`.invalid` is reserved:
/// no such host can exist).
pub const MOCK_ENDPOINT: &str = "https://mock.invalid";

/// Replies scripted per operation, and what the client sent.
///
/// Script replies with [`output`](Self::output) (a typed output, returned as is),
/// [`error`](Self::error) (an error response with a code and message, read exactly as
/// the service's would be) and [`http`](Self::http) (any raw response). Each call takes
/// the operation's next reply, in the order they were scripted; a call with none left
/// fails with a [`Dispatch`](crate::SdkError::Dispatch) error naming the operation.
/// Retries happen as configured: a retryable error response followed by an output is a
/// call that succeeds on its second attempt.
///
/// Afterwards, [`inputs`](Self::inputs) returns an operation's inputs as the client sent
/// them (idempotency tokens filled in) and [`requests`](Self::requests) every HTTP
/// request, one per attempt. Clones share the script and the record.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    replies: HashMap<&'static str, VecDeque<Reply>>,
    inputs: Vec<(&'static str, Box<dyn Any + Send>)>,
    requests: Vec<(&'static str, HttpRequest)>,
}

enum Reply {
    Output(Box<dyn Any + Send>),
    Http(HttpResponse),
}

impl Mock {
    /// A mock with nothing scripted.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock left consistent data behind.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push<O: Operation>(&self, reply: Reply) -> &Self {
        self.state()
            .replies
            .entry(O::NAME)
            .or_default()
            .push_back(reply);
        self
    }

    /// The next call of `O` returns `output`.
    pub fn output<O: Operation>(&self, output: O::Output) -> &Self {
        self.push::<O>(Reply::Output(Box::new(output)))
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
        self.push::<O>(Reply::Http(response))
    }

    /// The inputs of every call of `O` so far, in order.
    pub fn inputs<O: Operation>(&self) -> Vec<O::Input> {
        self.state()
            .inputs
            .iter()
            .filter(|(name, _)| *name == O::NAME)
            .filter_map(|(_, input)| input.downcast_ref::<O::Input>().cloned())
            .collect()
    }

    /// Every HTTP request the client made so far (one per attempt), with the name of its
    /// operation, in order.
    pub fn requests(&self) -> Vec<(&'static str, HttpRequest)> {
        self.state().requests.clone()
    }

    /// A configuration answered by this mock: region `us-east-1`, endpoint
    /// [`MOCK_ENDPOINT`], retries without backoff, everything else at its default.
    /// Nothing reaches the network.
    pub fn config(&self) -> crate::Config {
        crate::Config::for_mock(self)
    }

    /// How many scripted replies no call has taken yet, for every operation.
    pub fn unused(&self) -> usize {
        self.state().replies.values().map(VecDeque::len).sum()
    }

    /// Records a call's input.
    pub(crate) fn record_input<O: Operation>(&self, input: &O::Input) {
        self.state().inputs.push((O::NAME, Box::new(input.clone())));
    }

    /// One attempt of `operation`: records the request and answers with its next reply.
    /// A typed output stays in the queue behind a stand-in 200 response, which
    /// [`take_output`](Self::take_output) swaps for it once the call is typed again.
    pub(crate) fn attempt(
        &self,
        operation: &'static str,
        request: HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        let mut state = self.state();
        state.requests.push((operation, request));
        let queue = state.replies.entry(operation).or_default();
        match queue.front() {
            Some(Reply::Output(_)) => {
                let mut headers = HeaderMap::new();
                headers.insert(TYPED_OUTPUT, HeaderValue::from_static("1"));
                Ok(HttpResponse {
                    status: 200,
                    headers,
                    body: Bytes::new(),
                })
            }
            Some(Reply::Http(_)) => match queue.pop_front() {
                Some(Reply::Http(response)) => Ok(response),
                _ => Err(no_reply(operation)),
            },
            None => Err(no_reply(operation)),
        }
    }

    /// The typed output a stand-in response stands for.
    pub(crate) fn take_output<O: Operation>(&self, response: &HttpResponse) -> Option<O::Output> {
        if !response.headers.contains_key(TYPED_OUTPUT) {
            return None;
        }
        let mut state = self.state();
        let queue = state.replies.get_mut(O::NAME)?;
        match queue.pop_front()? {
            Reply::Output(output) => output.downcast::<O::Output>().ok().map(|output| *output),
            other => {
                queue.push_front(other);
                None
            }
        }
    }
}

/// Marks the stand-in response of a typed output (never on a real response: only a
/// mocked client's attempts make it).
const TYPED_OUTPUT: HeaderName = HeaderName::from_static("x-awsgen-mock-typed-output");

fn no_reply(operation: &str) -> TransportError {
    TransportError::new(
        TransportErrorKind::Other,
        format!("mock: no reply scripted for {operation}"),
    )
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state();
        f.debug_struct("Mock")
            .field(
                "unused_replies",
                &state.replies.values().map(VecDeque::len).sum::<usize>(),
            )
            .field("calls", &state.inputs.len())
            .field("requests", &state.requests.len())
            .finish()
    }
}

/// The transport of a mocked configuration: never used, as the mock answers first.
#[derive(Debug)]
pub(crate) struct Unreachable;

impl crate::HttpTransport for Unreachable {
    fn send(&self, _request: HttpRequest) -> crate::TransportFuture<'_> {
        Box::pin(async {
            Err(TransportError::new(
                TransportErrorKind::Other,
                "a mocked client does not use the network",
            ))
        })
    }
}
