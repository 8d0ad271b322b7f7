//! Opening the chat WebSocket: the URL checked (`wss://` unless the client's own endpoint
//! is plain `http://`), TCP directly or through the client's HTTP proxy (`CONNECT`), TLS
//! with the client's rustls (ring) and the webpki roots, then the HTTP upgrade.
//!
//! The upgrade is done here rather than by the WebSocket library so that a refusal
//! (401/403) is told apart from a network failure, a redirect is refused rather than
//! followed, the response head is bounded ([`MAX_RESPONSE_HEAD`]), and nothing is logged:
//! the request line carries the pre-signed URL's credentials. The whole open, from DNS to
//! the upgrade, is bounded by the caller ([`OPEN_TIMEOUT`]).

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_websockets::{Limits, WebSocketStream};

use crate::frame::MAX_FRAME;

/// How long opening a socket may take, from the DNS lookup to the end of the upgrade;
/// longer counts as a failed open (the session backs off and tries again).
pub const OPEN_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest HTTP response head read while opening (the proxy's answer to `CONNECT`,
/// the server's answer to the upgrade), in bytes.
pub const MAX_RESPONSE_HEAD: usize = 16 * 1024;

/// A byte stream a socket runs over: TCP, or TLS over TCP (possibly through a proxy).
pub(crate) trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Io for T {}

/// An open chat WebSocket.
pub(crate) type Socket = WebSocketStream<BufReader<Box<dyn Io>>>;

/// Why a socket could not be opened. Messages name the step and never the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OpenError {
    /// The service refused the upgrade (HTTP 401 or 403): the URL expired or the
    /// participant's token was revoked.
    Refused(u16),
    /// Anything else: the network, TLS, the proxy, an unexpected answer.
    Failed(String),
}

impl OpenError {
    fn failed(what: &str, error: impl std::fmt::Display) -> Self {
        OpenError::Failed(format!("{what}: {error}"))
    }
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Refused(status) => {
                write!(f, "the service refused the WebSocket (HTTP {status})")
            }
            OpenError::Failed(message) => f.write_str(message),
        }
    }
}

/// Where a socket goes, read from its URL.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Target {
    tls: bool,
    /// The host to connect to, without IPv6 brackets.
    host: String,
    port: u16,
    /// `host[:port]` as the `Host` header (and `CONNECT`) names it.
    authority: String,
    path_and_query: String,
}

impl std::fmt::Debug for Target {
    // The query is the pre-signed URL's credentials: only the origin is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.tls { "wss" } else { "ws" };
        write!(f, "Target({scheme}://{})", self.authority)
    }
}

impl Target {
    /// Reads a WebSocket URL. `allow_plain` allows `ws://`, which only a client whose
    /// own endpoint is plain `http://` (local testing) may use: otherwise it is a
    /// downgrade, refused.
    pub(crate) fn parse(url: &str, allow_plain: bool) -> Result<Target, String> {
        let uri = http::Uri::try_from(url)
            .map_err(|_| "the service returned a WebSocket URL that is not a URL".to_owned())?;
        let tls = match uri.scheme_str() {
            Some("wss") => true,
            Some("ws") if allow_plain => false,
            Some("ws") => {
                return Err(
                    "the service returned a ws:// WebSocket URL while the client uses \
                            HTTPS: refused, a socket must be wss://"
                        .to_owned(),
                )
            }
            _ => return Err("the service returned a WebSocket URL that is not wss://".to_owned()),
        };
        let authority = uri
            .authority()
            .filter(|a| !a.as_str().contains('@') && !a.host().is_empty())
            .ok_or_else(|| {
                "the service returned a WebSocket URL without a plain host".to_owned()
            })?;
        let host = authority.host();
        let port = authority.port_u16().unwrap_or(if tls { 443 } else { 80 });
        Ok(Target {
            tls,
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            authority: authority.as_str().to_owned(),
            path_and_query: uri.path_and_query().map_or("/", |p| p.as_str()).to_owned(),
        })
    }
}

/// A proxy to reach sockets through (`http://[user:password@]host:port`).
#[derive(Clone)]
pub(crate) struct Proxy {
    host: String,
    port: u16,
    /// `Proxy-Authorization` when the proxy URL has user-info.
    authorization: Option<String>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Proxy({}:{})", self.host, self.port)
    }
}

impl Proxy {
    /// Reads the client's proxy setting. Only HTTP proxies (`CONNECT`) carry sockets.
    pub(crate) fn parse(url: &str) -> Result<Proxy, String> {
        let unusable =
            || "the client's proxy is not an http:// proxy URL the chat can use".to_owned();
        let uri = http::Uri::try_from(url).map_err(|_| unusable())?;
        if uri.scheme_str() != Some("http") {
            return Err(unusable());
        }
        let authority = uri.authority().ok_or_else(unusable)?;
        let (userinfo, _) = authority
            .as_str()
            .rsplit_once('@')
            .map_or((None, ""), |(user, host)| (Some(user), host));
        let authorization = userinfo.map(|userinfo| {
            let decoded: Vec<u8> = percent_encoding::percent_decode_str(userinfo).collect();
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(decoded)
            )
        });
        Ok(Proxy {
            host: authority
                .host()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port: authority.port_u16().unwrap_or(80),
            authorization,
        })
    }
}

/// Opens a socket to `target` (through `proxy` if given) and upgrades it, frames and
/// messages bounded to [`MAX_FRAME`]. Not bounded in time itself: the caller bounds it
/// with [`OPEN_TIMEOUT`].
pub(crate) async fn open(
    target: &Target,
    proxy: Option<&Proxy>,
    tls: &Arc<rustls::ClientConfig>,
) -> Result<Socket, OpenError> {
    let tcp = match proxy {
        None => TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|e| OpenError::failed("connecting", e.kind()))?,
        Some(proxy) => tunnel(proxy, target).await?,
    };
    let _ = tcp.set_nodelay(true);
    let stream: Box<dyn Io> = if target.tls {
        let name = rustls::pki_types::ServerName::try_from(target.host.clone())
            .map_err(|_| OpenError::Failed("the WebSocket host is not a valid TLS name".into()))?;
        let connector = tokio_rustls::TlsConnector::from(tls.clone());
        Box::new(
            connector
                .connect(name, tcp)
                .await
                .map_err(|e| OpenError::failed("TLS handshake failed", e))?,
        )
    } else {
        Box::new(tcp)
    };
    upgrade(target, stream).await
}

/// A TCP connection to the proxy, tunnelled (`CONNECT`) to the target.
async fn tunnel(proxy: &Proxy, target: &Target) -> Result<TcpStream, OpenError> {
    let tcp = TcpStream::connect((proxy.host.as_str(), proxy.port))
        .await
        .map_err(|e| OpenError::failed("connecting to the proxy", e.kind()))?;
    let mut request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n",
        authority = target.authority
    );
    if let Some(authorization) = &proxy.authorization {
        request.push_str(&format!("Proxy-Authorization: {authorization}\r\n"));
    }
    request.push_str("\r\n");
    let (reader, head) = exchange(tcp, &request, "the proxy").await?;
    let status = status_of(&head, "the proxy")?;
    if status != 200 {
        return Err(OpenError::Failed(format!(
            "the proxy refused the tunnel (HTTP {status})"
        )));
    }
    if !reader.buffer().is_empty() {
        return Err(OpenError::Failed(
            "the proxy sent bytes after its answer to CONNECT".into(),
        ));
    }
    Ok(reader.into_inner())
}

/// The HTTP upgrade on `stream`, then the socket.
async fn upgrade(target: &Target, stream: Box<dyn Io>) -> Result<Socket, OpenError> {
    let mut key = [0u8; 16];
    getrandom::getrandom(&mut key)
        .map_err(|e| OpenError::failed("no randomness for the WebSocket key", e))?;
    let key = base64::engine::general_purpose::STANDARD.encode(key);
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n",
        path = target.path_and_query,
        host = target.authority,
    );
    let (reader, head) = exchange(stream, &request, "the WebSocket upgrade").await?;
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let parsed = response.parse(&head);
    let status = response.code.unwrap_or(0);
    match status {
        101 => {}
        401 | 403 => return Err(OpenError::Refused(status)),
        300..=399 => {
            return Err(OpenError::Failed(format!(
                "the WebSocket upgrade was redirected (HTTP {status}): not followed"
            )))
        }
        0 => {
            return Err(OpenError::Failed(
                "the WebSocket upgrade got no HTTP answer".into(),
            ))
        }
        _ => {
            return Err(OpenError::Failed(format!(
                "the WebSocket upgrade was answered with HTTP {status}"
            )))
        }
    }
    if !matches!(parsed, Ok(httparse::Status::Complete(_))) {
        return Err(OpenError::Failed(
            "unreadable WebSocket upgrade answer".into(),
        ));
    }
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    };
    if !header("upgrade").is_some_and(|v| v.eq_ignore_ascii_case(b"websocket")) {
        return Err(OpenError::Failed(
            "the WebSocket upgrade was not to websocket".into(),
        ));
    }
    if header("sec-websocket-accept") != Some(accept_for(&key).as_bytes()) {
        return Err(OpenError::Failed(
            "the WebSocket upgrade's accept key is wrong".into(),
        ));
    }
    let limits = Limits::default().max_payload_len(Some(MAX_FRAME));
    Ok(tokio_websockets::ClientBuilder::new()
        .limits(limits)
        .take_over(reader))
}

/// `Sec-WebSocket-Accept` for `key` (RFC 6455, 4.2.2).
fn accept_for(key: &str) -> String {
    let mut digest = ring::digest::Context::new(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY);
    digest.update(key.as_bytes());
    digest.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64::engine::general_purpose::STANDARD.encode(digest.finish())
}

/// Sends an HTTP request head on `stream` and reads the answer's head. The stream comes
/// back behind a small buffer: bytes the server sends right after its answer stay in it
/// for the socket, and it costs little for as long as the socket lives.
async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    request: &str,
    what: &str,
) -> Result<(BufReader<S>, Vec<u8>), OpenError> {
    let mut reader = BufReader::with_capacity(512, stream);
    reader
        .get_mut()
        .write_all(request.as_bytes())
        .await
        .map_err(|e| OpenError::failed(&format!("sending to {what}"), e.kind()))?;
    let head = read_head(&mut reader).await?;
    Ok((reader, head))
}

/// Reads an HTTP response head (up to the blank line, which it includes), leaving what
/// follows in `reader`; at most [`MAX_RESPONSE_HEAD`] bytes.
async fn read_head<S: AsyncRead + Unpin>(reader: &mut BufReader<S>) -> Result<Vec<u8>, OpenError> {
    let mut head = Vec::new();
    loop {
        let available = reader
            .fill_buf()
            .await
            .map_err(|e| OpenError::failed("reading the HTTP answer", e.kind()))?;
        if available.is_empty() {
            return Err(OpenError::Failed(
                "the connection closed before the HTTP answer ended".into(),
            ));
        }
        // Take bytes up to the end of the head, if it is in view.
        let mut taken = available.len();
        for (i, byte) in available.iter().enumerate() {
            head.push(*byte);
            if head.ends_with(b"\r\n\r\n") {
                taken = i + 1;
                break;
            }
        }
        reader.consume(taken);
        if head.ends_with(b"\r\n\r\n") {
            return Ok(head);
        }
        if head.len() > MAX_RESPONSE_HEAD {
            return Err(OpenError::Failed(format!(
                "the HTTP answer's head is over {MAX_RESPONSE_HEAD} bytes"
            )));
        }
    }
}

/// The status code of a response head, or an error naming who sent it.
fn status_of(head: &[u8], from: &str) -> Result<u16, OpenError> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(head) {
        Ok(httparse::Status::Complete(_)) => response
            .code
            .ok_or_else(|| OpenError::Failed(format!("{from} sent no status"))),
        _ => Err(OpenError::Failed(format!(
            "{from} sent an unreadable answer"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wss_is_required_unless_the_client_itself_uses_plain_http() {
        let target =
            Target::parse("wss://chat.example.com/connect?X-Amz-Signature=s", false).unwrap();
        assert!(target.tls);
        assert_eq!(
            (target.host.as_str(), target.port),
            ("chat.example.com", 443)
        );
        assert_eq!(target.path_and_query, "/connect?X-Amz-Signature=s");
        assert_eq!(format!("{target:?}"), "Target(wss://chat.example.com)");

        let refused = Target::parse("ws://chat.example.com/connect", false).unwrap_err();
        assert!(
            refused.contains("ws://") && refused.contains("refused"),
            "{refused}"
        );
        let local = Target::parse("ws://127.0.0.1:8080/chat", true).unwrap();
        assert_eq!((local.tls, local.port), (false, 8080));
        let v6 = Target::parse("wss://[::1]:9000/", false).unwrap();
        assert_eq!(
            (v6.host.as_str(), v6.authority.as_str()),
            ("::1", "[::1]:9000")
        );

        for bad in [
            "https://chat.example.com/",
            "wss://user:pw@chat.example.com/",
            "not a url",
            "wss:///path",
        ] {
            let error = Target::parse(bad, true).unwrap_err();
            assert!(!error.contains("pw"), "{error}");
        }
    }

    #[test]
    fn a_proxy_with_user_info_authorizes_with_basic() {
        let proxy = Proxy::parse("http://user:p%40ss@127.0.0.1:3128").unwrap();
        assert_eq!((proxy.host.as_str(), proxy.port), ("127.0.0.1", 3128));
        // base64("user:p@ss")
        assert_eq!(proxy.authorization.as_deref(), Some("Basic dXNlcjpwQHNz"));
        assert_eq!(format!("{proxy:?}"), "Proxy(127.0.0.1:3128)");
        assert!(Proxy::parse("socks5://127.0.0.1:1080").is_err());
        assert_eq!(
            Proxy::parse("http://proxy:8080").unwrap().authorization,
            None
        );
    }

    #[test]
    fn the_accept_key_is_rfc_6455s() {
        // The example of RFC 6455, section 1.3.
        assert_eq!(
            accept_for("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }
}
