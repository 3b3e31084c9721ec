//! Tokens of the path syntax. The lexer never fails: characters it cannot use become
//! [`Tok::Unknown`] or [`Tok::Bad`] tokens, reported by the parser only when it reaches them, so
//! that the first error in the text is the one reported.

use super::Pos;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// A name, quoted or not (without the quotes).
    Name(String),
    Num(f64),
    /// `~`
    Tilde,
    /// `=~`
    Latent,
    /// `~~`
    Covar,
    /// `:=`
    Define,
    Colon,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    /// `=`
    Eq,
    /// `==`
    EqEq,
    /// `<` or `<=`
    Less,
    /// `>` or `>=`
    Greater,
    Comma,
    /// A character the syntax does not use.
    Unknown(char),
    /// A malformed token, with the message to report.
    Bad(String),
    Newline,
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub pos: Pos,
    /// The token as written (with quotes for a quoted name).
    pub text: String,
}

impl Token {
    /// The token for messages: `'x'`, `"a b"`, `the end of the line`.
    pub fn describe(&self) -> String {
        match &self.tok {
            Tok::Newline => "the end of the line".to_string(),
            Tok::Eof => "the end of the input".to_string(),
            _ if self.text.starts_with('"') => self.text.clone(),
            _ => format!("'{}'", self.text),
        }
    }

    /// An operator that continues the statement on the next line when it ends a line.
    pub fn continues(&self) -> bool {
        matches!(
            self.tok,
            Tok::Plus | Tok::Minus | Tok::Star | Tok::Slash | Tok::Caret | Tok::Colon
        )
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '.'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// Splits the text into tokens, ending with [`Tok::Eof`].
pub(super) fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let at = |k: usize| chars.get(k).copied();
    let slice = |a: usize, b: usize| -> String { chars.get(a..b).unwrap_or(&[]).iter().collect() };
    let mut toks = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    while let Some(c) = at(i) {
        let start = i;
        let pos_at = |len: usize| Pos { line, col, len };
        if c == '\n' {
            toks.push(Token {
                tok: Tok::Newline,
                pos: pos_at(1),
                text: "\n".to_string(),
            });
            i += 1;
            line += 1;
            col = 1;
            continue;
        }
        if c.is_whitespace() || c == '\u{feff}' {
            i += 1;
            col += 1;
            continue;
        }
        // lavaan's comment characters: '#' and '!'.
        if c == '#' || c == '!' {
            while at(i).is_some_and(|d| d != '\n') {
                i += 1;
            }
            continue;
        }
        let tok = if c.is_ascii_digit()
            || (c == '.' && at(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            while at(i).is_some_and(|d| d.is_ascii_digit()) {
                i += 1;
            }
            if at(i) == Some('.') {
                i += 1;
                while at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
            }
            if matches!(at(i), Some('e' | 'E')) {
                let digit_at = |k: usize| at(k).is_some_and(|d| d.is_ascii_digit());
                if digit_at(i + 1) {
                    i += 1;
                } else if matches!(at(i + 1), Some('+' | '-')) && digit_at(i + 2) {
                    i += 2;
                }
                while at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
            }
            if at(i).is_some_and(is_name_char) {
                while at(i).is_some_and(is_name_char) {
                    i += 1;
                }
                let s = slice(start, i);
                Tok::Bad(format!(
                    "'{s}' is neither a number nor a name: names start with a letter, '_' or '.' \
                     (write a column name like this in double quotes: \"{s}\")"
                ))
            } else {
                let s = slice(start, i);
                match s.parse::<f64>() {
                    Ok(v) if v.is_finite() => Tok::Num(v),
                    _ => Tok::Bad(format!("the number '{s}' is too large")),
                }
            }
        } else if is_name_start(c) {
            while at(i).is_some_and(is_name_char) {
                i += 1;
            }
            Tok::Name(slice(start, i))
        } else if c == '"' {
            i += 1;
            while at(i).is_some_and(|d| d != '"' && d != '\n') {
                i += 1;
            }
            if at(i) == Some('"') {
                let inner = slice(start + 1, i);
                i += 1;
                let name = inner.trim();
                if name.is_empty() {
                    Tok::Bad("expected a name between the double quotes".to_string())
                } else if name.contains(':') {
                    Tok::Bad(format!(
                        "a quoted name cannot contain ':' (\"{name}\"): cipa joins the variables \
                         of a product term with ':'"
                    ))
                } else {
                    Tok::Name(name.to_string())
                }
            } else {
                // Point at the opening quote only.
                let text = slice(start, i);
                toks.push(Token {
                    tok: Tok::Bad("this quoted name has no closing '\"' on its line".to_string()),
                    pos: pos_at(1),
                    text,
                });
                col += i - start;
                continue;
            }
        } else {
            let next = at(i + 1);
            let (tok, n) = match (c, next) {
                ('~', Some('~')) => (Tok::Covar, 2),
                ('~', _) => (Tok::Tilde, 1),
                ('=', Some('~')) => (Tok::Latent, 2),
                ('=', Some('=')) => (Tok::EqEq, 2),
                ('=', _) => (Tok::Eq, 1),
                (':', Some('=')) => (Tok::Define, 2),
                (':', _) => (Tok::Colon, 1),
                ('<', Some('=')) => (Tok::Less, 2),
                ('<', _) => (Tok::Less, 1),
                ('>', Some('=')) => (Tok::Greater, 2),
                ('>', _) => (Tok::Greater, 1),
                ('+', _) => (Tok::Plus, 1),
                ('-', _) => (Tok::Minus, 1),
                ('*', _) => (Tok::Star, 1),
                ('/', _) => (Tok::Slash, 1),
                ('^', _) => (Tok::Caret, 1),
                ('(', _) => (Tok::LParen, 1),
                (')', _) => (Tok::RParen, 1),
                (',', _) => (Tok::Comma, 1),
                _ => (Tok::Unknown(c), 1),
            };
            i += n;
            tok
        };
        let len = i - start;
        toks.push(Token {
            tok,
            pos: pos_at(len),
            text: slice(start, i),
        });
        col += len;
    }
    toks.push(Token {
        tok: Tok::Eof,
        pos: Pos { line, col, len: 1 },
        text: String::new(),
    });
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        lex(text).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn operators_and_names() {
        assert_eq!(
            kinds("y ~ a*x + x:w # c\nind := -a^2/.5 ! c"),
            vec![
                Tok::Name("y".into()),
                Tok::Tilde,
                Tok::Name("a".into()),
                Tok::Star,
                Tok::Name("x".into()),
                Tok::Plus,
                Tok::Name("x".into()),
                Tok::Colon,
                Tok::Name("w".into()),
                Tok::Newline,
                Tok::Name("ind".into()),
                Tok::Define,
                Tok::Minus,
                Tok::Name("a".into()),
                Tok::Caret,
                Tok::Num(2.0),
                Tok::Slash,
                Tok::Num(0.5),
                Tok::Eof,
            ]
        );
        assert_eq!(
            kinds("f =~ a ~~ b == < >= , ;"),
            vec![
                Tok::Name("f".into()),
                Tok::Latent,
                Tok::Name("a".into()),
                Tok::Covar,
                Tok::Name("b".into()),
                Tok::EqEq,
                Tok::Less,
                Tok::Greater,
                Tok::Comma,
                Tok::Unknown(';'),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn names_with_dots_underscores_and_unicode() {
        assert_eq!(
            kinds("x.1 _y .z größe"),
            vec![
                Tok::Name("x.1".into()),
                Tok::Name("_y".into()),
                Tok::Name(".z".into()),
                Tok::Name("größe".into()),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("1 2.5 1e-3 3E2 .25 7."),
            vec![
                Tok::Num(1.0),
                Tok::Num(2.5),
                Tok::Num(0.001),
                Tok::Num(300.0),
                Tok::Num(0.25),
                Tok::Num(7.0),
                Tok::Eof,
            ]
        );
        assert!(matches!(kinds("2x").first(), Some(Tok::Bad(m)) if m.contains("'2x'")));
        assert!(matches!(kinds("1e999").first(), Some(Tok::Bad(m)) if m.contains("too large")));
    }

    #[test]
    fn quoted_names() {
        let t = lex("\"team size\" ~ x");
        assert_eq!(
            t.first().map(|t| &t.tok),
            Some(&Tok::Name("team size".into()))
        );
        assert_eq!(t.first().map(|t| t.pos.len), Some(11));
        assert_eq!(t.get(1).map(|t| t.pos.col), Some(13));
        assert!(matches!(kinds("\"a:b\"").first(), Some(Tok::Bad(_))));
        assert!(matches!(kinds("\" \"").first(), Some(Tok::Bad(_))));
        let open = lex("y ~ \"abc\nz");
        assert!(matches!(open.get(2).map(|t| &t.tok), Some(Tok::Bad(_))));
        assert_eq!(open.get(3).map(|t| &t.tok), Some(&Tok::Newline));
        assert_eq!(
            open.get(4).map(|t| t.pos),
            Some(Pos {
                line: 2,
                col: 1,
                len: 1
            })
        );
    }

    #[test]
    fn positions_count_characters() {
        let t = lex("größe ~ x\r\n  y");
        let cols: Vec<(usize, usize)> = t.iter().map(|t| (t.pos.line, t.pos.col)).collect();
        assert_eq!(cols, vec![(1, 1), (1, 7), (1, 9), (1, 11), (2, 3), (2, 4)]);
    }
}
