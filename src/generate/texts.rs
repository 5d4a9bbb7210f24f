//! Verbatim error texts that the signature catalog must recognise ("hits"),
//! near misses that it must not ("look-alikes"), and where each hit happens.
//!
//! The texts follow FORMATS.md §5 and the way Node, Next.js, Prisma, undici
//! and supabase-js print errors (stack lines, `{ code: … }` property blocks).

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

static LOOK_ALIKES: [&str; 4] = [
    "GET /docs/errors/P2002 200 in 14ms",
    "[Billing] Invoice INV-P20021 paid by customer cus_Q8mX2 (total $1,240.00)",
    "[Cart] Added SKU E352-blue to cart cart_71c (qty 2, \"Trail Runner\" size 42)",
    "[Docs] Rendered \"Prisma error reference\" page, section P2002, for anonymous visitor",
];

static HITS: [(&str, &str); 15] = [
    (
        "next-invalid-use-server-export",
        "⨯ Error: A \"use server\" file can only export async functions, found object.\n\
Read more: https://nextjs.org/docs/messages/invalid-use-server-value\n    \
at <unknown> (.next/server/app/leads/[id]/page.js:1:5326)\n    \
at Object.<anonymous> (.next/server/app/leads/[id]/page.js:1:5470)\n    \
at Module._compile (node:internal/modules/cjs/loader:1554:14)\n    \
at process.processTicksAndRejections (node:internal/process/task_queues:105:5) \
{ digest: '4171760897@E352' }",
    ),
    (
        "next-server-components-render",
        "⨯ Error: An error occurred in the Server Components render. The specific message is omitted \
in production builds to avoid leaking sensitive details. A digest property is included on this error \
instance which may provide additional details about the nature of the error.\n    \
at Object.<anonymous> (.next/server/app/inbox/page.js:1:20441) {\n  digest: '2338972481'\n}",
    ),
    (
        "prisma-unique-constraint",
        "PrismaClientKnownRequestError: \nInvalid `prisma.backgroundJob.create()` invocation:\n\n\n\
Unique constraint failed on the fields: (`dedupeKey`)\n    \
at Zn.handleRequestError (/var/task/node_modules/@prisma/client/runtime/library.js:121:7315)\n    \
at async enqueueJob (/var/task/.next/server/chunks/4410.js:1:918) {\n  code: 'P2002',\n  \
clientVersion: '5.22.0',\n  meta: { modelName: 'BackgroundJob', target: [ 'dedupeKey' ] }\n}",
    ),
    (
        "prisma-db-unreachable",
        "PrismaClientInitializationError: \nInvalid `prisma.lead.findMany()` invocation:\n\n\n\
Can't reach database server at `db.example.supabase.co`:`5432`\n\n\
Please make sure your database server is running at `db.example.supabase.co`:`5432`.\n    \
at $n.handleRequestError (/var/task/node_modules/@prisma/client/runtime/library.js:121:7653) {\n  \
clientVersion: '5.22.0',\n  errorCode: 'P1001'\n}",
    ),
    (
        "supabase-refresh-token-not-found",
        "AuthApiError: Invalid Refresh Token: Refresh Token Not Found\n    \
at handleError (/var/task/node_modules/@supabase/auth-js/dist/main/lib/fetch.js:80:11)\n    \
at async _handleRequest (/var/task/node_modules/@supabase/auth-js/dist/main/lib/fetch.js:123:9) {\n  \
__isAuthError: true,\n  status: 400,\n  code: 'refresh_token_not_found'\n}",
    ),
    (
        "vercel-function-timeout",
        "Vercel Runtime Timeout Error: Task timed out after 300 seconds",
    ),
    (
        "undici-body-timeout",
        "TypeError: fetch failed\n    at node:internal/deps/undici/undici:13510:13\n    \
at async syncReplies (/var/task/.next/server/app/api/cron/sync-emailbison/route.js:1:4410) {\n  \
[cause]: BodyTimeoutError: Body Timeout Error\n      \
at Timeout.onParserTimeout [as callback] (node:internal/deps/undici/undici:9300:32)\n      \
at listOnTimeout (node:internal/timers:594:17) {\n    code: 'UND_ERR_BODY_TIMEOUT'\n  }\n}",
    ),
    (
        "react-too-many-rerenders",
        "Error: Minified React error #301; visit https://react.dev/errors/301 for the full message or use \
the non-minified dev environment for full errors and additional helpful warnings.\n    \
at renderWithHooks (.next/server/chunks/9024.js:1:60110)",
    ),
    (
        "node-process-crash",
        "Node.js process exited with exit status: 1. The logs above can help with debugging the issue.",
    ),
    (
        "node-heap-out-of-memory",
        "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n\
----- Native stack trace -----\n\n 1: 0xb8d0a3 node::OOMErrorHandler(char const*, v8::OOMDetails const&)",
    ),
    (
        "abort-error",
        "[Messages] Supabase query failed: { message: 'AbortError: This operation was aborted', \
details: '', hint: '', code: '20' }\nAbortError: This operation was aborted\n    \
at new DOMException (node:internal/per_context/domexception:53:5)",
    ),
    (
        "inbox-counts-unauthorized",
        "Failed to get inbox counts: Error: Unauthorized\n    \
at getInboxCounts (/var/task/.next/server/chunks/5120.js:1:2210)",
    ),
    (
        "emailbison-unauthenticated",
        "[EmailBison] GET https://send.emailbison.com/api/replies failed with 401: \
{\"message\":\"The request is not authenticated. Ensure you are using the correct URL, and a key \
that exists for the URL.\"}",
    ),
    (
        "ai-incomplete-json-retry",
        "[AI] incomplete JSON from model, retrying (attempt 2/3)",
    ),
    (
        "node-deprecation-warning",
        "(node:4) [DEP0169] DeprecationWarning: `url.parse()` behavior is not standardized and prone to \
errors that have security implications. Use the WHATWG URL API instead. CVEs are not issued for \
`url.parse()` vulnerabilities.\n(Use `node --trace-deprecation ...` to show where the warning was created)",
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
