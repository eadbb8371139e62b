//! fixtures-client's command line, as its generated `fixtures` binary runs it: the process the
//! construct tests of `tests/tests/clients/fixtures_kit.rs` start.

fn main() -> std::process::ExitCode {
    fixtures_client::command_line()
}
