//! Inputs the fuzz targets found that broke a property, each named after
//! what broke and run through the same property, so the fix stays.

use super::files::{Files, scan_property};
use super::state::{fresh_report, state_property};

#[test]
fn a_scalar_array_element_cut_by_a_streamed_block_is_read_on() {
    // `[i[i[i…`: the streaming reader cut blocks inside the scalar `i…`,
    // counting one malformed element per block instead of one.
    scan_property(&Files::new(), b"[i");
}

#[test]
fn a_chunk_emptied_by_a_long_record_counts_no_arrays() {
    // `[},{[},{…`: one unclosed record covers every later chunk; the
    // emptied chunks counted the first chunk's array again (json-batches).
    scan_property(&Files::new(), b"[},{");
}

#[test]
fn json_shaped_garbage_is_decoded_the_same_however_it_is_cut() {
    // `{"}{"}…`: records that frame but never decode were all decoded in
    // a mapped file (looking for the shape) and only in the first block
    // of a stream, so the verdict depended on how the input was read.
    scan_property(&Files::new(), b"{\"}");
}

#[test]
fn a_stray_quote_in_an_unquoted_csv_field_opens_no_quoted_field() {
    // `6"` is a plain field to the CSV reader; counting quotes cut the
    // stream's blocks (and judged truncation) as if it opened one.
    scan_property(&Files::new(), b",message\n6\",\"");
}

#[test]
fn control_characters_never_reach_github_annotations() {
    scan_property(
        &Files::new(),
        b"{\"message\":\"The request is not authenticated. Ensure you are using the correct URL\x7f\x1b[2J\",\"level\":\"error\"}\n",
    );
}

#[test]
fn a_new_template_never_takes_the_id_of_a_saved_one_it_does_not_cover() {
    // A saved template whose tokens no longer match (same text mined
    // differently, or edited) kept its id while a new group got the same
    // id from the same text: the saved state listed it twice and the next
    // audit refused it.
    let fresh = fresh_report();
    let group = fresh
        .unknown
        .first()
        .expect("the sample has unknown errors");
    let state = format!(
        r#"{{"schema":"logs.audit-state/v1","period":"week","latest_period_start":"2026-01-12T00:00:00.000Z","signatures":[],
        "templates":[{{"id":"{}","template":"{}","tokens":[" nothing"," like"," it"],
        "first_seen":"2026-01-12T09:00:00.000Z","last_seen":"2026-01-12T10:00:00.000Z"}}]}}"#,
        group.id, "something else"
    );
    let report = state_property(state.as_bytes()).expect("the state loads");
    let ids: Vec<&str> = report.unknown.iter().map(|g| g.id.as_str()).collect();
    assert!(
        !ids.contains(&group.id.as_str()),
        "{} given to a new group while saved: {ids:?}",
        group.id
    );
}

#[test]
fn a_string_element_left_open_ends_with_its_line() {
    // `["x` on a line of batches: the string ran on into the next lines
    // in a mapped file, and stopped at the block's end in a stream, so the
    // malformed counts differed (983 against 1000 on the input found).
    scan_property(
        &Files::new(),
        b"[{\"a\":1},\"x\r\n2026-01-19,\"Mozilla/5.0\",,\r\n",
    );
}
