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

/// The man page of `logs`, then one page per subcommand, nested ones
/// included (`logs-signatures-list`), as the SEE ALSO sections name them.
pub fn man() -> anyhow::Result<i32> {
    let mut cmd = Cli::command();
    cmd.build();
    emit(|out| render(&cmd, "logs", out))?;
    Ok(EXIT_CLEAN)
}

fn render(cmd: &clap::Command, name: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(cmd.clone().name(name.to_string())).render(out)?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        render(sub, &format!("{name}-{}", sub.get_name()), out)?;
    }
    Ok(())
}
