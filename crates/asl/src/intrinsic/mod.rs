//! Intrinsic functions (`States.Format(...)` and friends) as found in the values of
//! payload-template fields whose names end in `.$`.

mod functions;
mod parser;

use serde_json::{Number, Value};

use super::path::Path;

pub use parser::parse;

/// The intrinsic functions the local executor implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intrinsic {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayGetItem,
    ArrayLength,
    ArrayContains,
    MathAdd,
    JsonMerge,
    Uuid,
    StringSplit,
}

impl Intrinsic {
    const ALL: [Intrinsic; 11] = [
        Intrinsic::Format,
        Intrinsic::StringToJson,
        Intrinsic::JsonToString,
        Intrinsic::Array,
        Intrinsic::ArrayGetItem,
        Intrinsic::ArrayLength,
        Intrinsic::ArrayContains,
        Intrinsic::MathAdd,
        Intrinsic::JsonMerge,
        Intrinsic::Uuid,
        Intrinsic::StringSplit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Intrinsic::Format => "States.Format",
            Intrinsic::StringToJson => "States.StringToJson",
            Intrinsic::JsonToString => "States.JsonToString",
            Intrinsic::Array => "States.Array",
            Intrinsic::ArrayGetItem => "States.ArrayGetItem",
            Intrinsic::ArrayLength => "States.ArrayLength",
            Intrinsic::ArrayContains => "States.ArrayContains",
            Intrinsic::MathAdd => "States.MathAdd",
            Intrinsic::JsonMerge => "States.JsonMerge",
            Intrinsic::Uuid => "States.UUID",
            Intrinsic::StringSplit => "States.StringSplit",
        }
    }

    fn from_name(name: &str) -> Option<Intrinsic> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// How many arguments the function takes: an exact count, or at least `min`.
    fn arity(self) -> Arity {
        match self {
            Intrinsic::Format => Arity::AtLeast(1),
            Intrinsic::Array => Arity::AtLeast(0),
            Intrinsic::Uuid => Arity::Exactly(0),
            Intrinsic::StringToJson | Intrinsic::JsonToString | Intrinsic::ArrayLength => {
                Arity::Exactly(1)
            }
            Intrinsic::ArrayGetItem
            | Intrinsic::ArrayContains
            | Intrinsic::MathAdd
            | Intrinsic::StringSplit => Arity::Exactly(2),
            Intrinsic::JsonMerge => Arity::Exactly(3),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Arity {
    Exactly(usize),
    AtLeast(usize),
}

/// A parsed call, arguments included.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub function: Intrinsic,
    pub args: Vec<Arg>,
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(Literal),
    Number(Number),
    Boolean(bool),
    Null,
    Path(Path),
    Call(Call),
}

/// A quoted string argument with its escapes resolved. `placeholders` lists the byte
/// offsets of the unescaped `{}` pairs, which States.Format fills in; an escaped `\{\}`
/// stays literal text.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    pub text: String,
    pub placeholders: Vec<usize>,
}

/// Why parsing a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Unsupported(String),
    Invalid(String),
}

impl Call {
    /// Evaluates the call against the effective input and the context object.
    pub fn evaluate(
        &self,
        input: &Value,
        context: &Value,
    ) -> Result<Value, super::error::StatesError> {
        functions::evaluate(self, input, context)
    }
}
