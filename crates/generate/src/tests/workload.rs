//! The workload looks like real traffic, at the sizes benchmarks assume.

use super::super::{Shape, Workload, WriteOptions, hit_texts, look_alike_texts, write_workload};
use super::json_lines;

#[test]
fn drain_record_sizes_are_realistic() {
    let w = Workload {
        seed: 2,
        target_bytes: Some(2_000_000),
        ..Workload::default()
    };
    let mut out = Vec::new();
    let records =
        write_workload(Shape::DrainNdjson, &w, &WriteOptions::default(), &mut out).expect("write");
    let per_mb = records as f64 / (out.len() as f64 / 1_048_576.0);
    assert!(
        (700.0..=1_200.0).contains(&per_mb),
        "{per_mb} records per MB"
    );
    let mut sizes: Vec<usize> = out
        .split(|&b| b == b'\n')
        .map(<[u8]>::len)
        .filter(|&n| n > 0)
        .collect();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!((400..=1_500).contains(&median), "median {median}");
    assert!(
        sizes.iter().any(|&n| (2_000..=5_500).contains(&n)),
        "no stack-trace records"
    );
}

#[test]
fn hits_lookalikes_and_traffic_mix_are_present() {
    let w = Workload {
        seed: 3,
        records: 100_000,
        ..Workload::default()
    };
    let events: Vec<_> = w.events().collect();
    assert_eq!(events.len(), 100_000);
    let hits = events
        .iter()
        .filter(|e| hit_texts().iter().any(|(_, t)| *t == e.message))
        .count();
    assert!((200..=400).contains(&hits), "{hits} hits per 100k");
    assert!(
        events
            .iter()
            .any(|e| look_alike_texts().contains(&e.message.as_str()))
    );
    assert!(events.iter().any(|e| e.path == "/docs/errors/P2002"));
    assert!(
        events
            .iter()
            .any(|e| e.user_agent == "vercel-cron/1.0" && e.path.starts_with("/api/cron/"))
    );
    assert!(
        events
            .iter()
            .any(|e| e.method == "POST" && !e.route.starts_with("/api/"))
    );
    assert!(events.iter().all(|e| e.request_start_ms() <= e.time_ms));
    let errors = events.iter().filter(|e| e.level != "info").count() as f64 / events.len() as f64;
    assert!((0.02..0.10).contains(&errors), "{errors}");
    assert!(
        events.iter().any(|e| e.message.contains('@'))
            && events.iter().any(|e| e.message.contains("Bearer "))
    );
}

#[test]
fn deployments_follow_one_another() {
    let w = Workload {
        records: 1_000,
        deployments: vec!["dpl_OLD".into(), "dpl_NEW".into()],
        ..Workload::default()
    };
    let ids: Vec<String> = w.events().map(|e| e.deployment_id).collect();
    let switch = ids
        .iter()
        .position(|d| d == "dpl_NEW")
        .expect("second deployment");
    assert!((450..=550).contains(&switch));
    assert!(ids[switch..].iter().all(|d| d == "dpl_NEW"));
}

#[test]
fn events_are_lazy_and_unbounded_on_request() {
    let w = Workload::default();
    assert_eq!(w.unbounded_events().skip(50_000).take(5).count(), 5);
    let lines = {
        let mut out = Vec::new();
        write_workload(
            Shape::CliLegacyJson,
            &Workload { records: 10, ..w },
            &WriteOptions::default(),
            &mut out,
        )
        .expect("write");
        json_lines(&out)
    };
    assert_eq!(lines.len(), 10);
}
