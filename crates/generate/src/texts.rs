//! Verbatim error texts that the signature catalog must recognise ("hits"),
//! near misses that it must not ("look-alikes"), and where each hit happens.
//!
//! The texts are real: each comes from a public issue or from the team's own
//! logs that FORMATS.md §5 quotes, with its source in a comment.

use super::event::{Event, request};

/// Every hit message with the id of the signature it represents.
pub fn hit_texts() -> &'static [(&'static str, &'static str)] {
    &HITS
}

/// The hit message of a signature id.
pub fn hit_message(signature_id: &str) -> Option<&'static str> {
    HITS.iter()
        .find(|(id, _)| *id == signature_id)
        .map(|(_, m)| *m)
}

/// Messages (and one request path) that resemble a signature but must not
/// match one: a docs page about P2002, an invoice id, a product SKU.
pub fn look_alike_texts() -> &'static [&'static str] {
    &LOOK_ALIKES
}

/// Where a hit typically occurs: method, route, concrete path, status, level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HitContext {
    pub method: &'static str,
    pub route: &'static str,
    pub path: &'static str,
    pub status: i32,
    pub level: &'static str,
}

/// The request context a hit of `signature_id` is generated in.
pub fn hit_context(signature_id: &str) -> Option<HitContext> {
    let c = |method, route, path, status, level| HitContext {
        method,
        route,
        path,
        status,
        level,
    };
    Some(match signature_id {
        // Server Actions are POSTs to page routes.
        "next-invalid-use-server-export" => {
            c("POST", "/leads/[id]", "/leads/ld_7f3a9c", 500, "error")
        }
        "next-server-components-render" => c("GET", "/inbox", "/inbox?tab=unread", 500, "error"),
        "prisma-unique-constraint" => c("POST", "/api/jobs", "/api/jobs", 500, "error"),
        "prisma-db-unreachable" => c("GET", "/api/leads", "/api/leads?page=2", 500, "error"),
        "supabase-refresh-token-not-found" => c("GET", "/dashboard", "/dashboard", 200, "error"),
        "vercel-function-timeout" => c(
            "GET",
            "/api/cron/sync-sms",
            "/api/cron/sync-sms",
            504,
            "error",
        ),
        "undici-body-timeout" => c(
            "GET",
            "/api/cron/sync-emailbison",
            "/api/cron/sync-emailbison",
            500,
            "error",
        ),
        "react-too-many-rerenders" => c("GET", "/leads/[id]", "/leads/ld_19bd02", 500, "error"),
        "node-process-crash" => c(
            "POST",
            "/api/webhooks/twilio",
            "/api/webhooks/twilio",
            -1,
            "fatal",
        ),
        "node-heap-out-of-memory" => c("GET", "/api/export", "/api/export?format=csv", -1, "fatal"),
        "abort-error" => c(
            "GET",
            "/api/messages",
            "/api/messages?cursor=40",
            500,
            "error",
        ),
        "inbox-counts-unauthorized" => c(
            "GET",
            "/api/inbox/counts",
            "/api/inbox/counts",
            401,
            "error",
        ),
        "emailbison-unauthenticated" => c(
            "GET",
            "/api/cron/sync-emailbison",
            "/api/cron/sync-emailbison",
            500,
            "error",
        ),
        "ai-incomplete-json-retry" => c(
            "POST",
            "/api/ai/draft-reply",
            "/api/ai/draft-reply",
            200,
            "warning",
        ),
        "node-deprecation-warning" => c("GET", "/api/leads", "/api/leads", 200, "error"),
        _ => return None,
    })
}

/// A complete one-line request carrying the hit `signature_id`, in its usual
/// context (see [`hit_context`]), with a duration (300 s for the timeout).
pub fn hit_event(signature_id: &str, time_ms: i64, deployment: &str) -> Option<Event> {
    let c = hit_context(signature_id)?;
    let message = hit_message(signature_id)?;
    let duration = if c.status == 504 {
        300_000
    } else {
        180 + (time_ms.rem_euclid(900) as u32)
    };
    Some(
        request(time_ms, deployment, c.method, c.path, c.route, c.status)
            .with_level(c.level)
            .with_message(message)
            .with_duration(duration),
    )
}

// Look-alikes: a request line and prose that name error codes without being
// errors. The first is the example of a request line; the last two
// are real lines (sources above them).
static LOOK_ALIKES: [&str; 6] = [
    "GET /docs/errors/P2002 200 in 14ms",
    "[Billing] Invoice INV-P20021 paid by customer cus_Q8mX2 (total $1,240.00)",
    "[Cart] Added SKU E352-blue to cart cart_71c (qty 2, \"Trail Runner\" size 42)",
    "[Docs] Rendered \"Prisma error reference\" page, section P2002, for anonymous visitor",
    // For-Hives/ForVoyez#219: Next.js's docs link, logged on its own line
    "Read more: https://nextjs.org/docs/messages/invalid-use-server-value",
    // PublicAffairs/openai-gemini#54: a docs URL naming a Vercel error code
    "This timeout is expected: https://vercel.com/docs/errors/EDGE_FUNCTION_INVOCATION_TIMEOUT",
];

// Every hit is a real log text, as published; the comment above each names
// where it was seen (GitHub `owner/repo#issue`, or FORMATS.md §5 for the
// team's own production log lines, which FORMATS quotes).
static HITS: [(&str, &str); 15] = [
    (
        "next-invalid-use-server-export",
        // For-Hives/ForVoyez#219 (first three lines); the production digest
        // line is the team's (FORMATS.md §5).
        " ⨯ Error: A \"use server\" file can only export async functions, found object.\n\
Read more: https://nextjs.org/docs/messages/invalid-use-server-value\n    \
at eval (./src/services/database.service.js:264:91)\n\
{ digest: '4171760897@E352' }",
    ),
    (
        "next-server-components-render",
        // jherr/rsc-use#1
        "[Error: An error occurred in the Server Components render. The specific message is omitted \
in production builds to avoid leaking sensitive details. A digest property is included on this error \
instance which may provide additional details about the nature of the error.] {\n  digest: '956933652'\n}",
    ),
    (
        "prisma-unique-constraint",
        // The team's production log (FORMATS.md §5 quotes its parts); the
        // same error on Vercel: prisma/orm#20126.
        "PrismaClientKnownRequestError: \nInvalid `prisma.backgroundJob.create()` invocation:\n\n\n\
Unique constraint failed on the fields: (`dedupeKey`)\n{\n  code: 'P2002',\n  clientVersion: '5.22.0',\n  \
meta: { modelName: 'BackgroundJob', target: [ 'dedupeKey' ] }\n}",
    ),
    (
        "prisma-db-unreachable",
        // besscroft/PicImpact#348 (a Vercel function log)
        "Error [PrismaClientInitializationError]: \nInvalid `prisma.configs.findMany()` invocation:\n\n\n\
Can't reach database server at `aws-0-ap-southeast-1.pooler.supabase.com:5432`\n\n\
Please make sure your database server is running at `aws-0-ap-southeast-1.pooler.supabase.com:5432`.\n    \
at async f (.next/server/chunks/4290.js:1:1041) {\n  clientVersion: '6.4.1',\n  errorCode: undefined,\n  \
digest: '157733905'\n}",
    ),
    (
        "supabase-refresh-token-not-found",
        // supabase-community/vercel-ai-chatbot#10 (first line); the property
        // block is the team's (FORMATS.md §5).
        "AuthApiError: Invalid Refresh Token: Refresh Token Not Found\n\
{ __isAuthError: true, status: 400, code: 'refresh_token_not_found' }",
    ),
    (
        "vercel-function-timeout",
        // The team's log (FORMATS.md §5); the same line with 10 s:
        // ridwaanhall/ridwaanhall-com#88
        "Vercel Runtime Timeout Error: Task timed out after 300 seconds",
    ),
    (
        "undici-body-timeout",
        // owncloud/web#11012
        "TypeError: terminated\n    at Fetch.onAborted (node:internal/deps/undici/undici:11442:53) {\n  \
[cause]: BodyTimeoutError: Body Timeout Error\n      \
at Timeout.onParserTimeout [as callback] (node:internal/deps/undici/undici:9752:32) {\n    \
code: 'UND_ERR_BODY_TIMEOUT'\n  }\n}",
    ),
    (
        "react-too-many-rerenders",
        // react/react#16921
        "An error was thrown: \"Minified React error #301; visit \
https://reactjs.org/docs/error-decoder.html?invariant=301 for the full message or use the non-minified \
dev environment for full errors and additional helpful warnings. \"",
    ),
    (
        "node-process-crash",
        // Vercel's crash line (FORMATS.md §5)
        "Node.js process exited with exit status: 1. The logs above can help with debugging the issue.",
    ),
    (
        "node-heap-out-of-memory",
        // netlify/netlify-lambda#168
        "FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - JavaScript heap out of memory",
    ),
    (
        "abort-error",
        // webtorrent/webtorrent#2874
        "DOMException [AbortError]: This operation was aborted\n    \
at new DOMException (node:internal/per_context/domexception:53:5)\n    \
at AbortController.abort (node:internal/abort_controller:395:18)",
    ),
    (
        "inbox-counts-unauthorized",
        // The team's own error line (FORMATS.md §5 and the catalog's team.toml)
        "Failed to get inbox counts: Error: Unauthorized",
    ),
    (
        "emailbison-unauthenticated",
        // The team's own error line (catalog team.toml)
        "[EmailBison] Replies fetch failed (401): The request is not authenticated. Ensure you are using \
the correct URL, and a key that exists for the URL.",
    ),
    (
        "ai-incomplete-json-retry",
        // The team's own warning (catalog team.toml)
        "[AI] incomplete JSON from model, retrying (attempt 2/3)",
    ),
    (
        "node-deprecation-warning",
        // The team's log at level error (FORMATS.md §5)
        "(node:4) [DEP0169] DeprecationWarning: `url.parse()` behavior is not standardized and prone to \
errors that have security implications. Use the WHATWG URL API instead.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hit_has_a_context_and_an_event() {
        assert_eq!(hit_texts().len(), 15);
        for (id, message) in hit_texts() {
            let e = hit_event(id, 1_768_813_460_047, "dpl_X").expect(id);
            assert_eq!(e.message, *message);
        }
        assert!(hit_event("nope", 0, "dpl_X").is_none());
    }

    #[test]
    fn look_alikes_avoid_hit_markers() {
        for text in look_alike_texts() {
            assert!(
                !text.contains("code: 'P2002'") && !text.contains("@E352"),
                "{text}"
            );
        }
    }
}
