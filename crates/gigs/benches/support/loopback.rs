//! A minimal HTTP/1.1 server on 127.0.0.1 that a benchmark starts and stops itself.
//!
//! It runs on its own thread and single-threaded runtime, so that on a 2-core machine the client
//! under measurement keeps the other core, and it answers with whatever the benchmark's responder
//! returns: no routing or request matching sits between the socket and the responder, so the
//! server adds as little as possible to what is measured.

use std::convert::Infallible;
use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::CONTENT_TYPE;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, Uri};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

/// A running server; dropping it stops the server and waits for its thread.
pub struct LoopbackServer {
    base_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    /// Serves `respond(uri)` as a `200 application/json` body on an ephemeral port of 127.0.0.1,
    /// until dropped or until `lifetime` has passed, whichever comes first.
    pub fn start<F, Fut>(lifetime: Duration, respond: F) -> Self
    where
        F: Fn(Uri) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Bytes> + Send + 'static,
    {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .expect("bind an ephemeral port on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("make the listener non-blocking");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let (shutdown, stop) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("loopback-server".to_owned())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                runtime.block_on(serve(listener, Arc::new(respond), stop, lifetime));
            })
            .expect("spawn the server thread");
        Self {
            base_url,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may have stopped already at the end of its lifetime.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve<F, Fut>(
    listener: TcpListener,
    respond: Arc<F>,
    mut stop: oneshot::Receiver<()>,
    lifetime: Duration,
) where
    F: Fn(Uri) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Bytes> + Send + 'static,
{
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    let deadline = tokio::time::sleep(lifetime);
    tokio::pin!(deadline);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = &mut stop => break,
            () = &mut deadline => {
                eprintln!("loopback server: stopping after its lifetime of {lifetime:?}");
                break;
            }
        };
        let _ = stream.set_nodelay(true);
        let respond = Arc::clone(&respond);
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let body = respond(request.uri().clone());
                async move {
                    let mut response = Response::new(Full::new(body.await));
                    response.headers_mut().insert(
                        CONTENT_TYPE,
                        hyper::header::HeaderValue::from_static("application/json"),
                    );
                    Ok::<_, Infallible>(response)
                }
            });
            // The connection ends when the client closes it or the server stops; either is fine.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
