//! JSON in and out: a small reader into a borrowed tree, typed field access that names the path
//! of a bad field, and a writer that appends to one `String`.
//!
//! Written here instead of serde + serde_json, on measurement: in the wasm build, serde's derived
//! code and serde_json's generic layers were 138 KB of 333 KB of code (41%), and under
//! `opt-level = "z"` they were also the slow part of every answer (0.3 ms to write 250 slots).
//! The reader is a plain recursive descent with a depth limit (deep nesting must not exhaust the
//! wasm stack, which would kill the instance); strings borrow from the input unless escaped.

use crate::base::error::clip;
use crate::base::error::{Code, Error, Fact, Result, Violation};
use crate::time::{self, Day, Instant, TimeOfDay, When};
use std::borrow::Cow;

const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// The number's text, validated against the JSON grammar; read by the target type.
    Num(&'a str),
    Str(Cow<'a, str>),
    Arr(Vec<Json<'a>>),
    Obj(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// A reading error with the path to where it happened, innermost last.
#[derive(Debug)]
pub struct JsonError {
    path: Vec<String>,
    what: String,
    /// `InvalidJson`, or the code of a value that is well-formed JSON but not what it must be
    /// (`InvalidTime` for a string that is not a time).
    code: Code,
    /// An engine error that stopped a reader fed in pieces ([`Pieces`]), passed through as is.
    stopped: Option<Box<Error>>,
}

pub type JResult<T> = std::result::Result<T, JsonError>;

impl JsonError {
    pub fn new(what: impl Into<String>) -> Self {
        JsonError {
            path: Vec::new(),
            what: what.into(),
            code: Code::InvalidJson,
            stopped: None,
        }
    }
    /// A value that is not what its field must be, with the engine's error for it.
    pub fn of(e: Error) -> Self {
        JsonError {
            code: e.code,
            ..JsonError::new(e.message)
        }
    }
    /// Carries an engine error out of a [`Pieces`] callback.
    pub fn stop(e: Error) -> Self {
        JsonError {
            stopped: Some(Box::new(e)),
            ..JsonError::new("")
        }
    }
    /// The engine error a callback stopped with, if that is what this is.
    pub fn stopped(&mut self) -> Option<Error> {
        self.stopped.take().map(|e| *e)
    }
    pub(crate) fn at(mut self, step: String) -> Self {
        self.path.push(step);
        self
    }
    /// The engine error, e.g. "book: `clientIds[2]`: expected a string".
    pub fn into_error(self, call: &str) -> Error {
        if self.path.is_empty() {
            return Error::new(self.code, format!("{call}: {}", self.what));
        }
        let mut path = String::new();
        for step in self.path.iter().rev() {
            if !path.is_empty() && !step.starts_with('[') {
                path.push('.');
            }
            path.push_str(step);
        }
        Error::new(self.code, format!("{call}: `{path}`: {}", self.what))
    }
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    #[allow(clippy::indexing_slicing)] // `self.at.min(len)`: within the text
    fn fail<T>(&self, what: &str) -> JResult<T> {
        let line = 1 + self.text.as_bytes()[..self.at.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        Err(JsonError::new(format!(
            "{what} at line {line}, byte {}",
            self.at
        )))
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    #[inline(always)]
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    #[inline(always)]
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self, w: &str, v: Json<'a>) -> JResult<Json<'a>> {
        if self.text[self.at..].starts_with(w) {
            self.at += w.len();
            Ok(v)
        } else {
            self.fail("unexpected character")
        }
    }

    fn value(&mut self, depth: usize) -> JResult<Json<'a>> {
        if depth > MAX_DEPTH {
            return self.fail("nested too deeply");
        }
        self.space();
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                self.space();
                if self.eat(b'}') {
                    return Ok(Json::Obj(Vec::new()));
                }
                let mut items = Vec::new();
                loop {
                    self.space();
                    if self.peek() != Some(b'"') {
                        return self.fail("expected a field name");
                    }
                    let key = self.string()?;
                    self.space();
                    if !self.eat(b':') {
                        return self.fail("expected `:`");
                    }
                    let v = self.value(depth + 1)?;
                    items.push((key, v));
                    self.space();
                    if self.eat(b'}') {
                        return Ok(Json::Obj(items));
                    }
                    if !self.eat(b',') {
                        return self.fail("expected `,` or `}`");
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat(b']') {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat(b']') {
                        return Ok(Json::Arr(items));
                    }
                    if !self.eat(b',') {
                        return self.fail("expected `,` or `]`");
                    }
                }
            }
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.fail("unexpected character"),
            None => self.fail("unexpected end of input"),
        }
    }

    fn number(&mut self) -> JResult<Json<'a>> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let s = r.at;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.at += 1;
            }
            r.at > s
        };
        self.eat(b'-');
        if self.eat(b'0') {
            if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return self.fail("a number may not start with 0");
            }
        } else if !digits(self) {
            return self.fail("expected digits");
        }
        if self.eat(b'.') && !digits(self) {
            return self.fail("expected digits after `.`");
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if !digits(self) {
                return self.fail("expected an exponent");
            }
        }
        Ok(Json::Num(&self.text[start..self.at]))
    }

    fn hex4(&mut self) -> JResult<u32> {
        let Some(h) = self.text.get(self.at..self.at + 4) else {
            return self.fail("bad \\u escape");
        };
        let Ok(v) = u32::from_str_radix(h, 16) else {
            return self.fail("bad \\u escape");
        };
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return self.fail("bad \\u escape");
        }
        self.at += 4;
        Ok(v)
    }

    #[allow(clippy::indexing_slicing)] // each `bytes[i]` follows `i < bytes.len()`
    fn string(&mut self) -> JResult<Cow<'a, str>> {
        self.at += 1; // the opening quote
        let start = self.at;
        let text = self.text;
        let bytes = text.as_bytes();
        // Texts of megabytes (a calendar) cross here: one pass over the bytes with a local
        // index (a loop the size-built engine keeps tight), copying runs between escapes whole.
        // Without escapes the string is borrowed.
        let mut out: Option<String> = None;
        loop {
            let mut end = self.at;
            while end < bytes.len()
                && bytes[end] != b'"'
                && bytes[end] != b'\\'
                && bytes[end] >= 0x20
            {
                end += 1;
            }
            let run = &text[self.at..end];
            if bytes.get(end).is_some_and(|&b| b < 0x20) {
                self.at = end;
                return self.fail("a control character in a string");
            }
            self.at = end;
            match bytes.get(end) {
                None => return self.fail("unterminated string"),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(match out {
                        None => Cow::Borrowed(&text[start..end]),
                        Some(mut o) => {
                            o.push_str(run);
                            Cow::Owned(o)
                        }
                    });
                }
                Some(_) => {
                    let o = out.get_or_insert_with(|| String::with_capacity(end - start + 64));
                    o.push_str(run);
                    self.at += 1;
                    let Some(&e) = bytes.get(self.at) else {
                        return self.fail("unterminated string");
                    };
                    self.at += 1;
                    match e {
                        b'"' => o.push('"'),
                        b'\\' => o.push('\\'),
                        b'/' => o.push('/'),
                        b'b' => o.push('\u{8}'),
                        b'f' => o.push('\u{c}'),
                        b'n' => o.push('\n'),
                        b'r' => o.push('\r'),
                        b't' => o.push('\t'),
                        b'u' => {
                            let mut c = self.hex4()?;
                            if (0xD800..0xDC00).contains(&c)
                                && self.text[self.at..].starts_with("\\u")
                            {
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return self.fail("bad surrogate pair");
                                }
                                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                            }
                            match char::from_u32(c) {
                                Some(ch) => o.push(ch),
                                None => return self.fail("bad \\u escape"),
                            }
                        }
                        _ => return self.fail("bad escape"),
                    }
                }
            }
        }
    }
}

/// Parses one JSON document.
pub fn parse(text: &str) -> JResult<Json<'_>> {
    let mut r = Reader { text, at: 0 };
    let v = r.value(0)?;
    r.space();
    if r.at != text.len() {
        return r.fail("trailing characters");
    }
    Ok(v)
}

/// Parses `text` as a `T`, the error naming the call (`what`) and the path of a bad field.
pub fn from_str<T: FromJson>(text: &str, what: &str) -> Result<T> {
    parse(text)
        .and_then(|v| T::from_json(&v))
        .map_err(|e| e.into_error(what))
}

impl Json<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Num(_) => "a number",
            Json::Str(_) => "a string",
            Json::Arr(_) => "an array",
            Json::Obj(_) => "an object",
        }
    }

    pub fn expected<T>(&self, what: &str) -> JResult<T> {
        Err(JsonError::new(format!(
            "expected {what}, found {}",
            self.kind()
        )))
    }

    /// The items of an array, each read as `T`.
    pub fn items(&self) -> JResult<&[Json<'_>]> {
        match self {
            Json::Arr(items) => Ok(items),
            other => other.expected("an array"),
        }
    }
}

pub trait FromJson: Sized {
    fn from_json(v: &Json) -> JResult<Self>;
}

impl FromJson for String {
    fn from_json(v: &Json) -> JResult<Self> {
        match v {
            Json::Str(s) => Ok(s.to_string()),
            other => other.expected("a string"),
        }
    }
}

impl FromJson for Box<str> {
    fn from_json(v: &Json) -> JResult<Self> {
        match v {
            Json::Str(s) => Ok(Box::from(&**s)),
            other => other.expected("a string"),
        }
    }
}

/// A time as written (RFC 3339 with or without offset, or a date): read here, once.
impl FromJson for When {
    fn from_json(v: &Json) -> JResult<Self> {
        match v {
            Json::Str(s) => time::parse_time(s).map_err(JsonError::of),
            other => other.expected("a time (RFC 3339) or a date (YYYY-MM-DD)"),
        }
    }
}

/// A date, `YYYY-MM-DD`.
impl FromJson for Day {
    fn from_json(v: &Json) -> JResult<Self> {
        match When::from_json(v)? {
            When::Date(d) => Ok(d),
            other => Err(JsonError::of(Error::new(
                Code::InvalidTime,
                format!("`{other}` must be a date, YYYY-MM-DD"),
            ))),
        }
    }
}

/// A time of day, `hh:mm`.
impl FromJson for TimeOfDay {
    fn from_json(v: &Json) -> JResult<Self> {
        match v {
            Json::Str(s) => TimeOfDay::parse(s).map_err(JsonError::of),
            other => other.expected("a time of day, hh:mm"),
        }
    }
}

impl FromJson for crate::base::id::Id {
    fn from_json(v: &Json) -> JResult<Self> {
        match v {
            Json::Str(s) => Ok(crate::base::id::Id::from(&**s)),
            other => other.expected("a string"),
        }
    }
}

impl FromJson for bool {
    fn from_json(v: &Json) -> JResult<Self> {
        match v {
            Json::Bool(b) => Ok(*b),
            other => other.expected("true or false"),
        }
    }
}

/// Whole numbers in `[min, max]`; `1.0` and `1e3` are whole, `1.5` is not.
fn whole(v: &Json, min: i64, max: i64) -> JResult<i64> {
    let Json::Num(text) = v else {
        return v.expected("a whole number");
    };
    let out_of_range = || {
        JsonError::new(format!(
            "{} is not a whole number from {min} to {max}",
            clip(text)
        ))
    };
    // Plain digits, as the engine writes numbers: read in place.
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, *text),
    };
    if (1..=18).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_digit()) {
        let n = body.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        let n = if neg { -n } else { n };
        return if (min..=max).contains(&n) {
            Ok(n)
        } else {
            Err(out_of_range())
        };
    }
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (
            &text[..i],
            text[i + 1..].parse::<i32>().map_err(|_| out_of_range())?,
        ),
        None => (*text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let neg = int.starts_with('-');
    let mut digits: String = int.trim_start_matches('-').to_string();
    digits.push_str(frac);
    let scale = exp - frac.len() as i32;
    if scale < 0 {
        let cut = digits.len().saturating_sub((-scale) as usize);
        if digits[cut..].bytes().any(|b| b != b'0') {
            return Err(out_of_range());
        }
        digits.truncate(cut);
    } else if scale > 18 || digits.len() + scale as usize > 19 {
        return Err(out_of_range());
    } else {
        digits.extend(std::iter::repeat_n('0', scale as usize));
    }
    let digits = digits.trim_start_matches('0');
    if digits.len() > 18 {
        return Err(out_of_range());
    }
    let mut n = 0i64;
    for b in digits.bytes() {
        n = n * 10 + i64::from(b - b'0');
    }
    let n = if neg { -n } else { n };
    if n < min || n > max {
        return Err(out_of_range());
    }
    Ok(n)
}

impl FromJson for u32 {
    fn from_json(v: &Json) -> JResult<Self> {
        whole(v, 0, i64::from(u32::MAX)).map(|n| n as u32)
    }
}

impl FromJson for i32 {
    fn from_json(v: &Json) -> JResult<Self> {
        whole(v, i64::from(i32::MIN), i64::from(i32::MAX)).map(|n| n as i32)
    }
}

impl FromJson for i64 {
    fn from_json(v: &Json) -> JResult<Self> {
        whole(v, -(1 << 53), 1 << 53)
    }
}

impl FromJson for u64 {
    fn from_json(v: &Json) -> JResult<Self> {
        whole(v, 0, 1 << 53).map(|n| n as u64)
    }
}

/// Degrees and the like: read to millionths (about 10 cm of latitude), which is also how they are
/// written back, so a snapshot round-trips exactly.
impl FromJson for f64 {
    fn from_json(v: &Json) -> JResult<Self> {
        let Json::Num(text) = v else {
            return v.expected("a number");
        };
        let bad = || {
            JsonError::new(format!(
                "{} is not a number from -1000000 to 1000000",
                clip(text)
            ))
        };
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i32>().map_err(|_| bad())?),
            None => (*text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let neg = int.starts_with('-');
        // Millionths as an integer: shift the decimal point by exp + 6, rounding the rest.
        let digits: String = int
            .trim_start_matches('-')
            .chars()
            .chain(frac.chars())
            .collect();
        let point = int.trim_start_matches('-').len() as i32 + exp + 6;
        if point > 13 {
            return Err(bad());
        }
        if point < 0 {
            return Ok(0.0);
        }
        let mut n: i64 = 0;
        for (i, b) in digits.bytes().enumerate() {
            if (i as i32) < point {
                n = n * 10 + i64::from(b - b'0');
            } else {
                if b >= b'5' {
                    n += 1;
                }
                break;
            }
        }
        for _ in digits.len() as i32..point.max(0) {
            n *= 10;
        }
        let micro = if neg { -n } else { n };
        Ok(micro as f64 / 1e6)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut out = Vec::new();
        each_item(v, &mut |len, x| {
            // Exactly as many as there are: `reserve` would round one up to four (a booking's
            // one history entry took 416 bytes instead of 104).
            out.reserve_exact(len);
            out.push(T::from_json(x)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// The part of reading a list that does not depend on the item type, kept out of line: one copy
/// instead of one per list type (measured: 18 list types, about 9 KB of wasm).
#[inline(never)]
fn each_item(v: &Json, read: &mut dyn FnMut(usize, &Json) -> JResult<()>) -> JResult<()> {
    let items = v.items()?;
    for (i, x) in items.iter().enumerate() {
        read(items.len() - i, x).map_err(|e| e.at(format!("[{i}]")))?;
    }
    Ok(())
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Json) -> JResult<Self> {
        match v {
            Json::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

/// An instant written as an RFC 3339 string with `Z` or an offset.
fn instant(v: &Json) -> JResult<Instant> {
    match v {
        Json::Str(text) => match time::parse_time(text) {
            Ok(When::At(t, _)) => Ok(t),
            Ok(_) => Err(JsonError::new(format!(
                "`{}` needs a `Z` or an offset",
                clip(text)
            ))),
            Err(e) => Err(JsonError::new(e.message)),
        },
        other => other.expected("a string"),
    }
}

/// Reads an object's fields by name, remembering which were read, so `end` can refuse the rest
/// (a typo such as `duration` for `durationMinutes` is an error, not a silent default).
///
/// Reads do not fail one by one: a bad field reads as a default and its error is kept, and `end`
/// reports the first. Records are then built in one expression without an early return (and its
/// drop code) after every field, which keeps the wasm small.
pub struct Fields<'j, 'a> {
    items: &'j [(Cow<'a, str>, Json<'a>)],
    used: u64,
    error: Option<JsonError>,
    /// Where the next field is looked for first: objects the engine wrote (a snapshot) have
    /// their fields in the order records read them, so each is found at the first look.
    next: usize,
    /// Bit `n % 64` set for each field name `n` bytes long: most fields a record may have and
    /// this object leaves out are known absent from their name's length, without a scan.
    lengths: u64,
}

impl<'j, 'a> Fields<'j, 'a> {
    pub fn of(v: &'j Json<'a>) -> JResult<Self> {
        match v {
            Json::Obj(items) if items.len() <= 64 => Ok(Fields {
                items,
                used: 0,
                error: None,
                next: 0,
                lengths: items.iter().fold(0, |m, (k, _)| m | 1 << (k.len() % 64)),
            }),
            Json::Obj(_) => Err(JsonError::new("an object with more than 64 fields")),
            other => other.expected("an object"),
        }
    }

    #[allow(clippy::indexing_slicing)] // `i` comes from `position` over these items
    fn find(&mut self, key: &str) -> Option<&'j Json<'a>> {
        let i = match self.items.get(self.next) {
            Some((k, _)) if k == key => self.next,
            _ if self.lengths & 1 << (key.len() % 64) == 0 => return None,
            _ => self.items.iter().position(|(k, _)| k == key)?,
        };
        self.next = i + 1;
        self.used |= 1 << i;
        Some(&self.items[i].1)
    }

    fn keep<T: Default>(&mut self, key: &str, read: JResult<T>) -> T {
        match read {
            Ok(v) => v,
            Err(e) => {
                self.fail(key, e);
                T::default()
            }
        }
    }

    /// Keeps the first error; out of line so that `keep` stays small in each of its copies.
    #[inline(never)]
    fn fail(&mut self, key: &str, e: JsonError) {
        if self.error.is_none() {
            self.error = Some(e.at(key.to_string()));
        }
    }

    /// A field that must be there.
    #[inline(never)]
    pub fn req<T: FromJson + Default>(&mut self, key: &str) -> T {
        match self.find(key) {
            Some(v) => {
                let read = T::from_json(v);
                self.keep(key, read)
            }
            None => self.missing(key),
        }
    }

    /// Keeps a missing field's error (if it is the first) and reads as the default.
    #[inline(never)]
    fn missing<T: Default>(&mut self, key: &str) -> T {
        if self.error.is_none() {
            self.error = Some(JsonError::new(format!("missing field `{key}`")));
        }
        T::default()
    }

    /// A field that may be missing or null.
    #[inline(never)]
    pub fn opt<T: FromJson>(&mut self, key: &str) -> Option<T> {
        match self.find(key) {
            Some(v) => {
                let read = Option::<T>::from_json(v);
                self.keep(key, read)
            }
            None => None,
        }
    }

    /// A field with a default when missing or null.
    pub fn or<T: FromJson>(&mut self, key: &str, default: T) -> T {
        self.opt(key).unwrap_or(default)
    }

    /// A list that may be missing (empty).
    pub fn list<T: FromJson>(&mut self, key: &str) -> Vec<T> {
        self.opt(key).unwrap_or_default()
    }

    /// An instant: an RFC 3339 string with `Z` or an offset, read where it lies in the text.
    pub fn time(&mut self, key: &str) -> Instant {
        match self.find(key) {
            Some(v) => {
                let read = instant(v);
                self.keep(key, read)
            }
            None => self.missing(key),
        }
    }

    /// An optional instant.
    pub fn opt_time(&mut self, key: &str) -> Option<Instant> {
        match self.find(key)? {
            Json::Null => None,
            v => {
                let read = instant(v);
                Some(self.keep(key, read))
            }
        }
    }

    /// The first error, or refuses fields that were not read.
    pub fn end(self) -> JResult<()> {
        if let Some(e) = self.error {
            return Err(e);
        }
        match self
            .items
            .iter()
            .enumerate()
            .find(|(i, _)| self.used & (1 << i) == 0)
        {
            None => Ok(()),
            Some((_, (k, _))) => Err(JsonError::new(format!("unknown field `{}`", clip(k)))),
        }
    }
}

/// Appends JSON to one `String`. Commas are placed by looking at the last byte written.
#[derive(Default)]
pub struct Writer {
    pub out: String,
}

impl Writer {
    fn sep(&mut self) {
        if !matches!(self.out.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.out.push(',');
        }
    }
    pub fn begin_obj(&mut self) {
        self.sep();
        self.out.push('{');
    }
    pub fn end_obj(&mut self) {
        self.out.push('}');
    }
    pub fn begin_arr(&mut self) {
        self.sep();
        self.out.push('[');
    }
    pub fn end_arr(&mut self) {
        self.out.push(']');
    }
    /// A field name: ours are plain ASCII, so no escaping is needed.
    pub fn key(&mut self, k: &str) {
        self.sep();
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
    }
    pub fn field<T: ToJson + ?Sized>(&mut self, k: &str, v: &T) {
        self.key(k);
        v.write(self);
    }
    /// Written only when present.
    pub fn opt<T: ToJson>(&mut self, k: &str, v: &Option<T>) {
        if let Some(v) = v {
            self.field(k, v);
        }
    }
    pub fn time(&mut self, k: &str, t: Instant) {
        self.key(k);
        self.out.push('"');
        time::write_time(&mut self.out, t, 0);
        self.out.push('"');
    }
    pub fn raw(&mut self, json: &str) {
        self.sep();
        self.out.push_str(json);
    }
    #[allow(clippy::indexing_slicing)] // `b >> 4` and `b & 15` are below 16, HEX's length
    pub fn str(&mut self, s: &str) {
        self.sep();
        self.out.push('"');
        if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
            self.out.push_str(s);
            self.out.push('"');
            return;
        }
        let mut run = 0;
        for (i, b) in s.bytes().enumerate() {
            let esc = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&s[run..i]);
            if esc.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(b >> 4)]));
                self.out.push(char::from(HEX[usize::from(b & 15)]));
            } else {
                self.out.push_str(esc);
            }
            run = i + 1;
        }
        self.out.push_str(&s[run..]);
        self.out.push('"');
    }
    #[allow(clippy::indexing_slicing)] // at most 20 digits: `i` stays within the 20-byte buffer
    pub fn int(&mut self, n: i64) {
        self.sep();
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut m = n.unsigned_abs();
        loop {
            i -= 1;
            buf[i] = b'0' + (m % 10) as u8;
            m /= 10;
            if m == 0 {
                break;
            }
        }
        if n < 0 {
            self.out.push('-');
        }
        self.out
            .push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
    }
}

pub trait ToJson {
    fn write(&self, w: &mut Writer);
}

/// The JSON text of a value.
pub fn to_string<T: ToJson + ?Sized>(v: &T) -> String {
    let mut w = Writer::default();
    v.write(&mut w);
    w.out
}

impl ToJson for str {
    fn write(&self, w: &mut Writer) {
        w.str(self)
    }
}

/// A parsed document written back (a server passes on parts of a request as they came).
impl ToJson for Json<'_> {
    fn write(&self, w: &mut Writer) {
        match self {
            Json::Null => w.raw("null"),
            Json::Bool(b) => w.raw(if *b { "true" } else { "false" }),
            Json::Num(n) => w.raw(n),
            Json::Str(s) => w.str(s),
            Json::Arr(items) => {
                w.begin_arr();
                for item in items {
                    item.write(w);
                }
                w.end_arr();
            }
            Json::Obj(fields) => {
                w.begin_obj();
                for (k, v) in fields {
                    w.str(k); // escaped, unlike `key`: these names come from outside
                    w.out.push(':');
                    v.write(w);
                }
                w.end_obj();
            }
        }
    }
}
impl ToJson for Box<str> {
    fn write(&self, w: &mut Writer) {
        w.str(self)
    }
}
impl ToJson for String {
    fn write(&self, w: &mut Writer) {
        w.str(self)
    }
}
impl ToJson for When {
    fn write(&self, w: &mut Writer) {
        w.sep();
        w.out.push('"');
        When::write(self, &mut w.out);
        w.out.push('"');
    }
}
impl ToJson for Day {
    fn write(&self, w: &mut Writer) {
        w.str(&time::format_date(*self))
    }
}
impl ToJson for TimeOfDay {
    fn write(&self, w: &mut Writer) {
        w.str(&self.to_string())
    }
}
impl ToJson for crate::base::id::Id {
    fn write(&self, w: &mut Writer) {
        w.str(self)
    }
}
impl ToJson for bool {
    fn write(&self, w: &mut Writer) {
        w.raw(if *self { "true" } else { "false" })
    }
}
impl ToJson for u32 {
    fn write(&self, w: &mut Writer) {
        w.int(i64::from(*self))
    }
}
impl ToJson for i32 {
    fn write(&self, w: &mut Writer) {
        w.int(i64::from(*self))
    }
}
impl ToJson for i64 {
    fn write(&self, w: &mut Writer) {
        w.int(*self)
    }
}

impl ToJson for u64 {
    fn write(&self, w: &mut Writer) {
        w.int(*self as i64)
    }
}
/// Millionths, without trailing zeros (see `FromJson for f64`).
impl ToJson for f64 {
    fn write(&self, w: &mut Writer) {
        let micro = (self * 1e6).round() as i64;
        w.int(micro / 1_000_000);
        let mut frac = (micro % 1_000_000).abs();
        if micro < 0 && micro > -1_000_000 {
            // -0.5: the integer part printed as 0 lost the sign.
            let len = w.out.len();
            w.out.insert(len - 1, '-');
        }
        if frac != 0 {
            let mut digits = 6;
            while frac % 10 == 0 {
                frac /= 10;
                digits -= 1;
            }
            w.out.push('.');
            let text = frac.to_string();
            for _ in text.len()..digits {
                w.out.push('0');
            }
            w.out.push_str(&text);
        }
    }
}
impl<T: ToJson> ToJson for [T] {
    fn write(&self, w: &mut Writer) {
        w.begin_arr();
        for x in self {
            x.write(w);
        }
        w.end_arr();
    }
}
impl<T: ToJson> ToJson for Vec<T> {
    fn write(&self, w: &mut Writer) {
        self.as_slice().write(w)
    }
}
impl<T: ToJson> ToJson for Option<T> {
    fn write(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write(w),
            None => w.raw("null"),
        }
    }
}
impl<T: ToJson + ?Sized> ToJson for &T {
    fn write(&self, w: &mut Writer) {
        (**self).write(w)
    }
}

// ---- one declaration per record ----

/// Declares a record once: the struct, its JSON reader and writer, and `fields()`, the JSON names
/// in order (the TypeScript declarations are tested against them). Each field is
/// `name: Type = "jsonName" kind`, where the kind says how it is read and written:
///
/// | kind | read | written |
/// | --- | --- | --- |
/// | `req` | must be there | always |
/// | `opt` | may be missing or null (`Option`) | when present |
/// | `list` | may be missing (empty) | always |
/// | `list_some` | may be missing (empty) | when not empty |
/// | `(or D)` | `D` when missing or null | always |
/// | `(or_skip D)` | `D` when missing or null | when not `D` |
/// | `time` | an instant (`Z` or an offset) | as UTC |
/// | `opt_time` | an optional instant | as UTC, when present |
/// | `(not_json D)` | never (it is `D`) | never |
/// | `(flatten T)` | `T`'s fields, at this level, into an `Option<Box<T>>` (`None` when all are left out) | `T`'s fields, when `Some` |
///
/// `flatten` keeps fields most records leave out behind one pointer (a booking's hold expiry,
/// notes and series), so that the many without them are smaller; its JSON name is `""`.
///
/// Unknown fields are refused, and a bad field's path is named, as everywhere (`Fields`).
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $json:literal $kind:tt ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $name {
            /// The JSON names of the fields, in order (a flattened record's in its place).
            #[allow(clippy::vec_init_then_push)] // one push or extend per field, as declared
            pub fn fields() -> Vec<&'static str> {
                let mut names = Vec::new();
                $( $crate::json::record!(@name names, $json, $kind); )*
                names
            }

            /// The fields as JSON, less those named in `skip` (a listing leaves a history out).
            pub fn write_except(&self, w: &mut $crate::json::Writer, skip: &[&str]) {
                w.begin_obj();
                self.write_fields(w, skip);
                w.end_obj();
            }

            /// The fields, without the braces around them.
            #[allow(unused_variables)]
            pub fn write_fields(&self, w: &mut $crate::json::Writer, skip: &[&str]) {
                $( if !skip.contains(&$json) { $crate::json::record!(@write w, skip, $json, self.$field, $kind); } )*
            }

            /// Reads the fields from an object's `Fields` (which refuses those no one read).
            #[allow(unused_variables)]
            pub fn read_fields(f: &mut $crate::json::Fields) -> Self {
                $name { $( $field: $crate::json::record!(@read f, $json, $kind), )* }
            }
        }

        impl $crate::json::FromJson for $name {
            fn from_json(v: &$crate::json::Json) -> $crate::json::JResult<Self> {
                let mut f = $crate::json::Fields::of(v)?;
                let r = $name::read_fields(&mut f);
                f.end().map(|_| r)
            }
        }

        impl $crate::json::ToJson for $name {
            fn write(&self, w: &mut $crate::json::Writer) {
                self.write_except(w, &[]);
            }
        }
    };
    (@read $f:ident, $json:literal, req) => { $f.req($json) };
    (@read $f:ident, $json:literal, opt) => { $f.opt($json) };
    (@read $f:ident, $json:literal, list) => { $f.list($json) };
    (@read $f:ident, $json:literal, list_some) => { $f.list($json) };
    (@read $f:ident, $json:literal, (or $d:expr)) => { $f.or($json, $d) };
    (@read $f:ident, $json:literal, (or_skip $d:expr)) => { $f.or($json, $d) };
    (@read $f:ident, $json:literal, time) => { $f.time($json) };
    (@read $f:ident, $json:literal, opt_time) => { $f.opt_time($json) };
    (@read $f:ident, $json:literal, (not_json $d:expr)) => { $d };
    (@read $f:ident, $json:literal, (flatten $t:ty)) => {{
        let inner = <$t>::read_fields($f);
        (inner != <$t>::default()).then(|| Box::new(inner))
    }};
    (@name $n:ident, $json:literal, (flatten $t:ty)) => { $n.extend(<$t>::fields()) };
    (@name $n:ident, $json:literal, (not_json $d:expr)) => { () };
    (@name $n:ident, $json:literal, $kind:tt) => { $n.push($json) };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, req) => { $w.field($json, &$v) };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, opt) => { $w.opt($json, &$v) };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, list) => { $w.field($json, &$v) };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, list_some) => { if !$v.is_empty() { $w.field($json, &$v) } };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, (or $d:expr)) => { $w.field($json, &$v) };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, (or_skip $d:expr)) => { if $v != $d { $w.field($json, &$v) } };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, time) => { $w.time($json, $v) };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, opt_time) => { if let Some(t) = $v { $w.time($json, t) } };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, (not_json $d:expr)) => { () };
    (@write $w:ident, $skip:ident, $json:literal, $v:expr, (flatten $t:ty)) => { if let Some(x) = &$v { x.write_fields($w, $skip) } };
}
pub(crate) use record;

/// A closed set of names, as the JSON API spells them (`"no_show"`): the enum, its `as_str`, every
/// value in `ALL`, and JSON forms that refuse a name not in the set, listing those that are.
macro_rules! named {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl $crate::json::FromJson for $name {
            fn from_json(v: &$crate::json::Json) -> $crate::json::JResult<Self> {
                let name = String::from_json(v)?;
                $name::ALL.iter().copied().find(|x| x.as_str() == name).ok_or_else(|| {
                    let all: Vec<&str> = $name::ALL.iter().map(|x| x.as_str()).collect();
                    $crate::json::JsonError::new(format!(
                        "`{}` is not {} ({})",
                        $crate::base::error::clip(&name),
                        $what,
                        all.join(", ")
                    ))
                })
            }
        }

        impl $crate::json::ToJson for $name {
            fn write(&self, w: &mut $crate::json::Writer) {
                w.str(self.as_str())
            }
        }
    };
}
pub(crate) use named;

// ---- errors as JSON (the wire form of a refusal) ----

impl ToJson for Code {
    fn write(&self, w: &mut Writer) {
        w.str(self.as_str())
    }
}

impl ToJson for Violation {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("code", &self.code);
        w.field("message", &self.message);
        w.field("ids", &self.ids);
        if !self.facts.is_empty() {
            w.key("facts");
            w.begin_obj();
            for (key, fact) in &self.facts {
                w.key(key);
                match fact {
                    Fact::Text(t) => w.str(t),
                    Fact::Number(n) => n.write(w),
                    Fact::At(t) => w.str(&time::format_utc(Instant::from_secs(*t))),
                    Fact::Texts(l) => l.write(w),
                }
            }
            w.end_obj();
        }
        w.end_obj();
    }
}

impl ToJson for Error {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("code", &self.code);
        w.field("message", &self.message);
        w.field("details", &self.details);
        w.end_obj();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_with_escapes_and_control_characters() {
        for at in [0, 5, 7, 8, 15, 16, 40] {
            let mut doc = format!("[\"{}\"]", "a".repeat(41));
            doc.replace_range(2 + at..3 + at, "\u{1f}");
            assert!(parse(&doc).is_err(), "a raw control character at {at}");
        }
        // Escapes every few bytes over a long string: read in one pass, each escape once.
        let escaped = "line\\r\\n".repeat(100_000);
        let doc = format!("[\"{escaped}\"]");
        let Ok(Json::Arr(v)) = parse(&doc) else {
            panic!("an array")
        };
        assert!(
            matches!(&v[..], [Json::Str(s)] if s.len() == 600_000 && s.starts_with("line\r\nline"))
        );
        assert!(matches!(
            parse("\"é日本\""),
            Ok(Json::Str(Cow::Borrowed("é日本")))
        ));
    }

    #[test]
    fn a_parsed_document_is_written_back_as_it_reads() {
        let text = r#"{"a\"b":[1,-2.5e3,true,null,"x\ny"],"":{}}"#;
        assert_eq!(to_string(&parse(text).unwrap()), text);
    }

    /// Everything `Pieces` hands over for `text` fed in pieces of `n` bytes (at char boundaries).
    fn cut(text: &str, n: usize) -> JResult<Vec<String>> {
        let mut out = Vec::new();
        let mut p = Pieces::new(1 << 20);
        let mut rest = text;
        while !rest.is_empty() {
            let mut k = n.min(rest.len());
            while !rest.is_char_boundary(k) {
                k += 1;
            }
            let (piece, tail) = rest.split_at(k);
            p.feed(piece, |x| {
                out.push(match x {
                    Piece::Member(k, v) => format!("{k}={v}"),
                    Piece::Element(k, i, v) => format!("{k}[{i}]={v}"),
                });
                Ok(())
            })?;
            rest = tail;
        }
        p.finish().map(|_| out)
    }

    #[test]
    fn an_object_fed_in_any_pieces_comes_out_member_by_member() {
        let text = r#" { "version" : 2, "name":"a \"quoted\" ] , } [ name \\", "empty": [ ],
            "list": [ {"x": [1, {"y": "]"}]} , "é😀", 3 ], "obj": {"k": [1,2]}, "last": null } "#;
        let whole = cut(text, usize::MAX).unwrap();
        assert_eq!(
            whole,
            [
                "version=2",
                r#"name="a \"quoted\" ] , } [ name \\""#,
                "empty=[]",
                r#"list[0]={"x": [1, {"y": "]"}]}"#,
                r#"list[1]="é😀""#,
                "list[2]=3",
                r#"obj={"k": [1,2]}"#,
                "last=null",
            ]
        );
        for n in 1..=12 {
            assert_eq!(cut(text, n).unwrap(), whole, "pieces of {n} bytes");
        }
    }

    #[test]
    fn pieces_refuse_a_broken_structure() {
        for bad in [
            r#"{"a": [1,]}"#,
            r#"{"a": 1,}"#,
            r#"{"a": [1}"#,
            r#"{"a" 1}"#,
            r#"["a"]"#,
            r#"{"a": 1} x"#,
            r#"{"a": 1"#,
        ] {
            assert!(cut(bad, 3).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_and_writes_the_usual_documents() {
        let v =
            parse(r#" {"a": [1, -2.5e1, true, null, "x\"\u00e9\ud83d\ude00"], "b": {}} "#).unwrap();
        let Json::Obj(items) = &v else { panic!() };
        assert_eq!(items[0].0, "a");
        let Json::Arr(a) = &items[0].1 else { panic!() };
        assert_eq!(a[1], Json::Num("-2.5e1"));
        assert_eq!(a[4], Json::Str(Cow::Owned("x\"é😀".into())));
        assert_eq!(to_string("x\"é\n\u{1}"), r#""x\"é\n\u0001""#);
    }

    #[test]
    fn refuses_broken_documents_without_panicking() {
        let deep = "[".repeat(10_000);
        for junk in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "\"\\x\"",
            "\"\\ud800\\u0041\"",
            "nul",
            "[1] 2",
            "\"a\u{1}\"",
            &deep,
        ] {
            assert!(parse(junk).is_err(), "{junk:.20}");
        }
    }

    #[test]
    fn whole_numbers_and_degrees() {
        let n = |t: &str| whole(&Json::Num(t), -100, 100);
        assert_eq!(n("42").unwrap(), 42);
        assert_eq!(n("4.2e1").unwrap(), 42);
        assert_eq!(n("-1e2").unwrap(), -100);
        assert!(n("1.5").is_err() && n("101").is_err() && n("1e999").is_err());
        // Plain digits take the short way, with the same answers and the same refusals.
        assert_eq!(
            (n("0").unwrap(), n("-0").unwrap(), n("-7").unwrap()),
            (0, 0, -7)
        );
        assert!(n("-101").is_err() && n("100000000000000000000").is_err());
        let big = |t: &str| whole(&Json::Num(t), i64::MIN, i64::MAX);
        assert_eq!(big("999999999999999999").unwrap(), 999_999_999_999_999_999);
        assert!(
            big("1000000000000000000").is_err(),
            "at most 18 digits, either way"
        );
        let deg = |t: &str| f64::from_json(&Json::Num(t)).unwrap();
        assert_eq!(deg("40.7128"), 40.7128);
        assert_eq!(deg("-74.0060004"), -74.006);
        assert_eq!(to_string(&-0.5f64), "-0.5");
        assert_eq!(to_string(&-73.9f64), "-73.9");
        assert_eq!(to_string(&40.000001f64), "40.000001");
    }
}

/// One member of a JSON object read in pieces ([`Pieces`]): a key with its whole value, or, when
/// the value is an array, one element of it at a time (with its index).
#[derive(Debug, PartialEq)]
pub enum Piece<'t> {
    Member(&'t str, &'t str),
    Element(&'t str, usize, &'t str),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cut {
    /// Before the opening `{`.
    Open,
    /// Where a key (or, unless `after_comma`, the closing `}`) comes.
    Key {
        after_comma: bool,
    },
    KeyText,
    Colon,
    Value,
    /// Inside a member's value; `array`: the value is an array and this is one of its elements.
    Inside {
        array: bool,
    },
    /// Inside an array value, where an element or (unless `after_comma`) its `]` comes.
    Items {
        after_comma: bool,
    },
    /// After a member's value: `,` or `}`.
    After,
    Done,
}

/// Cuts the text of one JSON object, fed in any pieces, into its members as each completes; an
/// array member's elements come one by one. A snapshot of 100,000 bookings is then read with one
/// booking's text and tree in memory at a time, not the whole text and a tree of it. Only the
/// structure is checked here; each piece is then read with [`parse`].
pub struct Pieces {
    buf: String,
    /// How far `buf` has been scanned.
    at: usize,
    /// Where the piece being scanned (a key, a value, an element) starts in `buf`.
    start: usize,
    state: Cut,
    depth: usize,
    in_str: bool,
    escape: bool,
    key: String,
    index: usize,
    /// The most one piece may take (a longer one is refused, not read).
    max_piece: usize,
}

impl Pieces {
    pub fn new(max_piece: usize) -> Self {
        Pieces {
            buf: String::new(),
            at: 0,
            start: 0,
            state: Cut::Open,
            depth: 0,
            in_str: false,
            escape: false,
            key: String::new(),
            index: 0,
            max_piece,
        }
    }

    /// Reads `text`, handing each completed piece to `each` (which may refuse it).
    #[allow(clippy::indexing_slicing)] // `start <= i < buf.len()`, both at ASCII bytes
    pub fn feed(&mut self, text: &str, mut each: impl FnMut(Piece) -> JResult<()>) -> JResult<()> {
        self.buf.push_str(text);
        let bytes = self.buf.as_bytes();
        let mut i = self.at;
        while i < bytes.len() {
            if self.escape {
                // The byte after a backslash in a string, whatever it is.
                self.escape = false;
                i += 1;
                continue;
            }
            if self.in_str {
                // Inside a string only a backslash and the closing quote matter: skip to them.
                match bytes[i..].iter().position(|&c| c == b'"' || c == b'\\') {
                    None => {
                        i = bytes.len();
                        break;
                    }
                    Some(k) => i += k,
                }
                if bytes[i] == b'\\' {
                    self.escape = true;
                } else {
                    self.in_str = false;
                    if self.state == Cut::KeyText {
                        self.key = match parse(&self.buf[self.start..=i])? {
                            Json::Str(k) => k.into_owned(),
                            _ => return Err(JsonError::new("expected a key")),
                        };
                        self.state = Cut::Colon;
                    }
                }
                i += 1;
                continue;
            }
            if let Cut::Inside { .. } = self.state {
                // Inside a value only strings, brackets and commas matter: skip to the next.
                let next = bytes[i..]
                    .iter()
                    .position(|&c| matches!(c, b'"' | b'{' | b'}' | b'[' | b']' | b','));
                match next {
                    None => {
                        i = bytes.len();
                        break;
                    }
                    Some(k) => i += k,
                }
            }
            let b = bytes[i];
            match self.state {
                Cut::Inside { array } => match b {
                    b'"' => self.in_str = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' if self.depth > 0 => self.depth -= 1,
                    b',' if self.depth > 0 => {}
                    b',' | b'}' | b']' => {
                        // The end of the value (or element): a `,` or the closer at depth 0.
                        let piece = self.buf[self.start..i].trim_end();
                        if piece.is_empty() {
                            return Err(JsonError::new("expected a value"));
                        }
                        if array {
                            if b == b'}' {
                                return Err(JsonError::new("expected `]` before `}`"));
                            }
                            each(Piece::Element(&self.key, self.index, piece)).map_err(|e| {
                                e.at(format!("[{}]", self.index)).at(self.key.clone())
                            })?;
                            self.index += 1;
                            self.state = if b == b',' {
                                Cut::Items { after_comma: true }
                            } else {
                                Cut::After
                            };
                        } else {
                            if b == b']' {
                                return Err(JsonError::new("unexpected `]`"));
                            }
                            each(Piece::Member(&self.key, piece))
                                .map_err(|e| e.at(self.key.clone()))?;
                            self.state = if b == b',' {
                                Cut::Key { after_comma: true }
                            } else {
                                Cut::Done
                            };
                        }
                    }
                    _ => {}
                },
                _ if matches!(b, b' ' | b'\t' | b'\n' | b'\r') => {}
                Cut::Open if b == b'{' => self.state = Cut::Key { after_comma: false },
                Cut::Key { .. } if b == b'"' => {
                    self.start = i;
                    self.in_str = true;
                    self.state = Cut::KeyText;
                }
                Cut::Key { after_comma: false } if b == b'}' => self.state = Cut::Done,
                Cut::Colon if b == b':' => self.state = Cut::Value,
                Cut::Value if b == b'[' => {
                    self.index = 0;
                    self.state = Cut::Items { after_comma: false };
                }
                Cut::Items { after_comma: false } if b == b']' => {
                    // An empty array has no element to carry its key: it comes as a member.
                    each(Piece::Member(&self.key, "[]")).map_err(|e| e.at(self.key.clone()))?;
                    self.state = Cut::After;
                }
                Cut::Value | Cut::Items { .. } => {
                    // This byte opens the value (or element): read it again inside it.
                    let array = matches!(self.state, Cut::Items { .. });
                    self.start = i;
                    self.depth = 0;
                    self.state = Cut::Inside { array };
                    continue;
                }
                Cut::After if b == b',' => self.state = Cut::Key { after_comma: true },
                Cut::After if b == b'}' => self.state = Cut::Done,
                _ => {
                    return Err(JsonError::new(format!(
                        "unexpected `{}` in the object's structure",
                        char::from(b)
                    )))
                }
            }
            i += 1;
        }
        // Drop what is read; keep the piece in progress.
        let keep = match self.state {
            Cut::Inside { .. } | Cut::KeyText => self.start,
            _ => i,
        };
        self.buf.drain(..keep);
        self.start -= keep.min(self.start);
        self.at = i - keep;
        if self.buf.len() > self.max_piece {
            return Err(JsonError::new(format!(
                "a piece of more than {} bytes",
                self.max_piece
            )));
        }
        Ok(())
    }

    /// Whether the object is complete (only space may follow).
    pub fn finish(&self) -> JResult<()> {
        if self.state == Cut::Done {
            Ok(())
        } else {
            Err(JsonError::new("the text ends before the object does"))
        }
    }
}
