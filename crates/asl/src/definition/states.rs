//! The fields of each state type, and those they share.

use std::sync::Arc;

use super::choice;
use super::fields::Fields;
use super::load::Loader;
use super::recovery;
use super::{
    ChoiceBranch, DataPath, ErrorHandling, FailText, MapSpec, ResultHandling, ResultPath, State,
    StateKind, Transition, WaitFor,
};
use crate::error::LoadError;
use crate::path::Path;
use crate::template::{Dynamic, Template};
use crate::timestamp;

pub fn pass(fields: &mut Fields) -> Result<StateKind, LoadError> {
    Ok(StateKind::Pass {
        parameters: template(fields, "Parameters")?,
        result: fields.optional("Result").cloned(),
        result_path: result_path(fields)?,
    })
}

pub fn choice(fields: &mut Fields) -> Result<StateKind, LoadError> {
    let at = fields.at_field("Choices");
    let rules = fields
        .required("Choices")?
        .as_array()
        .filter(|rules| !rules.is_empty())
        .ok_or_else(|| fields.invalid("Choices", "expected a non-empty array of Choice Rules"))?;
    let choices = rules
        .iter()
        .enumerate()
        .map(|(index, rule)| {
            let (rule, next) = choice::rule(rule, &format!("{at}[{index}]"), true)?;
            Ok(ChoiceBranch {
                rule,
                next: next.expect("top-level rules carry Next"),
            })
        })
        .collect::<Result<_, LoadError>>()?;
    Ok(StateKind::Choice {
        choices,
        default: fields.string("Default")?.map(str::to_owned),
    })
}

pub fn wait(fields: &mut Fields) -> Result<StateKind, LoadError> {
    let given: Vec<&str> = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
        .into_iter()
        .filter(|name| fields.has(name))
        .collect();
    if given.len() != 1 {
        return Err(LoadError::InvalidValue {
            at: fields.at().to_owned(),
            problem: "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp and TimestampPath".to_owned(),
        });
    }
    Ok(StateKind::Wait(match given[0] {
        "Seconds" => WaitFor::Seconds(fields.integer("Seconds", 0)?.unwrap_or_default()),
        "SecondsPath" => WaitFor::SecondsPath(required_path(fields, "SecondsPath")?),
        "TimestampPath" => WaitFor::TimestampPath(required_path(fields, "TimestampPath")?),
        _ => WaitFor::Timestamp(
            fields
                .string("Timestamp")?
                .and_then(timestamp::parse)
                .ok_or_else(|| {
                    fields.invalid(
                        "Timestamp",
                        "expected a timestamp such as 2016-03-14T01:59:00Z",
                    )
                })?,
        ),
    }))
}

pub fn fail(fields: &mut Fields) -> Result<StateKind, LoadError> {
    Ok(StateKind::Fail {
        error: fail_text(fields, "Error")?,
        cause: fail_text(fields, "Cause")?,
    })
}

/// Error or ErrorPath (Cause or CausePath), not both.
fn fail_text(fields: &mut Fields, name: &str) -> Result<Option<FailText>, LoadError> {
    let path_name = format!("{name}Path");
    if fields.has(name) && fields.has(&path_name) {
        return Err(fields.invalid(
            &path_name,
            &format!("{name} and {path_name} cannot both be given"),
        ));
    }
    if let Some(text) = fields.string(name)? {
        return Ok(Some(FailText::Fixed(text.to_owned())));
    }
    match fields.string(&path_name)? {
        Some(text) => Ok(Some(FailText::Dynamic(Dynamic::compile(
            text,
            &fields.at_field(&path_name),
        )?))),
        None => Ok(None),
    }
}

pub fn parallel(fields: &mut Fields, loader: &mut Loader) -> Result<StateKind, LoadError> {
    let at = fields.at_field("Branches");
    let branches = fields
        .required("Branches")?
        .as_array()
        .filter(|branches| !branches.is_empty())
        .ok_or_else(|| fields.invalid("Branches", "expected a non-empty array of branches"))?
        .iter()
        .enumerate()
        .map(|(index, branch)| {
            loader
                .branch(branch, &format!("{at}[{index}]"))
                .map(Arc::new)
        })
        .collect::<Result<_, _>>()?;
    Ok(StateKind::Parallel {
        branches,
        parameters: template(fields, "Parameters")?,
        results: result_handling(fields)?,
        errors: error_handling(fields)?,
    })
}

pub fn map(fields: &mut Fields, loader: &mut Loader) -> Result<StateKind, LoadError> {
    let processor = match (fields.has("ItemProcessor"), fields.has("Iterator")) {
        (true, false) => {
            let value = fields.required("ItemProcessor")?;
            let at = fields.at_field("ItemProcessor");
            let mut processor = Fields::of(value, at.clone())?;
            processor.optional("Comment");
            if let Some(config) = processor.optional("ProcessorConfig") {
                let mut config = Fields::of(config, format!("{at}.ProcessorConfig"))?;
                if let Some(mode) = config.string("Mode")? {
                    if mode != "INLINE" {
                        return Err(LoadError::UnsupportedField {
                            at: config.at_field("Mode"),
                            field: format!("Mode {mode}"),
                        });
                    }
                }
                config.finish()?;
            }
            let branch = loader.branch_body(&mut processor, &format!("{at}."))?;
            processor.finish()?;
            branch
        }
        (false, true) => {
            let value = fields.required("Iterator")?;
            loader.branch(value, &fields.at_field("Iterator"))?
        }
        _ => {
            return Err(LoadError::InvalidValue {
                at: fields.at().to_owned(),
                problem: "a Map state needs exactly one of ItemProcessor and Iterator".to_owned(),
            })
        }
    };
    if fields.has("ItemSelector") && fields.has("Parameters") {
        return Err(fields.invalid(
            "Parameters",
            "ItemSelector and Parameters cannot both be given",
        ));
    }
    let item_selector = match template(fields, "ItemSelector")? {
        Some(selector) => Some(selector),
        None => template(fields, "Parameters")?,
    };
    Ok(StateKind::Map(Box::new(MapSpec {
        items_path: fields.path("ItemsPath", true)?.unwrap_or_else(Path::whole),
        item_selector,
        processor: Arc::new(processor),
        max_concurrency: fields.integer("MaxConcurrency", 0)?.unwrap_or(0) as usize,
        results: result_handling(fields)?,
        errors: error_handling(fields)?,
    })))
}

/// Adds what every state has: InputPath, OutputPath and how it moves on.
pub fn finish(name: &str, kind: StateKind, fields: &mut Fields) -> Result<State, LoadError> {
    let (input_path, output_path) = match kind {
        StateKind::Fail { .. } => (DataPath::Path(Path::whole()), DataPath::Path(Path::whole())),
        _ => (
            data_path(fields, "InputPath")?,
            data_path(fields, "OutputPath")?,
        ),
    };
    let transition = transition(&kind, fields)?;
    Ok(State {
        name: name.to_owned(),
        kind,
        input_path,
        output_path,
        transition,
    })
}

fn transition(kind: &StateKind, fields: &mut Fields) -> Result<Transition, LoadError> {
    let decides_itself = matches!(
        kind,
        StateKind::Choice { .. } | StateKind::Succeed | StateKind::Fail { .. }
    );
    let (has_next, has_end) = (fields.has("Next"), fields.has("End"));
    if decides_itself {
        if has_next || has_end {
            return Err(LoadError::InvalidValue {
                at: fields.at().to_owned(),
                problem: format!("a {} state cannot have Next or End", kind.type_name()),
            });
        }
        return Ok(Transition::Own);
    }
    match (fields.string("Next")?, fields.boolean("End")?) {
        (Some(next), None) => Ok(Transition::Next(next.to_owned())),
        (None, Some(true)) => Ok(Transition::End),
        (None, Some(false)) => Err(fields.invalid("End", "End can only be true")),
        _ => Err(LoadError::InvalidValue {
            at: fields.at().to_owned(),
            problem: if has_next && has_end {
                "a state cannot have both Next and End".to_owned()
            } else {
                "a state needs either Next or \"End\": true".to_owned()
            },
        }),
    }
}

/// InputPath or OutputPath: `$` when absent, an empty object when null.
fn data_path(fields: &mut Fields, name: &str) -> Result<DataPath, LoadError> {
    if fields.optional(name).is_some_and(|value| value.is_null()) {
        return Ok(DataPath::Discard);
    }
    Ok(DataPath::Path(
        fields.path(name, false)?.unwrap_or_else(Path::whole),
    ))
}

/// ResultPath: `$` when absent, the input unchanged when null.
pub fn result_path(fields: &mut Fields) -> Result<ResultPath, LoadError> {
    if fields
        .optional("ResultPath")
        .is_some_and(|value| value.is_null())
    {
        return Ok(ResultPath::Discard);
    }
    Ok(ResultPath::Path(
        fields.path("ResultPath", true)?.unwrap_or_else(Path::whole),
    ))
}

pub fn result_handling(fields: &mut Fields) -> Result<ResultHandling, LoadError> {
    Ok(ResultHandling {
        selector: template(fields, "ResultSelector")?,
        path: result_path(fields)?,
    })
}

pub fn error_handling(fields: &mut Fields) -> Result<ErrorHandling, LoadError> {
    let retry = match fields.optional("Retry") {
        Some(value) => recovery::retriers(value, &fields.at_field("Retry"))?,
        None => Vec::new(),
    };
    let catch = match fields.optional("Catch") {
        Some(value) => recovery::catchers(value, &fields.at_field("Catch"))?,
        None => Vec::new(),
    };
    Ok(ErrorHandling { retry, catch })
}

pub fn template(fields: &mut Fields, name: &str) -> Result<Option<Template>, LoadError> {
    let at = fields.at_field(name);
    fields
        .optional(name)
        .map(|value| Template::compile(value, &at))
        .transpose()
}

fn required_path(fields: &mut Fields, name: &str) -> Result<Path, LoadError> {
    fields
        .path(name, false)?
        .ok_or_else(|| LoadError::MissingField {
            at: fields.at().to_owned(),
            field: name.to_owned(),
        })
}
