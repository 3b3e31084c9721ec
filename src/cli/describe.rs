use super::args::DescribeArgs;
use super::CliError;

pub fn run(_a: DescribeArgs) -> Result<(), CliError> {
    Err(CliError::Internal("describe is not wired yet".into()))
}
