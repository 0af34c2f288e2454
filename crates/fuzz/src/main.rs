//! `weft-fuzz`: the long fuzz pass (`scripts/fuzz`).
//!
//! ```text
//! weft-fuzz [--inputs N] [--seed S] [--minutes M] [--jobs J] [--only GENERATOR]
//!           [--deadline SECS] [--memory MIB] [--save DIR | --no-save]
//! weft-fuzz --replay FILE...
//! weft-fuzz --make INDEX [--seed S] [--only GENERATOR]
//! ```
//!
//! Runs inputs `0..N` of the run seeded `S` (see `weft_fuzz::generate`), stopping after
//! `M` minutes if that comes first, in `J` worker processes (input `i` goes to worker
//! `i % J`). A worker runs each input on a thread with a deadline and catches its
//! panics; each worker process runs under `ulimit -v` (four times the memory bound),
//! so an input that takes all memory or overflows the stack kills only its worker:
//! the supervisor names the input (workers report each index before they run it),
//! saves it, and starts the worker again after it. A hang also ends its worker (the
//! thread cannot be stopped). Every failing input is saved under `--save` (default
//! `tests/fuzz-regressions/`), named by its failure and the hash of its bytes; the CI
//! mode (`cargo test -p weft-fuzz`) replays them all. Exits 1 when anything failed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use weft_fuzz::{Bounds, Verdict, check, corpus, generate, regressions_dir, save};

#[global_allocator]
static ALLOC: weft_fuzz::alloc::Counting = weft_fuzz::alloc::Counting;

/// Exit code of a worker that stopped after a hang.
const HANG_EXIT: i32 = 3;

#[derive(Debug, Clone)]
struct Args {
    inputs: u64,
    seed: u64,
    minutes: Option<f64>,
    jobs: u64,
    only: Option<String>,
    deadline: u64,
    memory_mib: usize,
    save: Option<PathBuf>,
    // Worker only.
    worker: Option<u64>,
    from: u64,
    until: Option<u64>,
    replay: Vec<PathBuf>,
    make: Option<u64>,
}

fn usage() -> ! {
    eprintln!(
        "usage: weft-fuzz [--inputs N] [--seed S] [--minutes M] [--jobs J] [--only GENERATOR]\n\
         \x20                [--deadline SECS] [--memory MIB] [--save DIR | --no-save]\n\
         \x20      weft-fuzz --replay FILE...\n\
         \x20      weft-fuzz --make INDEX [--seed S] [--only GENERATOR]\n\
         generators: {}",
        weft_fuzz::GENERATORS.map(|(g, _)| g).join(", ")
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut a = Args {
        inputs: 100_000,
        seed: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_secs()),
        minutes: None,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get() as u64),
        only: None,
        deadline: 10,
        memory_mib: 2048,
        save: Some(regressions_dir()),
        worker: None,
        from: 0,
        until: None,
        replay: Vec::new(),
        make: None,
    };
    let mut inputs_given = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        fn num<T: std::str::FromStr>(s: String) -> T {
            s.parse().unwrap_or_else(|_| usage())
        }
        match arg.as_str() {
            "--inputs" => {
                a.inputs = num(value());
                inputs_given = true;
            }
            "--seed" => a.seed = num(value()),
            "--minutes" => a.minutes = Some(num(value())),
            "--jobs" => a.jobs = num::<u64>(value()).max(1),
            "--only" => {
                let g = value();
                if !weft_fuzz::GENERATORS.iter().any(|(n, _)| *n == g) {
                    usage();
                }
                a.only = Some(g);
            }
            "--deadline" => a.deadline = num(value()),
            "--memory" => a.memory_mib = num(value()),
            "--save" => a.save = Some(PathBuf::from(value())),
            "--no-save" => a.save = None,
            "--worker" => a.worker = Some(num(value())),
            "--from" => a.from = num(value()),
            "--until" => a.until = Some(num(value())),
            "--replay" => a.replay.extend(it.by_ref().map(PathBuf::from)),
            "--make" => a.make = Some(num(value())),
            _ => usage(),
        }
    }
    if a.minutes.is_some() && !inputs_given {
        a.inputs = u64::MAX;
    }
    a
}

fn bounds(a: &Args) -> Bounds {
    Bounds {
        deadline: Duration::from_secs(a.deadline),
        memory: a.memory_mib << 20,
    }
}

fn main() {
    let args = parse_args();
    if let Some(index) = args.make {
        // Writes input `index` of the run to `fuzz-<seed>-<index>.wasm` and checks it.
        let input = generate(args.seed, index, &corpus(true), args.only.as_deref());
        let path = PathBuf::from(format!("fuzz-{}-{index}.wasm", args.seed));
        std::fs::write(&path, &input.bytes).expect("writing the input");
        println!(
            "{}: {} (options variant {:#x})",
            path.display(),
            input.name,
            input.variant
        );
        replay(&Args {
            replay: vec![path],
            ..args
        });
    } else if !args.replay.is_empty() {
        replay(&args);
    } else if let Some(job) = args.worker {
        worker(&args, job);
    } else {
        supervise(&args);
    }
}

/// `--replay`: the verdict of each file.
fn replay(args: &Args) {
    let mut failed = 0;
    for path in &args.replay {
        let bytes = std::fs::read(path).unwrap_or_else(|e| {
            eprintln!("{}: {e}", path.display());
            std::process::exit(2)
        });
        // Every options variant a regression could need is tried.
        for variant in [0, 0x1ff] {
            let o = check(Arc::new(bytes.clone()), variant, bounds(args));
            println!(
                "{}: {} ({} ms, peak {} KiB)",
                path.display(),
                o.verdict,
                o.elapsed.as_millis(),
                o.peak >> 10
            );
            failed += usize::from(o.verdict.is_failure());
        }
    }
    std::process::exit(i32::from(failed > 0));
}

/// A worker: runs its share of the inputs, reporting each on stdout.
///
/// `S <index>` before an input runs; `R <index> <kind> <ms> <peak> <output> <name>`
/// after; `F <index> <kind> <path>\t<message>` for a failure.
fn worker(args: &Args, job: u64) {
    weft_fuzz::install_panic_hook();
    let corpus = corpus(true);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut i = args.from;
    while i < args.inputs {
        if let Some(until) = args.until
            && now_secs() >= until
        {
            break;
        }
        // Reported first: a crash in the generator is this input's too.
        let _ = writeln!(out, "S {i}");
        let _ = out.flush();
        let input = generate(args.seed, i, &corpus, args.only.as_deref());
        let o = check(Arc::new(input.bytes.clone()), input.variant, bounds(args));
        let _ = writeln!(
            out,
            "R {i} {} {} {} {} {}",
            o.verdict.kind(),
            o.elapsed.as_millis(),
            o.peak,
            o.output,
            input.name
        );
        if o.verdict.is_failure() {
            let saved = match &args.save {
                Some(dir) => save(dir, o.verdict.kind(), &input.bytes)
                    .map_or_else(|e| format!("(not saved: {e})"), |p| p.display().to_string()),
                None => "(not saved)".into(),
            };
            let message = o.verdict.to_string().replace(['\n', '\t'], " ");
            let _ = writeln!(
                out,
                "F {i} {} {saved}\t{} [{}]",
                o.verdict.kind(),
                message,
                input.name
            );
        }
        let _ = out.flush();
        if o.verdict == Verdict::Hang {
            std::process::exit(HANG_EXIT);
        }
        i += args.jobs;
    }
    let _ = writeln!(out, "D");
    let _ = out.flush();
    let _ = job;
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[derive(Default)]
struct Totals {
    inputs: u64,
    by_kind: BTreeMap<String, u64>,
    by_generator: BTreeMap<String, u64>,
    failures: Vec<String>,
    slowest: (u64, String, u64),
    peak: (usize, String),
    output: u64,
}

/// The supervisor: starts the workers, restarts them after a crash or a hang, and
/// prints the totals.
fn supervise(args: &Args) {
    let start = Instant::now();
    let until = args.minutes.map(|m| now_secs() + (m * 60.0).ceil() as u64);
    eprintln!(
        "weft-fuzz: seed {}, {} inputs{}, {} jobs, deadline {} s, memory bound {} MiB",
        args.seed,
        if args.inputs == u64::MAX {
            "unbounded".to_string()
        } else {
            args.inputs.to_string()
        },
        args.minutes
            .map(|m| format!(" or {m} minutes"))
            .unwrap_or_default(),
        args.jobs,
        args.deadline,
        args.memory_mib
    );
    let totals = std::sync::Mutex::new(Totals::default());
    std::thread::scope(|s| {
        for job in 0..args.jobs {
            let totals = &totals;
            s.spawn(move || run_job(args, job, until, totals));
        }
    });
    let t = totals
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let secs = start.elapsed().as_secs_f64();
    println!();
    println!("weft-fuzz: seed {}", args.seed);
    println!(
        "inputs: {} in {:.1} s ({:.0}/s)",
        t.inputs,
        secs,
        t.inputs as f64 / secs.max(0.001)
    );
    let count = |k: &str| t.by_kind.get(k).copied().unwrap_or(0);
    println!(
        "verdicts: {} transpiled, {} rejected, {} panics, {} bugs, {} hangs, {} over memory, {} crashes",
        count("ok"),
        count("rejected"),
        count("panic"),
        count("bug"),
        count("hang"),
        count("memory"),
        count("crash")
    );
    let gens: Vec<String> = t
        .by_generator
        .iter()
        .map(|(g, n)| format!("{g} {n}"))
        .collect();
    println!("generators: {}", gens.join(", "));
    println!(
        "slowest input: {} ms (index {}, {}); highest peak memory: {} MiB ({}); output: {} MiB",
        t.slowest.0,
        t.slowest.2,
        t.slowest.1,
        t.peak.0 >> 20,
        t.peak.1,
        t.output >> 20
    );
    for f in &t.failures {
        println!("FAILED {f}");
    }
    let failed = t.failures.len();
    println!("fuzz: {} passed, {failed} failed", t.inputs - failed as u64);
    std::process::exit(i32::from(failed > 0));
}

/// Runs worker `job` until its share is done, restarting it after a crash or a hang.
fn run_job(args: &Args, job: u64, until: Option<u64>, totals: &std::sync::Mutex<Totals>) {
    let exe = std::env::current_exe().expect("the fuzzer's own path");
    let mut from = job;
    let mut corpus = None;
    loop {
        if until.is_some_and(|u| now_secs() >= u) || from >= args.inputs {
            return;
        }
        let mut cmd = Command::new("sh");
        // The memory bound, enforced: an allocation past it fails and aborts the worker.
        let kib = (args.memory_mib as u64) * 4 * 1024;
        cmd.arg("-c")
            .arg(format!("ulimit -v {kib} 2>/dev/null; exec \"$0\" \"$@\""))
            .arg(&exe)
            .args(["--worker", &job.to_string()])
            .args(["--from", &from.to_string()])
            .args(["--inputs", &args.inputs.to_string()])
            .args(["--seed", &args.seed.to_string()])
            .args(["--jobs", &args.jobs.to_string()])
            .args(["--deadline", &args.deadline.to_string()])
            .args(["--memory", &args.memory_mib.to_string()]);
        if let Some(u) = until {
            cmd.args(["--until", &u.to_string()]);
        }
        if let Some(g) = &args.only {
            cmd.args(["--only", g]);
        }
        match &args.save {
            Some(d) => cmd.arg("--save").arg(d),
            None => cmd.arg("--no-save"),
        };
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting a worker");
        let stderr = child.stderr.take().expect("piped stderr");
        let err_reader = std::thread::spawn(move || {
            let mut tail = std::collections::VecDeque::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tail.len() == 20 {
                    tail.pop_front();
                }
                tail.push_back(line);
            }
            tail.into_iter().collect::<Vec<_>>().join("\n")
        });
        let mut current = None;
        let mut done = false;
        let stdout = child.stdout.take().expect("piped stdout");
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let mut parts = line.splitn(2, ' ');
            let tag = parts.next().unwrap_or("");
            let rest = parts.next().unwrap_or("");
            match tag {
                "S" => current = rest.parse::<u64>().ok(),
                "R" => record(totals, rest),
                "F" => {
                    let mut t = totals
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    eprintln!("FAIL {rest}");
                    t.failures.push(rest.to_string());
                }
                "D" => done = true,
                _ => {}
            }
        }
        let status = child.wait().expect("waiting for a worker");
        let stderr_tail = err_reader.join().unwrap_or_default();
        if done {
            return;
        }
        let Some(index) = current else {
            eprintln!(
                "weft-fuzz: worker {job} failed before its first input ({status}):\n{stderr_tail}"
            );
            return;
        };
        if status.code() != Some(HANG_EXIT) {
            // A crash: the input it was running took the process down.
            let corpus = corpus.get_or_insert_with(|| weft_fuzz::corpus(true));
            let input = generate(args.seed, index, corpus, args.only.as_deref());
            let saved = match &args.save {
                Some(dir) => save(dir, "crash", &input.bytes)
                    .map_or_else(|e| format!("(not saved: {e})"), |p| p.display().to_string()),
                None => "(not saved)".into(),
            };
            let tail: String = stderr_tail.lines().last().unwrap_or("").to_string();
            let message = format!(
                "{index} crash {saved}\tworker died ({status}): {tail} [{}]",
                input.name
            );
            eprintln!("FAIL {message}");
            let mut t = totals
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            t.inputs += 1;
            *t.by_kind.entry("crash".into()).or_default() += 1;
            t.failures.push(message);
        }
        from = index + args.jobs;
    }
}

/// Adds an `R` line to the totals.
fn record(totals: &std::sync::Mutex<Totals>, rest: &str) {
    let f: Vec<&str> = rest.splitn(6, ' ').collect();
    if f.len() < 6 {
        return;
    }
    let index: u64 = f[0].parse().unwrap_or(0);
    let ms: u64 = f[2].parse().unwrap_or(0);
    let peak: usize = f[3].parse().unwrap_or(0);
    let output: u64 = f[4].parse().unwrap_or(0);
    let name = f[5];
    let generator = name.split(':').next().unwrap_or(name).to_string();
    let mut t = totals
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    t.inputs += 1;
    if t.inputs.is_multiple_of(10_000) {
        eprintln!(
            "weft-fuzz: {} inputs, {} failures",
            t.inputs,
            t.failures.len()
        );
    }
    *t.by_kind.entry(f[1].to_string()).or_default() += 1;
    *t.by_generator.entry(generator).or_default() += 1;
    if ms >= t.slowest.0 {
        t.slowest = (ms, name.to_string(), index);
    }
    if peak >= t.peak.0 {
        t.peak = (peak, name.to_string());
    }
    t.output += output;
}
