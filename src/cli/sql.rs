//! `logs sql`: the catalog and the rollback policy as ClickHouse SQL
//! (`logs_sql`), for logs kept in a log store. Flags → the generator's
//! inputs; the SQL goes to stdout. `logs rollback --from-sql-results`
//! judges what the rollback query returns.

use anyhow::bail;
use clap::{Args, Subcommand};

use super::common::{CatalogArgs, FilterArgs};
use super::rollback::{check_policy_signatures, load_policy};
use super::{Context, EXIT_CLEAN, emit, inputs};

pub const SQL_ABOUT: &str = "\
Print ClickHouse SQL that gives the answers of `logs check`, `logs rollback` \
and `logs audit` where the logs already are: a log store with the table of \
`logs sql schema`. The SQL is generated from the signature catalog and the \
rollback policy in force (the same --signatures, --policy and logs.toml as \
the other commands), never written per signature.";

pub const SQL_HELP: &str = "\
Examples:
  logs sql schema | clickhouse-client --multiquery
  clickhouse-client --query \"INSERT INTO vercel_logs (raw) FORMAT JSONAsString\" < drain.ndjson
  logs sql check --since 7d | clickhouse-client
  logs sql rollback --deployment dpl_NEW | clickhouse-client > results.ndjson
  logs rollback --from-sql-results results.ndjson --deployment dpl_NEW
  logs sql audit --period week | clickhouse-client --multiquery";

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The table (optionally `database.table`).
    #[arg(long, global = true, value_name = "NAME", default_value = logs_sql::DEFAULT_TABLE)]
    pub table: String,
    #[command(subcommand)]
    pub command: SqlCommand,
}

#[derive(Debug, Subcommand)]
pub enum SqlCommand {
    /// The table's DDL (MergeTree, one row per drain record, columns
    /// documented) and how to load drain NDJSON and `logs serve` files.
    Schema {
        /// Print only the statement loading these drain files into the
        /// table (a path or glob the ClickHouse server reads; repeatable).
        #[arg(long, value_name = "PATH")]
        load: Vec<String>,
    },
    /// One query: per signature, count, distinct fingerprints, first and
    /// last seen, top routes.
    Check {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// One query returning each rollback rule's measure; judge its output
    /// with `logs rollback --from-sql-results FILE`.
    Rollback(Box<SqlRollbackArgs>),
    /// Per-period counts per signature, and the unknown errors the audit
    /// groups.
    Audit {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        filter: FilterArgs,
        /// day or week (ISO weeks, Monday, UTC).
        #[arg(long, default_value = "week", value_name = "PERIOD")]
        period: String,
    },
}

#[derive(Debug, Args)]
pub struct SqlRollbackArgs {
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// The canary deployment: its id (dpl_…), its URL host, or a URL.
    #[arg(long, value_name = "ID")]
    pub deployment: String,
    /// The baseline deployment [default: every other deployment].
    #[arg(long, value_name = "ID")]
    pub baseline: Option<String>,
    /// Deploy time [default: the canary's first record].
    #[arg(long, value_name = "TIME")]
    pub deploy_time: Option<String>,
    /// Evaluation time [default: the last record in the table].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Rollback policy (TOML) laid over the built-in one; judge with the same.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<std::path::PathBuf>,
}

fn filters(f: &FilterArgs) -> anyhow::Result<logs_sql::Filters> {
    Ok(logs_sql::Filters {
        since_ms: inputs::time_flag("since", &f.since)?,
        until_ms: inputs::time_flag("until", &f.until)?,
        deployment: f
            .deployment
            .as_deref()
            .map(|d| crate::record::deployment_name(d).to_string()),
        environment: f.environment.clone(),
    })
}

fn defs(catalog: &CatalogArgs, ctx: &Context) -> anyhow::Result<crate::signatures::SignatureSet> {
    inputs::catalog(catalog, &ctx.config, &[])
}

pub fn run(args: SqlArgs, ctx: &Context) -> anyhow::Result<i32> {
    let table = args.table.as_str();
    if !logs_sql::quote::is_table_name(table) {
        bail!("--table {table:?}: expected a table name like vercel_logs or logs.vercel_logs");
    }
    let text = match args.command {
        SqlCommand::Schema { load } if !load.is_empty() => load
            .iter()
            .map(|p| logs_sql::schema::load_files(table, p))
            .collect(),
        SqlCommand::Schema { .. } => {
            format!(
                "{}\n{}",
                logs_sql::schema::ddl(table),
                logs_sql::schema::ingestion(table)
            )
        }
        SqlCommand::Check { catalog, filter } => {
            let set = defs(&catalog, ctx)?;
            logs_sql::check::query(table, set.defs(), &filters(&filter)?)
        }
        SqlCommand::Rollback(r) => {
            let (policy, _) = load_policy(r.policy.as_deref(), ctx)?;
            let set = defs(&r.catalog, ctx)?;
            check_policy_signatures(&policy, &set)?;
            let name = |v: &str| crate::record::deployment_name(v).to_string();
            let q = logs_sql::rollback::RollbackQuery {
                canary: name(&r.deployment),
                baseline: r.baseline.as_deref().map(name),
                deploy_time_ms: inputs::time_flag("deploy-time", &r.deploy_time)?,
                now_ms: inputs::time_flag("now", &r.now)?,
            };
            if q.baseline.as_deref() == Some(q.canary.as_str()) {
                bail!(
                    "--baseline names the canary itself ({}); name the deployment it replaces",
                    q.canary
                );
            }
            logs_sql::rollback::query(table, set.defs(), &policy, &q)
        }
        SqlCommand::Audit {
            catalog,
            filter,
            period,
        } => {
            let period = match period.as_str() {
                "day" => logs_sql::audit::Period::Day,
                "week" => logs_sql::audit::Period::Week,
                other => bail!("--period {other:?}: expected day or week"),
            };
            let set = defs(&catalog, ctx)?;
            let f = filters(&filter)?;
            format!(
                "{}\n{}",
                logs_sql::audit::signatures_query(table, set.defs(), &f, period),
                logs_sql::audit::unknown_query(table, set.defs(), &f, period)
            )
        }
    };
    emit(|out| out.write_all(text.as_bytes()))?;
    Ok(EXIT_CLEAN)
}
