//! Hand-made scenarios: clean background traffic at a fixed rate, to which
//! tests add failures built with [`request`](super::request) and its setters
//! (a canary's Server Action 500s, a 401 spike, a slow window).

use super::event::{Event, make_request_id, request};
use super::rng::SplitMix64;

/// (method, route, concrete path) of healthy requests.
const CLEAN: [(&str, &str, &str); 8] = [
    ("GET", "/api/leads", "/api/leads?page=1"),
    ("GET", "/api/leads/[id]", "/api/leads/ld_41c2aa"),
    ("GET", "/api/inbox/counts", "/api/inbox/counts"),
    ("GET", "/leads/[id]", "/leads/ld_41c2aa"),
    ("POST", "/leads/[id]", "/leads/ld_41c2aa"),
    ("GET", "/inbox", "/inbox"),
    ("POST", "/api/jobs", "/api/jobs"),
    ("GET", "/dashboard", "/dashboard"),
];

/// `per_minute` healthy one-line requests per minute for `minutes` minutes
/// on `deployment`, evenly spread with jitter, in time order, each with a
/// 2xx status, a 15–450 ms duration and a `"GET /x 200 in 35ms"` line.
pub fn traffic(
    seed: u64,
    deployment: &str,
    start_ms: i64,
    minutes: u32,
    per_minute: u32,
) -> Vec<Event> {
    let mut rng = SplitMix64::new(seed);
    let per_minute = u64::from(per_minute);
    let slot = 60_000 / per_minute.max(1);
    let mut events = Vec::with_capacity((u64::from(minutes) * per_minute) as usize);
    for minute in 0..u64::from(minutes) {
        for i in 0..per_minute {
            let offset = minute * 60_000 + i * slot + rng.below(slot.max(1));
            let time = start_ms + offset as i64;
            let (method, route, path) = *rng.pick(&CLEAN);
            let status = if method == "POST" && route.starts_with("/api/") {
                201
            } else {
                200
            };
            let ms = rng.range(15, 450) as u32;
            let message = format!(
                "{method} {} {status} in {ms}ms",
                path.split('?').next().unwrap_or(path)
            );
            let id = make_request_id(rng.next_u64(), time);
            events.push(
                request(time, deployment, method, path, route, status)
                    .with_request_id(&id)
                    .with_duration(ms)
                    .with_message(message),
            );
        }
    }
    events
}

/// Merges event lists into one stream ordered by time (stable for ties),
/// keeping each request's lines together in their order.
pub fn merge(parts: impl IntoIterator<Item = Vec<Event>>) -> Vec<Event> {
    let mut all: Vec<Event> = parts.into_iter().flatten().collect();
    all.sort_by_key(|e| e.request_start_ms());
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traffic_is_clean_ordered_and_counted() {
        let events = traffic(5, "dpl_OLD", 1_768_813_200_000, 10, 30);
        assert_eq!(events.len(), 300);
        assert!(events.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
        assert!(
            events
                .iter()
                .all(|e| (200..300).contains(&e.status) && e.duration_ms.is_some())
        );
        assert!(events.iter().all(|e| e.request_start_ms() == e.time_ms));
        let last = events.last().map_or(0, |e| e.time_ms);
        assert!(last < 1_768_813_200_000 + 600_000);
    }

    #[test]
    fn merge_orders_by_request_start() {
        let a = traffic(1, "dpl_A", 1_000_000_000_000, 2, 5);
        let b = vec![request(
            1_000_000_030_000,
            "dpl_B",
            "POST",
            "/leads/ld_1",
            "/leads/[id]",
            500,
        )];
        let merged = merge([a, b]);
        assert_eq!(merged.len(), 11);
        assert!(
            merged
                .windows(2)
                .all(|w| w[0].request_start_ms() <= w[1].request_start_ms())
        );
    }
}
