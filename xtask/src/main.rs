//! `cargo xtask`: the project's chores. `run` starts the product, `test` runs every check
//! and test, `bench` measures, `fuzz` fuzzes, `frontend` builds the web front-end, `setup` installs
//! what a fresh Debian machine lacks.

#[cfg(target_os = "linux")]
mod appimage;
mod bench;
mod frontend;
mod fuzz;
mod run;
mod setup;
mod sh;
mod test;

use std::path::PathBuf;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run [--web] [--bind ADDR]   build and start the server with demo data (and the desktop app
                              when a display is present; --web only serves)
  test                        fmt, clippy, wasm checks, all tests on SQLite and PostgreSQL,
                              the front-end build and the browser end-to-end tests
  bench                       search latency and front-end size; writes docs/PERFORMANCE.md
  fuzz [TARGET] [SECONDS]     run the cargo fuzz targets (sniff, import, search), each for
                              SECONDS (default 300), on the nightly toolchain
  frontend [--debug]          build the web front-end into frontend/dist
  appimage                    (Linux) the desktop app as an AppImage, after `bench` built the
                              app: target/app-release/bundle/appimage/
  setup                       install missing tools (apt packages, wasm target, wasm-bindgen, npm)";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("frontend") => setup::setup(setup::Needs::frontend())
            .and_then(|_| frontend::build(args.iter().any(|a| a == "--debug"))),
        Some("setup") => setup::setup(setup::Needs::all()),
        #[cfg(target_os = "linux")]
        Some("appimage") => bench::appimage().map(|_| ()),
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

/// The repository root (the parent of xtask/).
pub fn root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}
