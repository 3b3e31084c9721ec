//! The integration tests, as one binary: ~30 binaries that each linked every dependency took
//! gigabytes of disk and most of the build time. Each module is the file named after it.

mod common;

mod apa_tables;
mod cli;
mod cli_cluster;
mod cli_counterfactual;
mod cli_diagram;
mod cli_fit;
mod cli_measure;
mod cli_out;
mod cli_power;
mod counterfactual_properties;
mod curves;
mod domain;
mod framework_models;
mod golden_cluster;
mod golden_describe;
mod golden_measure;
mod golden_omnibus;
mod golden_process;
mod golden_regression;
mod golden_xmint;
mod intervals;
mod json_completeness;
mod layers;
mod logistic_bootstrap;
mod measure_input;
mod measure_properties;
mod plot_diagrams;
mod plot_render;
mod power;
mod process_v431;
mod properties;
mod readers;
mod render_snapshots;
mod replication_process;
mod sem_moments;
mod sem_syntax;
mod simulate;
mod simulation_coverage;
mod syntax;
mod templates;
mod tutorial;
