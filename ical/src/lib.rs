//! iCalendar's syntax (RFC 5545 section 3.1): content lines unfolded and split into name,
//! parameters and value, gathered into components. Meaning (which properties count, times, zones,
//! recurrence) is the engine's: src/io/ical_import.rs.
//!
//! Tolerant of what calendars in the wild write: quoted parameter values holding `:`, `;` or
//! `,`, several values in one parameter (`MEMBER="mailto:a","mailto:b"`), group prefixes
//! (`GROUP1.X-TEST`), empty parameters (`;;`), spaces around names, an END with a misspelt name
//! (it closes the component it ends, said as an [`Oddity`]). A line that cannot be parsed is kept
//! as a [`BadLine`] of its component, for the reader to judge. A file is [`Broken`] only when its
//! structure is: a line that is not a content line, a component never closed, an END closing an
//! outer component while an inner one is open, a line over 1 MB.
//!
//! Its own crate so that it builds at opt-level 3, as the engine's dependencies do, while the
//! engine builds for size: reading is a loop over every byte of files of megabytes (measured in
//! ARCHITECTURE.md).

use std::borrow::Cow;

/// The longest content line, unfolded.
pub const MAX_LINE: usize = 1 << 20;

pub type Text<'a> = Cow<'a, str>;

/// One content line, unfolded: name (upper case, group prefix dropped), parameters (names upper
/// case, values unquoted), value, and the line it began on.
#[derive(Clone, Debug)]
pub struct Prop<'a> {
    pub name: Text<'a>,
    pub params: Vec<(Text<'a>, Text<'a>)>,
    pub value: Text<'a>,
    pub line: usize,
}

impl Prop<'_> {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    fn into_owned(self) -> Prop<'static> {
        let own = |t: Text| Cow::Owned(t.into_owned());
        Prop {
            name: own(self.name),
            params: self
                .params
                .into_iter()
                .map(|(k, v)| (own(k), own(v)))
                .collect(),
            value: own(self.value),
            line: self.line,
        }
    }
}

/// A content line that could not be read: its property name (as far as it goes) and why.
#[derive(Clone, Debug)]
pub struct BadLine {
    pub name: String,
    pub line: usize,
    pub why: String,
}

#[derive(Clone, Debug, Default)]
pub struct Component<'a> {
    pub name: Text<'a>,
    pub props: Vec<Prop<'a>>,
    pub children: Vec<Component<'a>>,
    pub bad: Vec<BadLine>,
    pub line: usize,
}

impl Component<'_> {
    pub fn get(&self, name: &str) -> Option<&Prop<'_>> {
        self.props.iter().find(|p| p.name == name)
    }
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Prop<'s>> {
        self.props.iter().filter(move |p| p.name == name)
    }
}

/// The file cannot be read as a calendar: the line, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    pub line: usize,
    pub message: String,
}

fn broken(line: usize, what: impl std::fmt::Display) -> Broken {
    Broken {
        line,
        message: what.to_string(),
    }
}

/// Something passed over that the reader can say: a line outside any component, a misspelt END.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Oddity {
    pub line: usize,
    pub message: String,
}

/// At most 40 characters of a text, for a sentence (a 10 MB line must not come back in one).
pub fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

fn upper(s: &str) -> Text<'_> {
    if s.bytes().any(|c| c.is_ascii_lowercase()) {
        Cow::Owned(s.to_ascii_uppercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether a content line is of one of `names` (or a BEGIN or END).
fn wanted(line: &str, names: &[&str]) -> bool {
    let b = line.as_bytes();
    let Some(end) = b.iter().position(|&c| c == b';' || c == b':') else {
        return true; // the name goes on past this line: read it whole to know
    };
    let name = line[..end].trim();
    let name = name.rsplit_once('.').map_or(name, |(_, n)| n);
    ["BEGIN", "END"]
        .iter()
        .chain(names)
        .any(|u| u.eq_ignore_ascii_case(name))
}

/// Reads the text into components. BOM, CRLF or LF, folded lines and empty lines are handled.
/// With `names`, only lines of those properties (and BEGIN, END) are parsed: the others are only
/// checked to be content lines (a name, then a `:`), and not kept.
pub fn read<'a>(
    text: &'a str,
    names: Option<&[&str]>,
) -> Result<(Vec<Component<'a>>, Vec<Oddity>), Broken> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut tree = Tree::default();
    // The logical line being gathered: a line starting with a space or tab continues it. One
    // passed over is not gathered, only whether a `:` was seen.
    let mut pending: Option<Pending<'a>> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.len() > MAX_LINE {
            return Err(broken(i + 1, "a line longer than 1 MB"));
        }
        if let Some(piece) = raw.strip_prefix([' ', '\t']) {
            match &mut pending {
                Some(p) if p.parse => {
                    p.text.to_mut().push_str(piece);
                    if p.text.len() > MAX_LINE {
                        return Err(broken(i + 1, "a line longer than 1 MB"));
                    }
                }
                Some(p) => p.colon |= piece.contains(':'),
                None if !piece.trim().is_empty() => {
                    return Err(broken(
                        i + 1,
                        "a continuation line with nothing to continue",
                    ))
                }
                None => {}
            }
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        if let Some(p) = pending.take() {
            tree.line(p)?;
        }
        pending = Some(Pending {
            line: i + 1,
            text: Cow::Borrowed(raw),
            parse: names.is_none_or(|n| wanted(raw, n)),
            colon: false,
        });
    }
    if let Some(p) = pending.take() {
        tree.line(p)?;
    }
    tree.end()
}

/// A logical line as gathered: where it began, its text (unfolded, if it is parsed), whether it
/// is parsed, and (if not) whether a continuation held a `:`.
struct Pending<'a> {
    line: usize,
    text: Text<'a>,
    parse: bool,
    colon: bool,
}

/// The components open and done, as lines arrive.
#[derive(Default)]
struct Tree<'a> {
    stack: Vec<Component<'a>>,
    done: Vec<Component<'a>>,
    notes: Vec<Oddity>,
}

impl<'a> Tree<'a> {
    fn line(&mut self, p: Pending<'a>) -> Result<(), Broken> {
        let n = p.line;
        if !(p.colon || p.text.contains(':')) {
            return Err(broken(
                n,
                format!("`{}` is not a content line (NAME:value)", clip(&p.text)),
            ));
        }
        if !p.parse {
            // Passed over; said only where no component holds it (a strict reader refuses it).
            if self.stack.is_empty() {
                self.notes.push(Oddity {
                    line: n,
                    message: format!("passed over: `{}` outside BEGIN:VCALENDAR", clip(&p.text)),
                });
            }
            return Ok(());
        }
        let prop = match p.text {
            Cow::Borrowed(s) => parse_line(n, s),
            Cow::Owned(s) => parse_line(n, &s).map(Prop::into_owned),
        };
        let prop = match prop {
            Ok(p) => p,
            Err(bad) => match self.stack.last_mut() {
                Some(c) => {
                    c.bad.push(bad);
                    return Ok(());
                }
                None => return Err(broken(n, bad.why)),
            },
        };
        if prop.name == "BEGIN" {
            if self.stack.len() > 16 {
                return Err(broken(n, "components nested too deeply"));
            }
            let name = match prop.value {
                Cow::Borrowed(v) => upper(v.trim()),
                Cow::Owned(v) => Cow::Owned(v.trim().to_ascii_uppercase()),
            };
            self.stack.push(Component {
                name,
                line: n,
                ..Default::default()
            });
        } else if prop.name == "END" {
            let name = prop.value.trim().to_ascii_uppercase();
            let Some(open) = self.stack.last() else {
                return Err(broken(n, format!("END:{} without BEGIN", clip(&name))));
            };
            if open.name != name.as_str() {
                if let Some(outer) = self.stack.iter().rev().find(|c| c.name == name.as_str()) {
                    return Err(broken(
                        open.line,
                        format!(
                            "BEGIN:{} is never closed: END:{} of line {n} closes BEGIN:{} of line {} first",
                            open.name, outer.name, outer.name, outer.line
                        ),
                    ));
                }
                self.notes.push(Oddity {
                    line: n,
                    message: format!("END:{} read as END:{}", clip(&name), open.name),
                });
            }
            let c = self.stack.pop().unwrap_or_default();
            match self.stack.last_mut() {
                Some(parent) => parent.children.push(c),
                None => self.done.push(c),
            }
        } else {
            match self.stack.last_mut() {
                Some(c) => c.props.push(prop),
                None => {
                    return Err(broken(
                        n,
                        format!("{} outside BEGIN:VCALENDAR", clip(&prop.name)),
                    ))
                }
            }
        }
        Ok(())
    }

    fn end(self) -> Result<(Vec<Component<'a>>, Vec<Oddity>), Broken> {
        if let Some(open) = self.stack.last() {
            return Err(broken(
                open.line,
                format!(
                    "BEGIN:{} is never closed (the file is cut short?)",
                    open.name
                ),
            ));
        }
        Ok((self.done, self.notes))
    }
}

/// `name *(";" param) ":" value`. A `:`, `;` or `,` inside a quoted parameter value is part of
/// it; a parameter may hold several values (`MEMBER="mailto:a","mailto:b"`, RFC 5545 3.2).
#[allow(clippy::indexing_slicing)] // each `b[i]` follows `i < b.len()` in the same condition
fn parse_line(n: usize, s: &str) -> Result<Prop<'_>, BadLine> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i] != b';' && b[i] != b':' {
        i += 1;
    }
    let full = s[..i].trim();
    // A group prefix (`GROUP1.X-TEST`, as vCard writes it) is not part of the name.
    let name = full.rsplit_once('.').map_or(full, |(_, n)| n);
    let bad = |why: String| BadLine {
        name: clip(&full.to_ascii_uppercase()),
        line: n,
        why,
    };
    if name.is_empty()
        || !name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    {
        return Err(bad(format!("`{}` is not a property name", clip(full))));
    }
    let name = upper(name);
    let mut params = Vec::new();
    while b.get(i) == Some(&b';') {
        i += 1;
        let k0 = i;
        while i < b.len() && !matches!(b[i], b'=' | b';' | b':') {
            i += 1;
        }
        let key = s[k0..i].trim();
        match b.get(i) {
            Some(b'=') if !key.is_empty() => i += 1,
            Some(b';' | b':') if key.is_empty() => continue, // `;;`: an empty parameter
            _ => return Err(bad(format!("a parameter of {name} is not NAME=VALUE"))),
        }
        let v0 = i;
        loop {
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            if b.get(i) == Some(&b'"') {
                let end = s[i + 1..]
                    .find('"')
                    .ok_or_else(|| bad(format!("an unclosed quote in a parameter of {name}")))?;
                i += end + 2;
                while b.get(i) == Some(&b' ') {
                    i += 1;
                }
            } else {
                while i < b.len() && !matches!(b[i], b';' | b':' | b',') {
                    i += 1;
                }
            }
            if b.get(i) != Some(&b',') {
                break;
            }
            i += 1;
        }
        params.push((upper(key), param_value(&s[v0..i])));
    }
    if b.get(i) != Some(&b':') {
        return Err(bad(format!("{name} has no `:` before its value")));
    }
    Ok(Prop {
        name,
        params,
        value: Cow::Borrowed(&s[i + 1..]),
        line: n,
    })
}

/// A parameter's value as written, unquoted (several values joined by commas), RFC 6868 escapes
/// read.
fn param_value(raw: &str) -> Text<'_> {
    let raw = raw.trim();
    let v: Text = if !raw.contains('"') {
        Cow::Borrowed(raw)
    } else if raw.len() >= 2
        && raw.starts_with('"')
        && raw.ends_with('"')
        && !raw[1..raw.len() - 1].contains('"')
    {
        Cow::Borrowed(&raw[1..raw.len() - 1])
    } else {
        Cow::Owned(raw.replace('"', ""))
    };
    if v.contains('^') {
        Cow::Owned(rfc6868(&v))
    } else {
        v
    }
}

/// RFC 6868: `^n` newline, `^^` caret, `^'` double quote.
fn rfc6868(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('^') => out.push('^'),
            Some('\'') => out.push('"'),
            Some(o) => {
                out.push('^');
                out.push(o);
            }
            None => out.push('^'),
        }
    }
    out
}

/// A TEXT value unescaped (`\\n` a newline, `\\,` a comma...).
pub fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Prop<'_> {
        parse_line(1, line).unwrap_or_else(|b| panic!("{line}: {}", b.why))
    }

    #[test]
    fn quoted_and_multi_valued_parameters_keep_their_colons_semicolons_and_commas() {
        let p = one(
            r#"ATTENDEE;DELEGATED-TO="mailto:a@x","mailto:b@x";CN="Foo; Bar: Baz, Jr":mailto:c@x"#,
        );
        assert_eq!(p.name, "ATTENDEE");
        assert_eq!(p.param("DELEGATED-TO"), Some("mailto:a@x,mailto:b@x"));
        assert_eq!(p.param("CN"), Some("Foo; Bar: Baz, Jr"));
        assert_eq!(p.value, "mailto:c@x");
        let p = one(r#"DTSTART;TZID="/mozilla.org/20050126_1/Europe/Berlin":20261124T090000"#);
        assert_eq!(
            p.param("TZID"),
            Some("/mozilla.org/20050126_1/Europe/Berlin")
        );
        assert_eq!(p.value, "20261124T090000");
        let p = one("X-A;X-P=^'q^' ^^ ^n:v"); // RFC 6868
        assert_eq!(p.param("X-P"), Some("\"q\" ^ \n"));
    }

    #[test]
    fn groups_empty_parameters_and_lower_case_are_read_as_meant() {
        let p = one("group1.x-test;;value=TEXT:test!");
        assert_eq!(
            (p.name.as_ref(), p.param("VALUE"), p.value.as_ref()),
            ("X-TEST", Some("TEXT"), "test!")
        );
        for bad in ["ORGANIZER;CN=\"open:mailto:x", "DTSTART;=x:1", "A B:c"] {
            assert!(parse_line(1, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_unfold_components_nest_and_structure_is_checked() {
        let (cals, odd) = read("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:a long\r\n  line\r\nEND:VEVENT\r\nEND:VCALENDARX\r\n", None).unwrap();
        assert_eq!(
            cals[0].children[0].get("SUMMARY").map(|p| p.value.as_ref()),
            Some("a long line")
        );
        assert_eq!(odd.len(), 1, "a misspelt END is said");
        let broken = |t: &str| read(t, None).unwrap_err().line;
        assert_eq!(broken("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR\n"), 2);
        assert_eq!(broken("BEGIN:VCALENDAR\nno colon\nEND:VCALENDAR\n"), 2);
        assert_eq!(broken("BEGIN:VCALENDAR\n"), 1);
        // Passed over: only checked to be a content line, its continuation included.
        let (cals, _) = read(
            "BEGIN:VCALENDAR\nDESCRIPTION;X=1\n :folded\nEND:VCALENDAR\n",
            Some(&[]),
        )
        .unwrap();
        assert!(cals[0].props.is_empty());
        assert_eq!(
            read(
                "BEGIN:VCALENDAR\nDESCRIPTION;X=1\n folded\nEND:VCALENDAR\n",
                Some(&[])
            )
            .unwrap_err()
            .line,
            2
        );
    }
}
