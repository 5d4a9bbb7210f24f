//! Determinism, gzip (single and multiple members), BOM and CRLF.

use std::io::Read;

use flate2::read::{GzDecoder, MultiGzDecoder};

use super::super::{Shape, Workload, WriteOptions, write_workload};
use super::{json_lines, render, sample_events};

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    for shape in Shape::all() {
        let a = render(shape, &sample_events(42, 600), &WriteOptions::default());
        let b = render(shape, &sample_events(42, 600), &WriteOptions::default());
        let c = render(shape, &sample_events(43, 600), &WriteOptions::default());
        assert!(a == b && a != c, "{}", shape.name());
    }
}

#[test]
fn gzip_members_decompress_to_the_plain_output() {
    let events = sample_events(8, 2_000);
    for shape in Shape::all() {
        let plain = render(shape, &events, &WriteOptions::default());
        for members in [None, Some(50_000)] {
            let opts = WriteOptions {
                gzip: true,
                gzip_member_bytes: members,
                ..WriteOptions::default()
            };
            let gz = render(shape, &events, &opts);
            let mut all = Vec::new();
            MultiGzDecoder::new(gz.as_slice())
                .read_to_end(&mut all)
                .expect("gunzip");
            assert!(all == plain, "{}", shape.name());
            let mut first = Vec::new();
            GzDecoder::new(gz.as_slice())
                .read_to_end(&mut first)
                .expect("first member");
            assert_eq!(
                first.len() < plain.len(),
                members.is_some(),
                "{}",
                shape.name()
            );
        }
    }
}

#[test]
fn bom_and_crlf_frame_every_line() {
    let events = sample_events(9, 300);
    let opts = WriteOptions {
        bom: true,
        crlf: true,
        ..WriteOptions::default()
    };
    let bytes = render(Shape::DrainNdjson, &events, &opts);
    let body = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("BOM first");
    assert!(body.ends_with(b"\r\n"));
    assert_eq!(
        body.iter().filter(|&&b| b == b'\n').count(),
        body.windows(2).filter(|w| w == b"\r\n").count()
    );
    assert!(!json_lines(body).is_empty());
}

#[test]
fn target_bytes_sizes_the_output() {
    let target = 300_000;
    let w = Workload {
        target_bytes: Some(target),
        ..Workload::default()
    };
    for shape in Shape::all() {
        let mut out = Vec::new();
        let records = write_workload(shape, &w, &WriteOptions::default(), &mut out).expect("write");
        let len = out.len() as u64;
        assert!(
            records > 0 && len >= target && len < target + 100_000,
            "{}: {len}",
            shape.name()
        );
    }
}
