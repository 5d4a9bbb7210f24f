//! The built-in catalog: `signatures/*.toml`, compiled into the binary.

/// `(file name, contents)` of every built-in catalog file.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "nextjs.toml",
        include_str!("../../../../signatures/nextjs.toml"),
    ),
    (
        "prisma.toml",
        include_str!("../../../../signatures/prisma.toml"),
    ),
    (
        "supabase.toml",
        include_str!("../../../../signatures/supabase.toml"),
    ),
    (
        "runtime.toml",
        include_str!("../../../../signatures/runtime.toml"),
    ),
    (
        "network.toml",
        include_str!("../../../../signatures/network.toml"),
    ),
    (
        "postgres.toml",
        include_str!("../../../../signatures/postgres.toml"),
    ),
    (
        "vercel.toml",
        include_str!("../../../../signatures/vercel.toml"),
    ),
    (
        "team.toml",
        include_str!("../../../../signatures/team.toml"),
    ),
];
