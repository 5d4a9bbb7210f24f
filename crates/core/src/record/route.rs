//! Routes shown to people: a route pattern when the export has one, else the
//! concrete path with its ids folded (`/leads/42` → `/leads/[id]`), so that
//! counts by route stay meaningful.

use std::borrow::Cow;

/// Whether a drain's `path` is a route pattern (`/leads/[id]`), not a
/// function entrypoint (`api/hello`, `middleware`, `src/middleware`) or a
/// build asset (`/_next/static/…`).
pub fn is_route_pattern(p: &str) -> bool {
    p.starts_with('/') && !p.starts_with("/_next/static/") && !p.starts_with("/_next/image")
}

/// Whether a path segment is an identifier rather than a name: a number, a
/// UUID, a long hex string, or a long token mixing letters and digits.
fn is_id(seg: &str) -> bool {
    let b = seg.as_bytes();
    if b.is_empty() {
        return false;
    }
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let hex = b.iter().all(|c| c.is_ascii_hexdigit() || *c == b'-');
    digits == b.len()
        || (hex && b.len() >= 8 && digits > 0)
        || (b.len() >= 16
            && digits >= 2
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_')))
}

/// Folds id-like segments of a concrete path into `[id]`.
pub fn fold_ids(path: &str) -> Cow<'_, str> {
    if !path.split('/').any(is_id) {
        return Cow::Borrowed(path);
    }
    let folded: Vec<&str> = path
        .split('/')
        .map(|s| if is_id(s) { "[id]" } else { s })
        .collect();
    Cow::Owned(folded.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrypoints_and_assets_are_not_routes() {
        assert!(is_route_pattern("/leads/[id]"));
        assert!(is_route_pattern("/api/cron/sync"));
        for p in [
            "api/hello",
            "middleware",
            "src/middleware",
            "/_next/static/media/a.woff2",
        ] {
            assert!(!is_route_pattern(p), "{p}");
        }
    }

    #[test]
    fn ids_fold() {
        assert_eq!(fold_ids("/leads/42"), "/leads/[id]");
        assert_eq!(
            fold_ids("/api/jobs/3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b/run"),
            "/api/jobs/[id]/run"
        );
        assert_eq!(fold_ids("/u/clx1a2b3c4d5e6f7g8h9"), "/u/[id]");
        assert_eq!(fold_ids("/api/cron/follow-up"), "/api/cron/follow-up");
        assert_eq!(fold_ids("/docs/errors/P2002"), "/docs/errors/P2002");
        assert_eq!(fold_ids("/"), "/");
    }
}
