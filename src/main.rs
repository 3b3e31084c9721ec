//! The `cipa` command. All logic lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    // A panic is a bug in cipa, never the user's fault: say so and exit with code 1.
    std::panic::set_hook(Box::new(|info| {
        // A reader's panic on a malformed file is caught and reported as a data error.
        if cipa::data::read::in_guarded_parser() {
            return;
        }
        eprintln!("cipa: internal error: {info}\nThis is a bug in cipa; please report it with the command you ran.");
    }));
    match std::panic::catch_unwind(cipa::cli::main) {
        Ok(code) => code,
        Err(_) => std::process::ExitCode::from(cipa::cli::EXIT_INTERNAL),
    }
}
