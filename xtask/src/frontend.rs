//! Builds the web front-end into frontend/dist: cargo for wasm32, wasm-bindgen, wasm-opt,
//! then the page and its stylesheet. (This is what trunk does, without its long install.)

use crate::sh::{cmd, run};
use anyhow::{Context, Result};

pub fn build(debug: bool) -> Result<()> {
    let root = crate::root();
    let profile = if debug { "dev" } else { "wasm-release" };
    run(&mut cmd(
        "cargo",
        &[
            "build",
            "--profile",
            profile,
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "onewindow-frontend",
        ],
    ))?;
    let dir = if debug { "debug" } else { "wasm-release" };
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let wasm = target.join(format!(
        "wasm32-unknown-unknown/{dir}/onewindow_frontend.wasm"
    ));
    let dist = root.join("frontend/dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).context("cleaning frontend/dist")?;
    }
    std::fs::create_dir_all(&dist)?;
    run(&mut cmd(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "onewindow",
            "--out-dir",
            &dist.to_string_lossy(),
            &wasm.to_string_lossy(),
        ],
    ))?;
    let wasm_out = dist.join("onewindow_bg.wasm");
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    if !debug && wasm_opt.exists() {
        // npm's binaryen 132: Debian's binaryen 108 produces broken modules.
        let out = wasm_out.to_string_lossy().into_owned();
        run(&mut cmd(
            &wasm_opt.to_string_lossy(),
            &[
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                &out,
                "-o",
                &out,
            ],
        ))?;
    }
    for file in ["index.html", "style.css"] {
        let src = root.join("frontend").join(file);
        if src.exists() {
            std::fs::copy(&src, dist.join(file)).with_context(|| format!("copying {file}"))?;
        }
    }
    let assets = root.join("frontend/assets");
    if assets.is_dir() {
        copy_dir(&assets, &dist.join("assets"))?;
    }
    eprintln!("xtask: front-end built into {}", dist.display());
    Ok(())
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}
