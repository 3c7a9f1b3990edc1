//! `onewindow-server`: serve, seed, import a catalogue, add staff accounts, and create
//! demo accounts for local use.

use clap::{Parser, Subcommand};
use onewindow_api::account::Role;
use onewindow_server::config::Config;
use onewindow_server::db::accounts::NewUser;
use onewindow_server::db::Store;
use onewindow_server::{auth, import, seed};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "onewindow-server",
    version,
    about = "OneWindow reference server"
)]
struct Cli {
    /// A TOML configuration file (default: ./onewindow.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web front-end (the default).
    Serve,
    /// Load the demo catalogue; with --synthetic N, also N generated items.
    Seed {
        #[arg(long)]
        synthetic: Option<usize>,
    },
    /// Create the demo accounts (citizen, business member, staff of every department,
    /// supervisor) for trying the product locally; never on a real deployment.
    DemoAccounts,
    /// Copy the SQLite database into a new file while the server runs (online and
    /// consistent); for PostgreSQL use pg_dump.
    Backup { file: PathBuf },
    /// Import a catalogue file in the documented JSON format; all or nothing.
    Import { file: PathBuf },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff or admin account. The password is read from the first line of
    /// standard input, or from ONEWINDOW_NEW_PASSWORD.
    Add {
        #[arg(long, value_parser = ["staff", "admin"])]
        role: String,
        /// The department of a staff account, e.g. PSB.
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    // `ONEWINDOW_LOG_FORMAT=json`: one JSON object a line, for log collectors.
    if std::env::var("ONEWINDOW_LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Seed { synthetic } => {
            let store =
                Store::connect(&config.database_url(), config.database.max_connections).await?;
            let mut doc = import::read_dir(&config.catalogue.demo_dir)?;
            if let Some(n) = synthetic {
                let extra = seed::synthetic(&doc, n);
                doc.items.extend(extra);
            }
            let counts = import::import(&store, &doc).await?;
            println!(
                "seeded {} departments, {} themes, {} halls, {} items",
                counts.departments, counts.themes, counts.halls, counts.items
            );
            Ok(())
        }
        Command::DemoAccounts => {
            let state = onewindow_server::build_state(config).await?;
            let accounts = seed::demo_accounts(&state.store).await?;
            let created = accounts.iter().filter(|a| a.created).count();
            println!(
                "demo accounts ({created} new), password \"{}\":",
                seed::DEMO_PASSWORD
            );
            for a in &accounts {
                println!(
                    "  {:<15} {}  {}{}",
                    a.role.as_str(),
                    a.phone,
                    a.name,
                    a.department
                        .as_deref()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::Backup { file } => {
            let store =
                Store::connect(&config.database_url(), config.database.max_connections).await?;
            store.backup(&file).await?;
            println!("backed up the database into {}", file.display());
            Ok(())
        }
        Command::Import { file } => {
            let store =
                Store::connect(&config.database_url(), config.database.max_connections).await?;
            let doc = import::read_document(&file)?;
            let counts = import::import(&store, &doc).await?;
            println!(
                "imported {} departments, {} themes, {} halls, {} items",
                counts.departments, counts.themes, counts.halls, counts.items
            );
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    role,
                    department,
                    name,
                    phone,
                },
        } => {
            let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("unknown role"))?;
            if role == Role::Staff && department.is_none() {
                anyhow::bail!("a staff account needs --department");
            }
            let password = match std::env::var("ONEWINDOW_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            if let Some(p) = onewindow_api::account::password_problem(&password) {
                anyhow::bail!("the password {p}");
            }
            let store =
                Store::connect(&config.database_url(), config.database.max_connections).await?;
            if let Some(d) = &department {
                if !store.department_exists(d).await? {
                    anyhow::bail!("no department {d}; import the catalogue first");
                }
            }
            let hash = auth::hash_password(password).await?;
            let id = store
                .create_user(&NewUser {
                    role,
                    name: &name,
                    id_number: None,
                    phone: &phone,
                    password_hash: &hash,
                    department: department.as_deref(),
                    company: None,
                    lang: Default::default(),
                })
                .await?;
            println!("created {} account {id}", role.as_str());
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let bind = config.server.bind;
    let state = onewindow_server::build_state(config).await?;
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    println!("OneWindow is serving at http://{addr}/ (API docs: http://{addr}/api/docs/)");
    onewindow_server::serve(listener, state, stop_signal()).await?;
    Ok(())
}

/// Ctrl-C (SIGINT), or SIGTERM on Unix, which systemd, Docker and Kubernetes send to
/// stop a service: either starts the graceful shutdown that finishes in-flight requests.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
