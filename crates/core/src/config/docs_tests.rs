//! The predefined-config tables in the module docs and in `docs/deployment-configs.md` must
//! say what the code does.

use super::{predefined_names, short_duration, DeploymentConfig};
use crate::platform::ComputePlatform;

const MODULE_SOURCE: &str = include_str!("../config.rs");
const USER_DOCS: &str = include_str!("../../../../docs/deployment-configs.md");

/// Checks every `| `CodeDeployDefault.…` | platform | schedule | total |` row of `text`
/// against the code, and that all 14 configs have a row.
fn assert_table_matches_code(text: &str, source: &str) {
    let mut documented = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches("//!").trim();
        if !line.starts_with("| `CodeDeployDefault.") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [name, platform, schedule, total] = cells[..] else {
            panic!("{source}: a row needs four cells: {line}");
        };
        let name = name.trim_matches('`');
        let config = DeploymentConfig::predefined(name)
            .unwrap_or_else(|| panic!("{source}: {name} is not a predefined config"));
        assert_eq!(
            platform,
            config.compute_platform.as_str(),
            "{source}: {name}"
        );
        assert_eq!(schedule, config.schedule().to_string(), "{source}: {name}");
        assert_eq!(
            total,
            short_duration(config.schedule().total_bake()),
            "{source}: {name}"
        );
        documented.push(name.to_owned());
    }
    let mut all: Vec<&str> = predefined_names(ComputePlatform::Lambda);
    all.extend(predefined_names(ComputePlatform::Ecs));
    assert_eq!(
        documented, all,
        "{source}: one row per predefined config, in order"
    );
}

#[test]
fn module_docs_table_matches_the_schedules() {
    assert_table_matches_code(MODULE_SOURCE, "config.rs");
}

#[test]
fn user_docs_table_matches_the_schedules() {
    assert_table_matches_code(USER_DOCS, "docs/deployment-configs.md");
}
