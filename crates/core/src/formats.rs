//! The output formats of each command, by name: a setting (flags,
//! `logs.toml`) the core reads and checks, and the printers
//! (`logs-report`) implement.

crate::named_enum!(
    /// Output formats of `logs rollback`.
    RollbackFormat {
        Table = "table": "The decision first, then one row per rule (default)",
        Json = "json": "Versioned JSON (logs.rollback/v1) for programs",
        Markdown = "markdown": "GitHub-flavoured Markdown, for a PR or incident comment",
    }
);

crate::named_enum!(
    /// Output formats of `logs signatures list`.
    SignaturesFormat {
        Table = "table": "A table for people (default)",
        Json = "json": "Versioned JSON (logs.signatures/v1): every signature with its anchors, regex and examples",
    }
);

crate::named_enum!(
    /// Output formats of `logs audit`.
    AuditFormat {
        Table = "table": "Tables for the terminal (default)",
        Markdown = "markdown": "GitHub-flavoured Markdown, to paste into the weekly issue",
        Json = "json": "Versioned JSON (logs.audit/v1)",
        Html = "html": "One self-contained HTML page (inline CSS and SVG charts, no scripts, no network)",
    }
);

crate::named_enum!(
    /// Output formats of `logs templates`.
    TemplatesFormat {
        Table = "table": "A table for people (default)",
        Json = "json": "Versioned JSON (logs.templates/v1) with every template's line numbers",
    }
);

crate::named_enum!(
    /// Output formats of `logs check`.
    CheckFormat {
        Table = "table": "A verdict line and a table for people (default)",
        Json = "json": "Versioned JSON (logs.check/v1) for programs",
        Markdown = "markdown": "GitHub-flavoured Markdown, for PR comments and $GITHUB_STEP_SUMMARY",
        Github = "github": "GitHub Actions workflow annotations (::error …)",
        Junit = "junit": "JUnit XML (one test case per signature and per input) for GitLab, Jenkins, CircleCI and Buildkite",
    }
);
