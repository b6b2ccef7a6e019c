use clap::Parser;

/// mimalloc for Rust and, through its "override" feature, for librdkafka too:
/// records are allocated on librdkafka's threads and freed on ours, which glibc's
/// allocator handles slowly (a quarter of an unthrottled replay's CPU time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = kafkaops::cli::Cli::parse();
    let code = match kafkaops::cli::run(cli) {
        Ok(code) => code,
        Err(err) => kafkaops::error::print_error(&err),
    };
    code.into()
}
