//! The preview's HTTP/1.1 server: one request per connection, no request bodies, every
//! size bounded. It replaces tiny_http 0.12, which drained an unread body by allocating
//! the length the client declared (`Content-Length: 99999999999` aborted the process)
//! and read header lines without a limit.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

/// A request's line and headers may take this many bytes; more is refused (431).
const MAX_HEAD: usize = 16 * 1024;

/// Connections open at once; one more is closed unanswered (the page needs a few).
const MAX_CONNECTIONS: usize = 64;

/// A client whose request has not all arrived this long after it connected is dropped,
/// so that idle connections, or requests sent a byte at a time, cannot hold the
/// server's connections.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A request's method and address; answered once with [`Request::respond`].
pub struct Request {
    method: String,
    url: String,
    stream: TcpStream,
    _slot: Slot,
}

/// One of the [`MAX_CONNECTIONS`], given back when its connection is done with.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Request {
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The address as sent: the path and its query.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Writes the answer and closes the connection (a client that went away is no error).
    pub fn respond(self, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        let head_only = self.method == "HEAD";
        let _ = answer(self.stream, status, headers, body, head_only);
    }
}

/// Listens on 127.0.0.1; [`Server::start`] reads requests, each on a thread of its own
/// (at most [`MAX_CONNECTIONS`] connections open, queued and answered ones included).
pub struct Server {
    listener: TcpListener,
}

impl Server {
    pub fn bind(port: u16) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(("127.0.0.1", port))?,
        })
    }

    pub fn port(&self) -> io::Result<u16> {
        Ok(self.listener.local_addr()?.port())
    }

    /// Accepts connections on a thread of its own until the process ends; the
    /// well-formed requests arrive on the returned channel, in the order they were read.
    pub fn start(self) -> Receiver<Request> {
        let (send, receive) = crossbeam_channel::unbounded();
        let open = Arc::new(AtomicUsize::new(0));
        std::thread::spawn(move || {
            for stream in self.listener.incoming() {
                let Ok(stream) = stream else {
                    // Out of descriptors (`ulimit -n`), the pending connection stays
                    // queued and `accept` fails again at once: wait rather than spin.
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                };
                if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    // Closed unanswered: answering would wait on this client.
                    open.fetch_sub(1, Ordering::SeqCst);
                    continue;
                }
                let (send, slot) = (send.clone(), Slot(open.clone()));
                std::thread::spawn(move || {
                    if let Some(request) = read_request(stream, slot, READ_TIMEOUT) {
                        let _ = send.send(request);
                    }
                });
            }
        });
        receive
    }
}

/// Reads the request line and headers, which must all arrive within `limit`; a
/// malformed or oversized request, or one with a body, is answered here and gives
/// `None`, as does one too slow.
fn read_request(mut stream: TcpStream, slot: Slot, limit: Duration) -> Option<Request> {
    let deadline = Instant::now() + limit;
    stream.set_write_timeout(Some(READ_TIMEOUT)).ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    let end = loop {
        if let Some(end) = find_end(&head) {
            break end;
        }
        if head.len() > MAX_HEAD {
            let _ = answer(stream, 431, &[], b"the request's head is too long\n", false);
            return None;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        stream.set_read_timeout(Some(left)).ok()?;
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    };
    let text = String::from_utf8_lossy(&head[..end]);
    let mut lines = text.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(url), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        let _ = answer(stream, 400, &[], b"not an HTTP request\n", false);
        return None;
    };
    if !version.starts_with("HTTP/1.") || !url.starts_with('/') {
        let _ = answer(stream, 400, &[], b"not an HTTP/1 request\n", false);
        return None;
    }
    if lines.any(carries_body) {
        let _ = answer(
            stream,
            413,
            &[],
            b"the preview takes no request body\n",
            false,
        );
        return None;
    }
    Some(Request {
        method: method.to_string(),
        url: url.to_string(),
        stream,
        _slot: slot,
    })
}

/// Where the head ends (after its blank line), if it has arrived.
fn find_end(head: &[u8]) -> Option<usize> {
    head.windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
}

/// A header that announces a body: a non-zero length, or any transfer coding.
fn carries_body(line: &str) -> bool {
    let Some((name, value)) = line.split_once(':') else {
        return false;
    };
    let (name, value) = (name.trim(), value.trim());
    (name.eq_ignore_ascii_case("content-length") && value != "0")
        || name.eq_ignore_ascii_case("transfer-encoding")
}

fn answer(
    mut stream: TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head += &format!("{name}: {value}\r\n");
    }
    head += &format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // A client that reads slowly gets the answer within [`WRITE_TIME`] or not at all:
    // each write waiting at most the time left, a byte a second cannot hold the thread.
    let deadline = Instant::now() + WRITE_TIME;
    let body = if head_only { &[][..] } else { body };
    for chunk in [head.as_bytes(), body]
        .into_iter()
        .flat_map(|part| part.chunks(64 * 1024))
    {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        stream.write_all(chunk)?;
    }
    stream.flush()?;
    // Closing with unread bytes would reset the connection before the client reads
    // the answer: end the writing side, then let the client close — within
    // [`DRAIN_TIME`] in all, so that a client trickling bytes cannot keep the thread
    // that answers (it held it for hours, a byte every 0.1 s).
    stream.shutdown(Shutdown::Write)?;
    let deadline = Instant::now() + DRAIN_TIME;
    let mut rest = [0u8; 1024];
    let mut drained = 0;
    while drained < 64 * 1024 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        stream.set_read_timeout(Some(left.min(Duration::from_millis(200))))?;
        match stream.read(&mut rest) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    Ok(())
}

/// The longest an answer may take to be written.
const WRITE_TIME: Duration = Duration::from_secs(20);

/// The longest an answered connection is kept for the client to close it.
const DRAIN_TIME: Duration = Duration::from_millis(500);

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_announced_by_a_length_or_a_coding() {
        assert!(carries_body("Content-Length: 99999999999"));
        assert!(carries_body("content-length:5"));
        assert!(!carries_body("Content-Length: 0"));
        assert!(carries_body("Transfer-Encoding: chunked"));
        assert!(!carries_body("Host: 127.0.0.1"));
        assert!(!carries_body("no colon"));
    }

    /// A connection sent to the server's side of a fresh local socket pair.
    fn connected() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (listener.accept().unwrap().0, client)
    }

    #[test]
    fn regression_a_request_sent_a_byte_at_a_time_held_its_connection_for_ever() {
        let (server, mut client) = connected();
        let trickle = std::thread::spawn(move || {
            // Never idle for as long as the limit, never done either.
            for _ in 0..200 {
                if client.write_all(b"G").is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let start = Instant::now();
        let slot = Slot(Arc::new(AtomicUsize::new(1)));
        assert!(read_request(server, slot, Duration::from_millis(300)).is_none());
        let took = start.elapsed();
        assert!(took < Duration::from_secs(3), "dropped after {took:?}");
        trickle.join().unwrap();
    }

    #[test]
    fn a_whole_request_within_the_limit_is_read() {
        let (server, mut client) = connected();
        client
            .write_all(b"GET /state HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let slot = Slot(Arc::new(AtomicUsize::new(1)));
        let request = read_request(server, slot, Duration::from_secs(5)).unwrap();
        assert_eq!((request.method(), request.url()), ("GET", "/state"));
    }

    #[test]
    fn the_head_ends_after_its_blank_line() {
        assert_eq!(find_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nrest"), Some(27));
        assert_eq!(find_end(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
    }
}
