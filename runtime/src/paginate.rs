//! Paginators: a paginated operation's calls as a stream of pages (and of the items on
//! them), each call carrying the token the previous page returned.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::{ClientHandle, Operation, SdkError};

/// An operation whose results continue on the next call: how a page's token is read and
/// the next request's set. Implemented by generated code.
#[doc(hidden)]
pub trait Paginated: Operation<Input: Clone + Send + 'static, Output: Send, Error: Send>
where
    Self: 'static,
{
    /// Puts the token of the page to fetch into the input.
    fn set_token(input: &mut Self::Input, token: Option<String>);
    /// The token of the next page, if the service returned one.
    fn next_token(output: &Self::Output) -> Option<&str>;
}

/// A paginated operation with a page-size member.
#[doc(hidden)]
pub trait PageSize: Paginated {
    /// Sets the largest number of results a page may have.
    fn set_page_size(input: &mut Self::Input, size: i32);
}

/// A paginated operation with one list of results per page.
#[doc(hidden)]
pub trait PageItems: Paginated {
    /// The type of the results.
    type Item;
    /// Takes the page's results.
    fn items(output: Self::Output) -> Vec<Self::Item>;
}

type Call<O> = Pin<
    Box<
        dyn Future<Output = Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>>>
            + Send,
    >,
>;

/// The pages of a paginated operation, fetched one call at a time as they are read.
///
/// Each call sends the input the paginator was made from, with the token the previous
/// page returned. The stream ends after the page without a token (or with an empty one),
/// after a page whose token was already used (a service that repeats itself would
/// otherwise be called forever), or after an error, which it yields first. Read it with
/// [`next`](Self::next), or as a [`Stream`]; [`items`](Self::items) gives the results one
/// by one instead of by page.
pub struct Paginator<O: Paginated> {
    client: ClientHandle,
    input: O::Input,
    /// The token of the next call: `None` before the first.
    token: Option<String>,
    used: HashSet<String>,
    call: Option<Call<O>>,
    done: bool,
}

impl<O: Paginated> Paginator<O> {
    #[doc(hidden)]
    pub fn new(client: ClientHandle, input: O::Input) -> Self {
        Paginator {
            client,
            input,
            token: None,
            used: HashSet::new(),
            call: None,
            done: false,
        }
    }

    /// The next page: `None` once the stream has ended.
    pub async fn next(&mut self) -> Option<Result<O::Output, SdkError<O::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The results of every page, one by one.
    pub fn items(self) -> Items<O>
    where
        O: PageItems,
    {
        Items {
            pages: self,
            buffered: VecDeque::new(),
        }
    }

    /// Asks for pages of at most `size` results (the operation's limit member, set on
    /// every call).
    pub fn page_size(mut self, size: i32) -> Self
    where
        O: PageSize,
    {
        O::set_page_size(&mut self.input, size);
        self
    }

    fn start_call(&mut self) -> Call<O> {
        let mut input = self.input.clone();
        O::set_token(&mut input, self.token.clone());
        let client = self.client.clone();
        Box::pin(async move { client.invoke::<O>(input).await })
    }

    /// Reads the token a page returned: the next call's, unless the stream ends here.
    fn follow(&mut self, output: &O::Output) {
        match O::next_token(output).filter(|token| !token.is_empty()) {
            None => self.done = true,
            Some(token) if !self.used.insert(token.to_owned()) => {
                tracing::warn!(
                    operation = O::NAME,
                    "the service returned a page token it had already returned; stopping"
                );
                self.done = true;
            }
            Some(token) => self.token = Some(token.to_owned()),
        }
    }
}

impl<O: Paginated> Unpin for Paginator<O> {}

impl<O: Paginated> Stream for Paginator<O> {
    type Item = Result<O::Output, SdkError<O::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let mut call = match self.call.take() {
            Some(call) => call,
            None => self.start_call(),
        };
        match call.as_mut().poll(cx) {
            Poll::Pending => {
                self.call = Some(call);
                Poll::Pending
            }
            Poll::Ready(Ok(output)) => {
                self.follow(&output);
                Poll::Ready(Some(Ok(output)))
            }
            Poll::Ready(Err(error)) => {
                self.done = true;
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

impl<O: Paginated> std::fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The input may hold secrets (bearer tokens); the operation and state say enough.
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("tokens_used", &self.used.len())
            .field("done", &self.done)
            .finish()
    }
}

/// The results of a paginated operation, page after page; an error ends it.
pub struct Items<O: PageItems> {
    pages: Paginator<O>,
    buffered: VecDeque<O::Item>,
}

impl<O: PageItems> Items<O> {
    /// The next result: `None` once every page has been read.
    pub async fn next(&mut self) -> Option<Result<O::Item, SdkError<O::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<O: PageItems> Unpin for Items<O> {}

impl<O: PageItems> Stream for Items<O> {
    type Item = Result<O::Item, SdkError<O::Error>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut self.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => self.buffered.extend(O::items(page)),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<O: PageItems> std::fmt::Debug for Items<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}
