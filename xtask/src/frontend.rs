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
    if !debug {
        precompress(&dist)?;
    }
    eprintln!("xtask: front-end built into {}", dist.display());
    Ok(())
}

/// Writes `.br` (quality 11) and `.gz` (level 9) beside each text and wasm file, which the
/// server sends as they are to browsers that accept them: better ratios than compressing
/// on the fly, at no cost per request.
fn precompress(dist: &std::path::Path) -> Result<()> {
    use std::io::Write;
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "wasm" | "js" | "css" | "html") {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        std::fs::write(path.with_extension(format!("{ext}.gz")), gz.finish()?)?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &bytes[..], &mut br, &params)?;
        std::fs::write(path.with_extension(format!("{ext}.br")), br)?;
    }
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
