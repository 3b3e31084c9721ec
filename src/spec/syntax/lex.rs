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

/// The characters of the text and the index of the next one to read.
struct Scanner {
    chars: Vec<char>,
    i: usize,
}

impl Scanner {
    fn at(&self, k: usize) -> Option<char> {
        self.chars.get(k).copied()
    }

    fn slice(&self, a: usize, b: usize) -> String {
        self.chars.get(a..b).unwrap_or(&[]).iter().collect()
    }

    fn skip_while(&mut self, keep: impl Fn(char) -> bool) {
        while self.at(self.i).is_some_and(&keep) {
            self.i += 1;
        }
    }

    /// A number from `start` (digits, a fraction, an exponent); digits run into a name make a
    /// [`Tok::Bad`] that says how to write such a column name.
    fn number(&mut self, start: usize) -> Tok {
        self.skip_while(|d| d.is_ascii_digit());
        if self.at(self.i) == Some('.') {
            self.i += 1;
            self.skip_while(|d| d.is_ascii_digit());
        }
        if matches!(self.at(self.i), Some('e' | 'E')) {
            let digit_at = |k: usize| self.at(k).is_some_and(|d| d.is_ascii_digit());
            if digit_at(self.i + 1) {
                self.i += 1;
            } else if matches!(self.at(self.i + 1), Some('+' | '-')) && digit_at(self.i + 2) {
                self.i += 2;
            }
            self.skip_while(|d| d.is_ascii_digit());
        }
        if self.at(self.i).is_some_and(is_name_char) {
            self.skip_while(is_name_char);
            let s = self.slice(start, self.i);
            Tok::Bad(format!(
                "'{s}' is neither a number nor a name: names start with a letter, '_' or '.' \
                 (write a column name like this in double quotes: \"{s}\")"
            ))
        } else {
            let s = self.slice(start, self.i);
            match s.parse::<f64>() {
                Ok(v) if v.is_finite() => Tok::Num(v),
                _ => Tok::Bad(format!("the number '{s}' is too large")),
            }
        }
    }

    /// A quoted name from the `"` at `start`; `None` when the line has no closing quote (the
    /// scanner then stands at the end of the line).
    fn quoted(&mut self, start: usize) -> Option<Tok> {
        self.i += 1;
        self.skip_while(|d| d != '"' && d != '\n');
        if self.at(self.i) != Some('"') {
            return None;
        }
        let inner = self.slice(start + 1, self.i);
        self.i += 1;
        let name = inner.trim();
        Some(if name.is_empty() {
            Tok::Bad("expected a name between the double quotes".to_string())
        } else if name.contains(':') {
            Tok::Bad(format!(
                "a quoted name cannot contain ':' (\"{name}\"): cipa joins the variables \
                 of a product term with ':'"
            ))
        } else {
            Tok::Name(name.to_string())
        })
    }

    /// An operator or punctuation of one or two characters starting with `c`.
    fn operator(&mut self, c: char) -> Tok {
        let next = self.at(self.i + 1);
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
        self.i += n;
        tok
    }
}

/// Splits the text into tokens, ending with [`Tok::Eof`].
pub(super) fn lex(text: &str) -> Vec<Token> {
    let mut s = Scanner {
        chars: text.chars().collect(),
        i: 0,
    };
    let mut toks = Vec::new();
    let (mut line, mut col) = (1usize, 1usize);
    while let Some(c) = s.at(s.i) {
        let start = s.i;
        let pos_at = |len: usize| Pos { line, col, len };
        if c == '\n' {
            toks.push(Token {
                tok: Tok::Newline,
                pos: pos_at(1),
                text: "\n".to_string(),
            });
            s.i += 1;
            line += 1;
            col = 1;
            continue;
        }
        if c.is_whitespace() || c == '\u{feff}' {
            s.i += 1;
            col += 1;
            continue;
        }
        // lavaan's comment characters: '#' and '!'.
        if c == '#' || c == '!' {
            s.skip_while(|d| d != '\n');
            continue;
        }
        let tok = if c.is_ascii_digit()
            || (c == '.' && s.at(s.i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            s.number(start)
        } else if is_name_start(c) {
            s.skip_while(is_name_char);
            Tok::Name(s.slice(start, s.i))
        } else if c == '"' {
            let Some(tok) = s.quoted(start) else {
                // Point at the opening quote only.
                toks.push(Token {
                    tok: Tok::Bad("this quoted name has no closing '\"' on its line".to_string()),
                    pos: pos_at(1),
                    text: s.slice(start, s.i),
                });
                col += s.i - start;
                continue;
            };
            tok
        } else {
            s.operator(c)
        };
        let len = s.i - start;
        toks.push(Token {
            tok,
            pos: pos_at(len),
            text: s.slice(start, s.i),
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
