//! Streams over every page, or every item, of a list operation.
//!
//! Works for every operation the spec marks as paginated (the generated
//! [`ListRequest`](gigs_client::pagination::ListRequest) impls), with no code per operation.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, Stream, TryStreamExt};
use gigs_client::pagination::{ListPage, ListRequest};
use gigs_client::{types, RequestOptions};

use crate::cursor_guard::CursorGuard;
use crate::Error;

/// The largest page the API serves.
pub const MAX_PAGE_SIZE: u32 = 200;

/// One page of a list: its items and both cursors.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items, in API order.
    pub items: Vec<T>,
    /// The cursor of the following page, if there is one.
    pub more_items_after: Option<String>,
    /// The cursor of the preceding page, if there is one.
    pub more_items_before: Option<String>,
}

impl<T> Page<T> {
    /// A page of `items` with no cursors (the only page of a list); the `with_` methods add
    /// them. For test doubles of code that takes pages:
    ///
    /// ```
    /// let page = gigs::Page::new(vec!["sim_1", "sim_2"]).with_more_items_after("sim_2");
    /// assert_eq!(page.more_items_after.as_deref(), Some("sim_2"));
    /// assert_eq!(page.more_items_before, None);
    /// ```
    pub fn new(items: Vec<T>) -> Self {
        Self {
            items,
            more_items_after: None,
            more_items_before: None,
        }
    }

    /// The page with the cursor of the following page.
    pub fn with_more_items_after(mut self, cursor: impl Into<String>) -> Self {
        self.more_items_after = Some(cursor.into());
        self
    }

    /// The page with the cursor of the preceding page.
    pub fn with_more_items_before(mut self, cursor: impl Into<String>) -> Self {
        self.more_items_before = Some(cursor.into());
        self
    }
}

/// The items of a list, one by one, as [`Paginate::items`] and [`Pager::items`] stream them: a
/// named [`Stream`] of `Result<T, Error>` that can be kept in a struct field or returned from a
/// trait method. It borrows the client it was made from (`'a`).
///
/// [`ItemStream::new`] wraps any such stream, for test doubles:
///
/// ```
/// use futures::TryStreamExt;
/// use gigs::ItemStream;
///
/// struct Inventory<'a> {
///     sims: ItemStream<'a, String>,
/// }
///
/// # futures::executor::block_on(async {
/// let mut inventory = Inventory {
///     sims: ItemStream::new(futures::stream::iter([Ok("sim_1".to_owned())])),
/// };
/// assert_eq!(inventory.sims.try_next().await?, Some("sim_1".to_owned()));
/// # Ok::<(), gigs::Error>(())
/// # }).unwrap();
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct ItemStream<'a, T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>,
}

impl<'a, T> ItemStream<'a, T> {
    /// Wraps `stream`.
    pub fn new(stream: impl Stream<Item = Result<T, Error>> + Send + 'a) -> Self {
        Self {
            inner: Box::pin(stream),
        }
    }
}

impl<T> Stream for ItemStream<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> std::fmt::Debug for ItemStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream").finish_non_exhaustive()
    }
}

/// The pages of a list, as [`Paginate::pages`] and [`Pager::pages`] stream them: a named
/// [`Stream`] of `Result<Page<T>, Error>`, like [`ItemStream`] for items.
///
/// ```
/// use futures::TryStreamExt;
/// use gigs::{Page, PageStream};
///
/// # futures::executor::block_on(async {
/// let pages: PageStream<'_, u32> = PageStream::new(futures::stream::iter([
///     Ok(Page::new(vec![1, 2]).with_more_items_after("2")),
///     Ok(Page::new(vec![3])),
/// ]));
/// let items: Vec<u32> = pages.items().try_collect().await?;
/// assert_eq!(items, [1, 2, 3]);
/// # Ok::<(), gigs::Error>(())
/// # }).unwrap();
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<'a, T> {
    inner: Pin<Box<dyn Stream<Item = Result<Page<T>, Error>> + Send + 'a>>,
}

impl<'a, T> PageStream<'a, T> {
    /// Wraps `stream`.
    pub fn new(stream: impl Stream<Item = Result<Page<T>, Error>> + Send + 'a) -> Self {
        Self {
            inner: Box::pin(stream),
        }
    }

    /// The items of the pages, in order.
    pub fn items(self) -> ItemStream<'a, T>
    where
        T: Send + 'a,
    {
        ItemStream::new(
            self.map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
                .try_flatten(),
        )
    }
}

impl<T> Stream for PageStream<'_, T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> std::fmt::Debug for PageStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

/// The item type of a list request's pages.
type ItemOf<R> = <<R as gigs_client::operation::Operation>::Response as ListPage>::Item;

/// Which cursor a pager follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    /// `after` = `moreItemsAfter`, page after page.
    Forward,
    /// `before` = `moreItemsBefore`, page before page.
    Backward,
}

/// `.items()`, `.pages()` and `.paginate()` on every paginated list request.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use gigs::Paginate;
///
/// # async fn run(gigs: gigs::Gigs) -> Result<(), gigs::Error> {
/// let sims: Vec<_> = gigs.sims().list().items().try_collect().await?;
/// # Ok(()) }
/// ```
pub trait Paginate: ListRequest + Sized {
    /// Every item of every page, in API order, fetching one page ahead.
    fn items<'a>(self) -> ItemStream<'a, ItemOf<Self>>
    where
        Self: ListRequest<ErrorBody = types::Error> + 'a,
        Self::Response: Send,
        ItemOf<Self>: Send,
    {
        self.paginate().items()
    }

    /// Every page, in API order, fetching one page ahead.
    fn pages<'a>(self) -> PageStream<'a, ItemOf<Self>>
    where
        Self: ListRequest<ErrorBody = types::Error> + 'a,
        Self::Response: Send,
    {
        self.paginate().pages()
    }

    /// A pager to configure: start cursor, direction, page size, prefetch.
    fn paginate(self) -> Pager<Self> {
        Pager {
            request: self,
            direction: Direction::Forward,
            start: None,
            limit: None,
            prefetch: true,
            options: RequestOptions::new(),
        }
    }
}

impl<R: ListRequest> Paginate for R {}

/// How to walk a list; made by [`Paginate::paginate`].
///
/// Filters stay on the request and are repeated on every page request; the pager sets the cursor
/// (only ever one of `after` and `before`) and the page size.
#[derive(Clone, Debug)]
#[must_use = "a pager does nothing until `.items()` or `.pages()` is polled"]
pub struct Pager<R> {
    request: R,
    direction: Direction,
    start: Option<String>,
    limit: Option<u32>,
    prefetch: bool,
    options: RequestOptions,
}

impl<R: ListRequest> Pager<R> {
    /// Starts with the items after `id` and walks forward (`moreItemsAfter`).
    pub fn after(mut self, id: impl Into<String>) -> Self {
        self.direction = Direction::Forward;
        self.start = Some(id.into());
        self
    }

    /// Starts with the items before `id` and walks backward (`moreItemsBefore`).
    pub fn before(mut self, id: impl Into<String>) -> Self {
        self.direction = Direction::Backward;
        self.start = Some(id.into());
        self
    }

    /// Walks backward (`moreItemsBefore`) from the first page the request returns.
    pub fn backward(mut self) -> Self {
        self.direction = Direction::Backward;
        self
    }

    /// Items per page, 1 to 200, sent as `limit` on every page request. A value outside that
    /// range makes the stream yield [`Error::InvalidPageSize`] before sending anything.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Whether to request page k+1 as soon as page k arrives (on by default). Never more than
    /// one request is ahead of the consumer.
    pub fn prefetch(mut self, prefetch: bool) -> Self {
        self.prefetch = prefetch;
        self
    }

    /// Settings for every page request (retries, timeout), instead of the client's.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// The pages, in the order walked.
    pub fn pages<'a>(self) -> PageStream<'a, ItemOf<R>>
    where
        R: ListRequest<ErrorBody = types::Error> + 'a,
        R::Response: Send,
    {
        PageStream::new(self.walk())
    }

    /// The items of every page, in the order walked.
    pub fn items<'a>(self) -> ItemStream<'a, ItemOf<R>>
    where
        R: ListRequest<ErrorBody = types::Error> + 'a,
        R::Response: Send,
        ItemOf<R>: Send,
    {
        ItemStream::new(
            self.walk()
                .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
                .try_flatten(),
        )
    }

    /// The pages, unboxed.
    fn walk<'a>(self) -> Pages<'a, R>
    where
        R: ListRequest<ErrorBody = types::Error> + 'a,
    {
        let invalid = self
            .limit
            .filter(|limit| !(1..=MAX_PAGE_SIZE).contains(limit))
            .map(|limit| Error::InvalidPageSize { limit });
        let seen = CursorGuard::new(self.start.clone());
        let state = match invalid {
            Some(error) => State::Failing(error),
            None => State::Due(self.start),
        };
        Pages {
            template: self.request,
            direction: self.direction,
            limit: self.limit,
            prefetch: self.prefetch,
            options: self.options,
            seen,
            state,
        }
    }
}

type PageResult<P> = Result<P, Error>;
type PageFuture<'a, P> = Pin<Box<dyn Future<Output = PageResult<P>> + Send + 'a>>;

/// The stream of pages behind [`Pager::pages`] and [`Paginate::pages`], before it is boxed
/// into a [`PageStream`].
#[must_use = "streams do nothing unless polled"]
pub(crate) struct Pages<'a, R: ListRequest<ErrorBody = types::Error>> {
    template: R,
    direction: Direction,
    limit: Option<u32>,
    prefetch: bool,
    options: RequestOptions,
    seen: CursorGuard,
    state: State<'a, R::Response>,
}

/// Where a [`Pages`] stream is. Each poll takes the state, acts on it and leaves the next one:
///
/// ```text
///            ┌───────────── page arrives (prefetch on), request sent ──────────┐
///            │                                                                 ▼
///  Due(cursor) ──poll: send──▶ InFlight ──page──▶ yield it ──next cursor──▶ Due / InFlight / Ready
///                                 │                  │ no next cursor ──▶ Done
///                                 │                  └ cursor seen before ──▶ Failing
///                                 └──error──▶ yield it ──▶ Done
///  Ready(result): a prefetched page that arrived at once; handled like InFlight's outcome.
///  Failing(error): yield the error ──▶ Done.     Done: the stream has ended.
/// ```
enum State<'a, P> {
    /// The page at this cursor (`None`: the request's own first page) is to be requested.
    Due(Option<String>),
    /// A page request is on the wire.
    InFlight(PageFuture<'a, P>),
    /// A prefetched page request already finished.
    Ready(PageResult<P>),
    /// The stream yields this error next, then ends.
    Failing(Error),
    /// The stream has ended.
    Done,
}

impl<'a, R> Pages<'a, R>
where
    R: ListRequest<ErrorBody = types::Error> + 'a,
{
    fn request(&self, cursor: Option<String>) -> PageFuture<'a, R::Response> {
        let mut request = self.template.clone();
        if let Some(limit) = self.limit {
            request = request.set_limit(limit);
        }
        request = match (self.direction, cursor) {
            (Direction::Forward, Some(cursor)) => request.set_after(&cursor),
            (Direction::Backward, Some(cursor)) => request.set_before(&cursor),
            (_, None) => request,
        };
        let options = self.options.clone();
        Box::pin(async move {
            crate::call::send(request, options, |response| response)
                .await
                .map(crate::Response::into_inner)
        })
    }

    /// The state after `page` was received: the next page due, requested ahead (and polled once,
    /// so that it is on the wire while the consumer works on this page), or the end.
    fn after_page(&mut self, page: &R::Response, cx: &mut Context<'_>) -> State<'a, R::Response> {
        let next = match self.direction {
            Direction::Forward => page.more_items_after(),
            Direction::Backward => page.more_items_before(),
        };
        match next {
            None => State::Done,
            Some(cursor) if !self.seen.is_new(cursor) => State::Failing(Error::RepeatedCursor {
                cursor: cursor.to_owned(),
            }),
            Some(cursor) if self.prefetch => {
                let mut future = self.request(Some(cursor.to_owned()));
                match future.as_mut().poll(cx) {
                    Poll::Ready(result) => State::Ready(result),
                    Poll::Pending => State::InFlight(future),
                }
            }
            Some(cursor) => State::Due(Some(cursor.to_owned())),
        }
    }
}

impl<'a, R> Stream for Pages<'a, R>
where
    R: ListRequest<ErrorBody = types::Error> + 'a,
{
    type Item = Result<Page<<R::Response as ListPage>::Item>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let result = match std::mem::replace(&mut this.state, State::Done) {
            State::Done => return Poll::Ready(None),
            State::Failing(error) => return Poll::Ready(Some(Err(error))),
            State::Ready(result) => result,
            State::Due(cursor) => {
                let future = this.request(cursor);
                match poll_page(future, cx) {
                    Ok(result) => result,
                    Err(future) => {
                        this.state = State::InFlight(future);
                        return Poll::Pending;
                    }
                }
            }
            State::InFlight(future) => match poll_page(future, cx) {
                Ok(result) => result,
                Err(future) => {
                    this.state = State::InFlight(future);
                    return Poll::Pending;
                }
            },
        };
        // An error ends the stream: the state stays `Done`.
        let page = match result {
            Ok(page) => page,
            Err(error) => return Poll::Ready(Some(Err(error))),
        };
        this.state = this.after_page(&page, cx);
        Poll::Ready(Some(Ok(Page {
            more_items_after: page.more_items_after().map(str::to_owned),
            more_items_before: page.more_items_before().map(str::to_owned),
            items: page.into_items(),
        })))
    }
}

/// Polls a page request once: its result, or the request back when it is still pending.
fn poll_page<'a, P>(
    mut future: PageFuture<'a, P>,
    cx: &mut Context<'_>,
) -> Result<PageResult<P>, PageFuture<'a, P>> {
    match future.as_mut().poll(cx) {
        Poll::Ready(result) => Ok(result),
        Poll::Pending => Err(future),
    }
}

// The in-flight request is boxed and the other fields are never pinned in place, so moving a
// `Pages` is fine whatever `R` and its page type are.
impl<R: ListRequest<ErrorBody = types::Error>> Unpin for Pages<'_, R> {}

impl<'a, R: ListRequest<ErrorBody = types::Error>> std::fmt::Debug for Pages<'a, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            State::Due(_) => "due",
            State::InFlight(_) => "in flight",
            State::Ready(_) => "ready",
            State::Failing(_) => "failing",
            State::Done => "done",
        };
        f.debug_struct("Pages")
            .field("direction", &self.direction)
            .field("limit", &self.limit)
            .field("prefetch", &self.prefetch)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}
