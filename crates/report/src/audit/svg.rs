//! Inline SVG bar charts for the HTML audit page: no scripts, no fonts to
//! fetch, readable at a glance. Each bar carries a `<title>` (a hover
//! tooltip in every browser) with its period and count.

use std::fmt::Write as _;

/// Escapes text for HTML and SVG (content and attribute values): the one
/// HTML escaper, which also blanks control characters (invalid in XML).
pub fn esc(s: &str) -> String {
    crate::escape::html(s)
}

/// One series of a chart.
pub struct Series<'a> {
    pub name: &'a str,
    /// A CSS colour.
    pub color: &'a str,
    pub values: &'a [u64],
}

/// Chart geometry and labelling.
pub struct ChartSpec<'a> {
    /// CSS classes of the `<svg>` (tests count `sig-chart`).
    pub class: &'a str,
    pub width: u32,
    pub height: u32,
    /// One label per period.
    pub labels: &'a [String],
    /// What the chart shows, for screen readers.
    pub title: &'a str,
}

/// A round axis maximum at or above `max` whose half is a whole number
/// too (the middle grid line is labelled): 2, 4, 6, 8, 10, 20, 40, …
fn nice_max(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [2, 4, 6, 8, 10] {
            if step.saturating_mul(m) >= max.max(1) {
                return step.saturating_mul(m);
            }
        }
        step = step.saturating_mul(10);
    }
}

/// `#d7263d` at opacity `alpha` as `rgba(…)` (for tinted cells).
pub fn tint(hex: &str, alpha: f64) -> String {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| {
        h.get(i..i + 2)
            .and_then(|x| u8::from_str_radix(x, 16).ok())
            .unwrap_or(128)
    };
    format!("rgba({},{},{},{alpha:.2})", c(0), c(2), c(4))
}

/// `12345` → `12.3k`.
fn compact(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// Bars per period, one bar per series side by side; the latest period is
/// drawn on a tinted band so the eye lands on it.
pub fn bar_chart(spec: &ChartSpec<'_>, series: &[Series<'_>]) -> String {
    let (w, h) = (f64::from(spec.width), f64::from(spec.height));
    let (left, right, top, bottom) = (34.0, 6.0, 14.0, 22.0);
    let n = spec.labels.len().max(1);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let axis = nice_max(max);
    let slot = plot_w / n as f64;
    let group_w = (slot * 0.72).min(64.0);
    let bar_w = group_w / series.len().max(1) as f64;
    let mut svg = String::with_capacity(2048);
    let _ = write!(
        svg,
        r#"<svg class="{}" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{}">"#,
        esc(spec.class),
        esc(spec.title)
    );
    // Latest-period band and grid.
    let _ = write!(
        svg,
        r#"<rect class="latest-band" x="{:.1}" y="{top}" width="{slot:.1}" height="{plot_h:.1}" rx="4"/>"#,
        left + slot * (n - 1) as f64
    );
    for frac in [0.0, 0.5, 1.0] {
        let y = top + plot_h * (1.0 - frac);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            w - right,
            left - 5.0,
            y + 3.5,
            compact((axis as f64 * frac).round() as u64)
        );
    }
    let every = n.div_ceil(10);
    for (i, label) in spec.labels.iter().enumerate() {
        let x0 = left + slot * i as f64 + (slot - group_w) / 2.0;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0);
            let bh = if v == 0 {
                0.0
            } else {
                (plot_h * v as f64 / axis as f64).max(2.0)
            };
            let x = x0 + bar_w * k as f64;
            let _ = write!(
                svg,
                r#"<rect class="bar" x="{x:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" rx="2" fill="{}"><title>{}: {} {}</title></rect>"#,
                top + plot_h - bh,
                (bar_w - 1.0).max(1.0),
                esc(s.color),
                esc(label),
                v,
                esc(s.name)
            );
            if n <= 12 && v > 0 {
                let _ = write!(
                    svg,
                    r#"<text class="value" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                    x + bar_w / 2.0,
                    top + plot_h - bh - 3.0,
                    compact(v)
                );
            }
        }
        if i % every == 0 || i + 1 == n {
            let short = label.get(5..).unwrap_or(label);
            let _ = write!(
                svg,
                r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                left + slot * (i as f64 + 0.5),
                h - 6.0,
                esc(short)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(nice_max(0), 2);
        assert_eq!(nice_max(5), 6);
        assert_eq!(nice_max(7), 8);
        assert_eq!(nice_max(120), 200);
        assert_eq!(tint("#d7263d", 0.5), "rgba(215,38,61,0.50)");
        assert_eq!(compact(12_345), "12.3k");
    }

    #[test]
    fn one_bar_per_value_and_escaped_text() {
        let labels = vec!["2026-W03".to_string(), "2026-W04".to_string()];
        let svg = bar_chart(
            &ChartSpec {
                class: "chart sig-chart",
                width: 300,
                height: 120,
                labels: &labels,
                title: "a <b>",
            },
            &[Series {
                name: "hits",
                color: "#c00",
                values: &[3, 0],
            }],
        );
        assert_eq!(svg.matches(r#"class="bar""#).count(), 2);
        assert!(svg.contains("aria-label=\"a &lt;b&gt;\""));
        assert!(svg.contains("<title>2026-W03: 3 hits</title>"));
    }
}
