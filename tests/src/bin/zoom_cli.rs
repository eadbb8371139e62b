//! zoom-client's command line, as its generated `zoom` binary runs it (that binary is
//! `zoom_client::command_line()` alone): the process the CLI tests of
//! `tests/tests/clients/cli_process.rs` start.

fn main() -> std::process::ExitCode {
    zoom_client::command_line()
}
