//! The client's address, for the rate limits of sign-in and progress lookup: the TCP
//! peer, or, behind a reverse proxy listed in `server.trusted_proxies`, the address the
//! proxy saw, from `X-Forwarded-For`. The header is believed only from those proxies:
//! anyone else could write any address into it to escape the limits.

use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The address a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// Who a limit counts: the address, or for IPv6 its /64, which one subscriber
    /// usually holds whole (counting each of its addresses would give a fresh budget
    /// per address).
    pub fn limit_key(self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }
}

/// Walks `X-Forwarded-For` from the right (the hop nearest to us) past trusted proxies;
/// the first address that is not one is the client. With no trusted peer, or a header
/// that is missing or not addresses, the peer itself.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for part in text.split(',') {
            match part.trim().parse::<IpAddr>() {
                Ok(ip) => hops.push(ip),
                Err(_) => return peer,
            }
        }
    }
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !trusted.contains(&hop) {
            break;
        }
    }
    client
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ClientAddr, Infallible> {
        // Served without connection info (never in `serve`), the limits share one key.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(ClientAddr(client_addr(
            peer,
            &parts.headers,
            &state.config.server.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_an_ipv6_subscriber_by_its_64() {
        let key = |s: &str| ClientAddr(s.parse().unwrap()).limit_key();
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::2"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxy = ip("10.0.0.2");
        let h = forwarded(&["203.0.113.7"]);
        assert_eq!(
            client_addr(ip("198.51.100.1"), &h, &[proxy]),
            ip("198.51.100.1")
        );
        assert_eq!(client_addr(proxy, &h, &[proxy]), ip("203.0.113.7"));
        assert_eq!(client_addr(proxy, &h, &[]), proxy);
    }

    #[test]
    fn a_forged_left_part_does_not_count() {
        let proxy = ip("10.0.0.2");
        // The client wrote 1.2.3.4 itself; the proxy appended what it saw.
        let h = forwarded(&["1.2.3.4, 203.0.113.7"]);
        assert_eq!(client_addr(proxy, &h, &[proxy]), ip("203.0.113.7"));
        // Two proxies of ours in a row.
        let h = forwarded(&["1.2.3.4, 203.0.113.7, 10.0.0.3"]);
        assert_eq!(
            client_addr(proxy, &h, &[proxy, ip("10.0.0.3")]),
            ip("203.0.113.7")
        );
        // Split over two header lines.
        let h = forwarded(&["1.2.3.4", "203.0.113.7"]);
        assert_eq!(client_addr(proxy, &h, &[proxy]), ip("203.0.113.7"));
    }

    #[test]
    fn garbage_or_nothing_means_the_peer() {
        let proxy = ip("10.0.0.2");
        assert_eq!(
            client_addr(proxy, &forwarded(&["not an address"]), &[proxy]),
            proxy
        );
        assert_eq!(client_addr(proxy, &HeaderMap::new(), &[proxy]), proxy);
        assert_eq!(
            client_addr(proxy, &forwarded(&["2001:db8::1"]), &[proxy]),
            ip("2001:db8::1")
        );
    }
}
