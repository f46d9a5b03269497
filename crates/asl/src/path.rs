//! Paths as the States Language uses them: JsonPath expressions starting with `$` (the
//! state's input) or `$$` (the context object).
//!
//! A path made only of field names and indexes is *definite*: it selects one node and a
//! missing node is an error. A path with wildcards, slices, unions or `..` is *indefinite*:
//! it always yields an array of what it matched. Filter and script expressions are refused.

use std::fmt;

use serde_json::{Map, Value};

/// A parsed path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    text: String,
    root: Root,
    segments: Vec<Segment>,
}

/// What a path starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// `$`: the data being processed.
    Input,
    /// `$$`: the context object.
    Context,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Field(String),
    Index(i64),
    Wildcard,
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: i64,
    },
    Union(Vec<Selector>),
    Descendants(Option<String>),
}

#[derive(Debug, Clone, PartialEq)]
enum Selector {
    Field(String),
    Index(i64),
}

/// A path that selected nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMiss {
    pub path: String,
}

impl fmt::Display for PathMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the JSONPath '{}' could not be found in the input",
            self.path
        )
    }
}

/// Why a path could not be written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteMiss {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for WriteMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unable to apply ResultPath '{}': {}",
            self.path, self.reason
        )
    }
}

impl Path {
    /// Parses `text`, which must start with `$` or `$$`.
    pub fn parse(text: &str) -> Result<Path, String> {
        Parser::new(text).parse()
    }

    /// The path `$`: the whole input.
    pub fn whole() -> Path {
        Path {
            text: "$".to_owned(),
            root: Root::Input,
            segments: Vec::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn root(&self) -> Root {
        self.root
    }

    /// Whether this is the path `$`.
    pub fn is_whole_input(&self) -> bool {
        self.root == Root::Input && self.segments.is_empty()
    }

    /// Whether this path selects a single node.
    pub fn is_definite(&self) -> bool {
        self.segments
            .iter()
            .all(|segment| matches!(segment, Segment::Field(_) | Segment::Index(_)))
    }

    /// Whether this is a Reference Path: only field names and indexes, rooted at `$`.
    pub fn is_reference(&self) -> bool {
        self.root == Root::Input
            && self.segments.iter().all(|segment| match segment {
                Segment::Field(_) => true,
                Segment::Index(index) => *index >= 0,
                _ => false,
            })
    }

    /// What this path selects: a definite path's node, or an array of an indefinite
    /// path's matches.
    pub fn read(&self, input: &Value, context: &Value) -> Result<Value, PathMiss> {
        let start = match self.root {
            Root::Input => input,
            Root::Context => context,
        };
        if self.is_definite() {
            return self.find(start).cloned().ok_or_else(|| self.miss());
        }
        let mut nodes = vec![start];
        for segment in &self.segments {
            nodes = nodes
                .into_iter()
                .flat_map(|node| select(segment, node))
                .collect();
        }
        Ok(Value::Array(nodes.into_iter().cloned().collect()))
    }

    /// The node a definite path selects, if present.
    pub fn find<'a>(&self, start: &'a Value) -> Option<&'a Value> {
        self.segments
            .iter()
            .try_fold(start, |node, segment| match segment {
                Segment::Field(name) => node.as_object()?.get(name),
                Segment::Index(index) => {
                    let items = node.as_array()?;
                    items.get(resolve_index(*index, items.len())?)
                }
                _ => None,
            })
    }

    /// Puts `value` where this Reference Path points inside `target`, creating missing
    /// objects on the way, as ResultPath does.
    pub fn write(&self, target: Value, value: Value) -> Result<Value, WriteMiss> {
        if self.segments.is_empty() {
            return Ok(value);
        }
        let mut target = target;
        let mut slot = &mut target;
        for (depth, segment) in self.segments.iter().enumerate() {
            slot = match segment {
                Segment::Field(name) => {
                    let Value::Object(fields) = slot else {
                        return Err(self.write_miss(format!(
                            "the value at '{}' is not an object",
                            self.prefix(depth)
                        )));
                    };
                    fields
                        .entry(name.clone())
                        .or_insert_with(|| Value::Object(Map::new()))
                }
                Segment::Index(index) => {
                    let Value::Array(items) = slot else {
                        return Err(self.write_miss(format!(
                            "the value at '{}' is not an array",
                            self.prefix(depth)
                        )));
                    };
                    let len = items.len();
                    let Some(position) = resolve_index(*index, len) else {
                        return Err(self.write_miss(format!(
                            "index {index} is out of bounds of the array at '{}'",
                            self.prefix(depth)
                        )));
                    };
                    &mut items[position]
                }
                _ => return Err(self.write_miss("it is not a Reference Path".to_owned())),
            };
        }
        *slot = value;
        Ok(target)
    }

    fn prefix(&self, depth: usize) -> String {
        let mut text = "$".to_owned();
        for segment in &self.segments[..depth] {
            match segment {
                Segment::Field(name) => {
                    text.push('.');
                    text.push_str(name);
                }
                Segment::Index(index) => text.push_str(&format!("[{index}]")),
                _ => {}
            }
        }
        text
    }

    fn miss(&self) -> PathMiss {
        PathMiss {
            path: self.text.clone(),
        }
    }

    fn write_miss(&self, reason: String) -> WriteMiss {
        WriteMiss {
            path: self.text.clone(),
            reason,
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let position = if index < 0 { len + index } else { index };
    (0..len).contains(&position).then_some(position as usize)
}

fn select<'a>(segment: &Segment, node: &'a Value) -> Vec<&'a Value> {
    match segment {
        Segment::Field(name) => node.get(name.as_str()).into_iter().collect(),
        Segment::Index(index) => node
            .as_array()
            .and_then(|items| items.get(resolve_index(*index, items.len())?))
            .into_iter()
            .collect(),
        Segment::Wildcard => children(node),
        Segment::Slice { start, end, step } => node
            .as_array()
            .map(|items| slice(items, *start, *end, *step))
            .unwrap_or_default(),
        Segment::Union(selectors) => selectors
            .iter()
            .flat_map(|selector| match selector {
                Selector::Field(name) => select(&Segment::Field(name.clone()), node),
                Selector::Index(index) => select(&Segment::Index(*index), node),
            })
            .collect(),
        Segment::Descendants(name) => {
            let mut found = Vec::new();
            collect_descendants(node, name.as_deref(), &mut found);
            found
        }
    }
}

fn children(node: &Value) -> Vec<&Value> {
    match node {
        Value::Object(fields) => fields.values().collect(),
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    }
}

fn slice(items: &[Value], start: Option<i64>, end: Option<i64>, step: i64) -> Vec<&Value> {
    let len = items.len() as i64;
    let clamp = |bound: i64| {
        if bound < 0 {
            (len + bound).max(0)
        } else {
            bound.min(len)
        }
    };
    let start = start.map_or(0, clamp);
    let end = end.map_or(len, clamp);
    (start..end)
        .step_by(step as usize)
        .map(|position| &items[position as usize])
        .collect()
}

/// `..name` matches the field at every depth, the node itself included; `..*` matches every
/// node below.
fn collect_descendants<'a>(node: &'a Value, name: Option<&str>, found: &mut Vec<&'a Value>) {
    match name {
        Some(name) => found.extend(node.get(name)),
        None => found.extend(children(node)),
    }
    for child in children(node) {
        collect_descendants(child, name, found);
    }
}

struct Parser<'t> {
    text: &'t str,
    chars: Vec<char>,
    at: usize,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            chars: text.chars().collect(),
            at: 0,
        }
    }

    fn parse(mut self) -> Result<Path, String> {
        if !self.eat('$') {
            return Err("a path must start with '$'".to_owned());
        }
        let root = if self.eat('$') {
            Root::Context
        } else {
            Root::Input
        };
        let mut segments = Vec::new();
        while let Some(next) = self.peek() {
            segments.push(match next {
                '.' => self.dotted()?,
                '[' => self.bracketed()?,
                other => return Err(format!("unexpected '{other}' at position {}", self.at)),
            });
        }
        Ok(Path {
            text: self.text.to_owned(),
            root,
            segments,
        })
    }

    fn dotted(&mut self) -> Result<Segment, String> {
        self.at += 1;
        if self.eat('.') {
            return if self.eat('*') {
                Ok(Segment::Descendants(None))
            } else {
                Ok(Segment::Descendants(Some(self.name()?)))
            };
        }
        if self.eat('*') {
            return Ok(Segment::Wildcard);
        }
        Ok(Segment::Field(self.name()?))
    }

    fn name(&mut self) -> Result<String, String> {
        let start = self.at;
        while self.peek().is_some_and(|c| c != '.' && c != '[') {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        match name.as_str() {
            "" => Err(format!("a field name is missing at position {start}")),
            name if name.contains(['(', ')']) => Err(format!(
                "functions such as '{name}' are not supported in paths"
            )),
            _ => Ok(name),
        }
    }

    fn bracketed(&mut self) -> Result<Segment, String> {
        self.at += 1;
        self.skip_spaces();
        let segment = match self.peek() {
            Some('*') => {
                self.at += 1;
                Segment::Wildcard
            }
            Some('?') | Some('(') => {
                return Err("filter and script expressions are not supported".to_owned())
            }
            Some('\'') | Some('"') => {
                let mut names = vec![self.quoted()?];
                while self.skip_spaces_then(',') {
                    self.skip_spaces();
                    names.push(self.quoted()?);
                }
                if names.len() == 1 {
                    Segment::Field(names.remove(0))
                } else {
                    Segment::Union(names.into_iter().map(Selector::Field).collect())
                }
            }
            _ => self.indexes()?,
        };
        self.skip_spaces();
        if !self.eat(']') {
            return Err(format!("expected ']' at position {}", self.at));
        }
        Ok(segment)
    }

    fn indexes(&mut self) -> Result<Segment, String> {
        let first = self.integer()?;
        if self.peek() == Some(':') {
            let mut bounds = vec![first];
            while self.eat(':') {
                bounds.push(self.integer()?);
            }
            if bounds.len() > 3 {
                return Err("a slice has at most start:end:step".to_owned());
            }
            let step = bounds.get(2).copied().flatten().unwrap_or(1);
            if step <= 0 {
                return Err("a slice step must be positive".to_owned());
            }
            return Ok(Segment::Slice {
                start: bounds[0],
                end: bounds.get(1).copied().flatten(),
                step,
            });
        }
        let first = first.ok_or_else(|| format!("expected an index at position {}", self.at))?;
        let mut indexes = vec![first];
        while self.skip_spaces_then(',') {
            self.skip_spaces();
            indexes.push(
                self.integer()?
                    .ok_or_else(|| format!("expected an index at position {}", self.at))?,
            );
        }
        Ok(if indexes.len() == 1 {
            Segment::Index(indexes[0])
        } else {
            Segment::Union(indexes.into_iter().map(Selector::Index).collect())
        })
    }

    fn integer(&mut self) -> Result<Option<i64>, String> {
        self.skip_spaces();
        let start = self.at;
        if self.peek() == Some('-') {
            self.at += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let digits: String = self.chars[start..self.at].iter().collect();
        self.skip_spaces();
        if digits.is_empty() {
            return Ok(None);
        }
        digits
            .parse()
            .map(Some)
            .map_err(|_| format!("'{digits}' is not an index"))
    }

    fn quoted(&mut self) -> Result<String, String> {
        let Some(quote) = self.peek().filter(|c| *c == '\'' || *c == '"') else {
            return Err(format!("expected a quoted name at position {}", self.at));
        };
        self.at += 1;
        let mut name = String::new();
        loop {
            match self.peek() {
                None => return Err("a quoted name is not closed".to_owned()),
                Some('\\') => {
                    self.at += 1;
                    let escaped = self.peek().ok_or("a quoted name ends with '\\'")?;
                    name.push(escaped);
                    self.at += 1;
                }
                Some(c) if c == quote => {
                    self.at += 1;
                    return Ok(name);
                }
                Some(c) => {
                    name.push(c);
                    self.at += 1;
                }
            }
        }
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

    fn skip_spaces_then(&mut self, expected: char) -> bool {
        self.skip_spaces();
        self.eat(expected)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(path: &str, input: &Value) -> Result<Value, PathMiss> {
        Path::parse(path).unwrap().read(input, &json!({}))
    }

    #[test]
    fn definite_paths_select_single_nodes_as_in_the_spec() {
        let input = json!({"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true}});
        assert_eq!(read("$.foo", &input), Ok(json!(123)));
        assert_eq!(read("$.bar", &input), Ok(json!(["a", "b", "c"])));
        assert_eq!(read("$.car.cdr", &input), Ok(json!(true)));
        assert_eq!(read("$['car']['cdr']", &input), Ok(json!(true)));
        assert_eq!(read("$.bar[1]", &input), Ok(json!("b")));
        assert_eq!(read("$.bar[-1]", &input), Ok(json!("c")));
        assert_eq!(read("$", &input), Ok(input.clone()));
        assert!(read("$.nothing", &input).is_err());
        assert!(read("$.bar[3]", &input).is_err());
    }

    #[test]
    fn indefinite_paths_yield_arrays() {
        let input = json!({"items": [{"id": 1, "x": {"id": 9}}, {"id": 2}, {"id": 3}]});
        assert_eq!(read("$.items[*].id", &input), Ok(json!([1, 2, 3])));
        assert_eq!(read("$.items[0:2].id", &input), Ok(json!([1, 2])));
        assert_eq!(read("$.items[0,2].id", &input), Ok(json!([1, 3])));
        assert_eq!(read("$..id", &input), Ok(json!([1, 9, 2, 3])));
        assert_eq!(read("$.items[*].missing", &input), Ok(json!([])));
    }

    #[test]
    fn context_paths_read_the_context_object() {
        let path = Path::parse("$$.Execution.Id").unwrap();
        assert_eq!(path.root(), Root::Context);
        let context = json!({"Execution": {"Id": "arn:x"}});
        assert_eq!(path.read(&json!({}), &context), Ok(json!("arn:x")));
    }

    #[test]
    fn filters_and_garbage_are_refused() {
        assert!(Path::parse("$.a[?(@.b > 1)]").is_err());
        assert!(Path::parse("$.a.length()").is_err());
        assert!(Path::parse("a.b").is_err());
        assert!(Path::parse("$.").is_err());
        assert!(Path::parse("$[1").is_err());
    }

    #[test]
    fn reference_paths_are_only_names_and_indexes() {
        assert!(Path::parse("$.a['b'][0]").unwrap().is_reference());
        assert!(!Path::parse("$.a[*]").unwrap().is_reference());
        assert!(!Path::parse("$$.Execution").unwrap().is_reference());
    }

    #[test]
    fn writing_creates_missing_objects_and_replaces_existing_fields() {
        let path = Path::parse("$.master.detail").unwrap();
        assert_eq!(
            path.write(json!({"a": 1}), json!(5)),
            Ok(json!({"a": 1, "master": {"detail": 5}}))
        );
        assert_eq!(
            path.write(json!({"master": {"detail": 1, "x": 2}}), json!(5)),
            Ok(json!({"master": {"detail": 5, "x": 2}}))
        );
        assert!(path.write(json!("text"), json!(5)).is_err());
        assert!(path.write(json!({"master": 3}), json!(5)).is_err());
        assert!(Path::parse("$.list[4]")
            .unwrap()
            .write(json!({"list": [1]}), json!(0))
            .is_err());
    }
}
