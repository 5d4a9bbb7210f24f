//! `logs completions <shell>` and `logs man`: generated from the clap
//! definitions, so they never drift from the flags.

use clap::CommandFactory;

use super::args::Cli;
use super::{EXIT_CLEAN, emit};

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    let mut cmd = Cli::command();
    emit(|out| {
        clap_complete::generate(shell, &mut cmd, "logs", out);
        Ok(())
    })?;
    Ok(EXIT_CLEAN)
}

/// The man page of `logs`, then one section per subcommand.
pub fn man() -> anyhow::Result<i32> {
    let cmd = Cli::command();
    emit(|out| {
        clap_mangen::Man::new(cmd.clone()).render(out)?;
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let name = format!("logs-{}", sub.get_name());
            let sub = sub.clone().name(name);
            clap_mangen::Man::new(sub).render(out)?;
        }
        Ok(())
    })?;
    Ok(EXIT_CLEAN)
}
