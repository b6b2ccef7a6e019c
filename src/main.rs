use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = kafkaops::cli::Cli::parse();
    let code = match kafkaops::cli::run(cli) {
        Ok(code) => code,
        Err(err) => kafkaops::report::print_error(&err),
    };
    code.into()
}
