//! Step Functions' payload quota: "Maximum input or output size for a task, state, or
//! execution: 256 KiB of data as a UTF-8 encoded string. This quota affects tasks (activity,
//! Lambda function, or integrated service), state or execution output, and input data when
//! scheduling a task, entering a state, or starting an execution" (AWS Step Functions
//! Developer Guide, "Step Functions service quotas"). Past it a state fails with
//! States.DataLimitExceeded; an execution input past it is refused by StartExecution.

use std::io;

use serde_json::Value;

use crate::error::{names, StatesError};

/// 256 KiB: the most bytes a payload may take as UTF-8 JSON text.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// The bytes `value` takes as compact UTF-8 JSON text, as Step Functions passes it on.
pub fn payload_bytes(value: &Value) -> usize {
    let mut counter = ByteCounter(0);
    // Writing into a counter cannot fail, and a serde_json Value always serializes.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

/// The output of a task (the connector), or the gathered results of a Parallel or Map state.
pub(crate) fn check_result(state_name: &str, result: &Value) -> Result<(), StatesError> {
    check(
        result,
        state_name,
        "returned a result with a size exceeding the maximum number of bytes service limit",
    )
}

/// A state's effective input once Parameters (or ItemSelector) have been processed.
pub(crate) fn check_input(state_name: &str, input: &Value) -> Result<(), StatesError> {
    check(
        input,
        state_name,
        "has an input with a size exceeding the maximum number of bytes service limit",
    )
}

/// A state's output, the input of whatever comes next.
pub(crate) fn check_output(state_name: &str, output: &Value) -> Result<(), StatesError> {
    check(
        output,
        state_name,
        "produced an output with a size exceeding the maximum number of bytes service limit",
    )
}

fn check(value: &Value, state_name: &str, problem: &str) -> Result<(), StatesError> {
    let bytes = payload_bytes(value);
    if bytes <= MAX_PAYLOAD_BYTES {
        return Ok(());
    }
    Err(StatesError::new(
        names::DATA_LIMIT_EXCEEDED,
        format!(
            "The state/task '{state_name}' {problem} ({bytes} bytes; the limit is {MAX_PAYLOAD_BYTES})."
        ),
    ))
}

struct ByteCounter(usize);

impl io::Write for ByteCounter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn counts_compact_utf8_json_bytes() {
        assert_eq!(payload_bytes(&json!({"a": [1, 2]})), r#"{"a":[1,2]}"#.len());
        assert_eq!(
            payload_bytes(&json!("é")),
            4,
            "two quotes and a two-byte letter"
        );
        assert_eq!(
            payload_bytes(&json!("\n")),
            4,
            "an escaped newline takes two bytes"
        );
    }

    #[test]
    fn the_limit_itself_is_allowed_and_one_byte_more_is_not() {
        let at_limit = Value::String("x".repeat(MAX_PAYLOAD_BYTES - 2));
        let over = Value::String("x".repeat(MAX_PAYLOAD_BYTES - 1));
        assert_eq!(payload_bytes(&at_limit), MAX_PAYLOAD_BYTES);
        assert!(check_output("S", &at_limit).is_ok());
        let failure = check_output("S", &over).unwrap_err();
        assert_eq!(failure.error, names::DATA_LIMIT_EXCEEDED);
        assert!(failure.cause.contains("'S'"));
    }

    #[test]
    fn data_limit_exceeded_is_handled_only_where_it_is_named() {
        let failure = check_result("T", &Value::String("x".repeat(MAX_PAYLOAD_BYTES))).unwrap_err();
        assert!(!failure.is_matched_by(names::ALL));
        assert!(!failure.is_matched_by(names::TASK_FAILED));
        assert!(failure.is_matched_by(names::DATA_LIMIT_EXCEEDED));
    }
}
