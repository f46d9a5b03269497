//! Reads `States.Name(arg, ...)`. Arguments are quoted strings (`'…'`, where `\'`, `\{`,
//! `\}` and `\\` are escapes), numbers, `true`/`false`/`null`, paths, or nested calls.

use serde_json::Number;

use super::{Arg, Arity, Call, Intrinsic, Literal, ParseError};
use crate::path::Path;

/// Parses a whole intrinsic call; nothing but blanks may follow it.
pub fn parse(text: &str) -> Result<Call, ParseError> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let call = parser.call()?;
    parser.skip_spaces();
    if parser.at < parser.chars.len() {
        return Err(parser.invalid("unexpected text after the closing ')'"));
    }
    Ok(call)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn call(&mut self) -> Result<Call, ParseError> {
        self.skip_spaces();
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        if name.is_empty() {
            return Err(self.invalid("expected a function name"));
        }
        self.skip_spaces();
        if !self.eat('(') {
            return Err(self.invalid(&format!("expected '(' after {name}")));
        }
        let function = Intrinsic::from_name(&name).ok_or(ParseError::Unsupported(name))?;
        let args = self.args()?;
        check_arity(function, args.len())?;
        Ok(Call { function, args })
    }

    fn args(&mut self) -> Result<Vec<Arg>, ParseError> {
        let mut args = Vec::new();
        self.skip_spaces();
        if self.eat(')') {
            return Ok(args);
        }
        loop {
            args.push(self.arg()?);
            self.skip_spaces();
            if self.eat(')') {
                return Ok(args);
            }
            if !self.eat(',') {
                return Err(self.invalid("expected ',' or ')' between arguments"));
            }
        }
    }

    fn arg(&mut self) -> Result<Arg, ParseError> {
        self.skip_spaces();
        match self.peek() {
            Some('\'') => self.literal().map(Arg::Text),
            Some('$') => self.path(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(_) => {
                for (word, arg) in [
                    ("true", Arg::Boolean(true)),
                    ("false", Arg::Boolean(false)),
                    ("null", Arg::Null),
                ] {
                    if self.keyword(word) {
                        return Ok(arg);
                    }
                }
                self.call().map(Arg::Call)
            }
            None => Err(self.invalid("expected an argument")),
        }
    }

    fn keyword(&mut self, word: &str) -> bool {
        let end = self.at + word.chars().count();
        let matches = self.chars.get(self.at..end).is_some_and(|found| {
            found.iter().copied().eq(word.chars())
                && !self
                    .chars
                    .get(end)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
        });
        if matches {
            self.at = end;
        }
        matches
    }

    fn literal(&mut self) -> Result<Literal, ParseError> {
        self.at += 1;
        let mut text = String::new();
        let mut placeholders = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.invalid("a quoted string is not closed")),
                Some('\'') => {
                    self.at += 1;
                    return Ok(Literal { text, placeholders });
                }
                Some('\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(c @ ('\'' | '{' | '}' | '\\')) => text.push(c),
                        _ => {
                            return Err(self.invalid(
                                "in a quoted string only \\' \\{ \\} and \\\\ are escapes",
                            ))
                        }
                    }
                    self.at += 1;
                }
                Some('{') if self.chars.get(self.at + 1) == Some(&'}') => {
                    placeholders.push(text.len());
                    text.push_str("{}");
                    self.at += 2;
                }
                Some(c @ ('{' | '}')) => {
                    return Err(self.invalid(&format!(
                        "an unescaped '{c}' must be part of a {{}} placeholder"
                    )))
                }
                Some(c) => {
                    text.push(c);
                    self.at += 1;
                }
            }
        }
    }

    /// A path runs to the next ',' or ')' outside brackets and quotes.
    fn path(&mut self) -> Result<Arg, ParseError> {
        let start = self.at;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            match (quote, c) {
                (Some(q), '\\') if q != '\\' => self.at += 1,
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[') => depth += 1,
                (None, ']') => depth = depth.saturating_sub(1),
                (None, ',' | ')') if depth == 0 => break,
                _ => {}
            }
            self.at += 1;
        }
        let text: String = self.chars[start..self.at.min(self.chars.len())]
            .iter()
            .collect();
        Path::parse(text.trim_end())
            .map(Arg::Path)
            .map_err(|problem| ParseError::Invalid(format!("path '{}': {problem}", text.trim())))
    }

    fn number(&mut self) -> Result<Arg, ParseError> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        serde_json::from_str::<Number>(&text)
            .map(Arg::Number)
            .map_err(|_| self.invalid(&format!("'{text}' is not a number")))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, expected: char) -> bool {
        let found = self.peek() == Some(expected);
        if found {
            self.at += 1;
        }
        found
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn invalid(&self, problem: &str) -> ParseError {
        ParseError::Invalid(format!("{problem} (at character {})", self.at))
    }
}

fn check_arity(function: Intrinsic, count: usize) -> Result<(), ParseError> {
    let fits = match function.arity() {
        Arity::Exactly(n) => count == n,
        Arity::AtLeast(n) => count >= n,
    };
    if fits {
        return Ok(());
    }
    let expected = match function.arity() {
        Arity::Exactly(n) => format!("exactly {n}"),
        Arity::AtLeast(n) => format!("at least {n}"),
    };
    Err(ParseError::Invalid(format!(
        "{} takes {expected} argument(s), got {count}",
        function.name()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_calls_paths_and_literals() {
        let call = parse("States.Format('{} is {}', $.name, States.ArrayLength($.items))").unwrap();
        assert_eq!(call.function, Intrinsic::Format);
        assert_eq!(call.args.len(), 3);
        assert_eq!(
            call.args[0],
            Arg::Text(Literal {
                text: "{} is {}".into(),
                placeholders: vec![0, 6]
            })
        );
        assert!(matches!(&call.args[1], Arg::Path(path) if path.text() == "$.name"));
        assert!(
            matches!(&call.args[2], Arg::Call(inner) if inner.function == Intrinsic::ArrayLength)
        );
    }

    #[test]
    fn escapes_keep_braces_and_quotes_literal() {
        let call = parse(r"States.Format('It\'s \{\} and {}', 1)").unwrap();
        assert_eq!(
            call.args[0],
            Arg::Text(Literal {
                text: "It's {} and {}".into(),
                placeholders: vec![12]
            })
        );
    }

    #[test]
    fn paths_with_brackets_and_commas_stay_whole() {
        let call = parse("States.Array($['a,b'][0], -1.5, true, null)").unwrap();
        assert!(matches!(&call.args[0], Arg::Path(path) if path.text() == "$['a,b'][0]"));
        assert_eq!(call.args[1], Arg::Number(Number::from_f64(-1.5).unwrap()));
        assert_eq!(call.args[2], Arg::Boolean(true));
        assert_eq!(call.args[3], Arg::Null);
    }

    #[test]
    fn refuses_unknown_functions_wrong_arity_and_junk() {
        assert_eq!(
            parse("States.Hash($.x, 'SHA-1')"),
            Err(ParseError::Unsupported("States.Hash".into()))
        );
        assert!(matches!(
            parse("States.MathAdd(1)"),
            Err(ParseError::Invalid(_))
        ));
        assert!(matches!(
            parse("States.UUID() trailing"),
            Err(ParseError::Invalid(_))
        ));
        assert!(matches!(
            parse("States.Format('open"),
            Err(ParseError::Invalid(_))
        ));
    }
}
