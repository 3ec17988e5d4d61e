//! `maestro completions <shell>`: the shell's completion script, from the same clap definition
//! the binary parses with, so it cannot miss a flag.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::error::Error;

pub(super) fn run(shell: Shell, out: &mut dyn Write) -> Result<(), Error> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "maestro", out);
    Ok(())
}
