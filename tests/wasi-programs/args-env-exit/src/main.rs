//! Prints its arguments and environment (sorted by name, so the output does not depend
//! on the host's order), a line on stderr, and exits with code 3 through
//! `wasi:cli/exit.exit-with-code` (std's `process::exit` can only say ok or err in
//! WASI 0.2).
mod bindings {
    wit_bindgen::generate!({
        inline: r#"
            package wasi:cli@0.2.6;
            interface exit {
                @since(version = 0.2.0)
                exit: func(status: result);
                @unstable(feature = cli-exit-with-code)
                exit-with-code: func(status-code: u8);
            }
            world exit-only {
                import exit;
            }
        "#,
        world: "exit-only",
        features: ["cli-exit-with-code"],
    });
}

fn main() {
    for (i, arg) in std::env::args().enumerate() {
        println!("arg {i}: {arg}");
    }
    let mut vars: Vec<(String, String)> = std::env::vars().collect();
    vars.sort();
    for (k, v) in vars {
        println!("env {k}={v}");
    }
    eprintln!("exiting with 3");
    use std::io::Write;
    std::io::stdout().flush().unwrap();
    bindings::wasi::cli::exit::exit_with_code(3);
    unreachable!("exit-with-code returned");
}
