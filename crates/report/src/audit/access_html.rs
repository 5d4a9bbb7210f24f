//! The cron and webhook auth card of the HTML audit page: the same checks,
//! routes and note as the Markdown section (the words come from
//! [`crate::check::access`]), every log-derived value escaped with
//! [`crate::escape::html`]. User agents and client addresses arrive
//! redacted from the core, as every other printer shows them.

use std::fmt::Write as _;

use crate::check::access::{detail_lines, summary_note};
use crate::escape::html as esc;
use crate::thousands;
use logs_core::audit::AuditReport;

/// Appends the section to `h`.
pub(super) fn access_section(h: &mut String, report: &AuditReport) {
    let a = &report.access;
    let _ = write!(
        h,
        r#"<h2>Cron and webhook auth</h2><section class="card access"><p class="meta">{} cron and {} webhook request(s).</p>"#,
        thousands(a.summary.cron_requests),
        thousands(a.summary.webhook_requests)
    );
    if a.checks.is_empty() {
        h.push_str(r#"<p class="none">Every check passed.</p>"#);
    }
    for c in &a.checks {
        let sev = c.severity.as_str();
        let _ = write!(
            h,
            r#"<article class="access-check sev-{sev}"><div><span class="pill {sev}">{sev}</span><code class="id">{}</code></div><h3>{}</h3><p class="meta">{} request(s)</p><ul>"#,
            esc(&c.check),
            esc(&c.title),
            thousands(c.count)
        );
        for (head, rest) in detail_lines(&c.routes) {
            let _ = write!(
                h,
                r#"<li><b>{}</b><div class="meta">{}</div></li>"#,
                esc(&head),
                esc(&rest)
            );
        }
        let _ = write!(h, "</ul><p>{}</p></article>", esc(&c.action));
    }
    if let Some(note) = summary_note(&a.summary) {
        let _ = write!(h, r#"<p class="note"><b>Note:</b> {}</p>"#, esc(&note));
    }
    h.push_str("</section>");
}
