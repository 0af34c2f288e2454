//! Prints its arguments and sorted environment, the initial cwd, then writes to stderr
//! and exits with code 3 through `exit-with-code`.
use p3util::{errln, outln};
use wasip3::cli::{environment, exit};

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        for (i, a) in environment::get_arguments().iter().enumerate() {
            outln!("arg {i}: {a}");
        }
        let mut env = environment::get_environment();
        env.sort();
        for (k, v) in env {
            outln!("env {k}={v}");
        }
        outln!("cwd {:?}", environment::get_initial_cwd());
        errln!("exiting with 3");
        exit::exit_with_code(3);
        unreachable!("exit-with-code returned");
    }
}

wasip3::cli::command::export!(Run);
