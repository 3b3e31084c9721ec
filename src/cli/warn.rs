//! Warnings about the input (suspicious codes, empty columns, probe values outside the data) and
//! notes on how a file was read (a detected delimiter or encoding): each is printed on standard
//! error as it is found, so it is seen whatever the output, and kept for the report and JSON.

/// What a run found worth telling about its input.
#[derive(Debug, Clone, Default)]
pub struct InputNotes {
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
}

impl InputNotes {
    /// Starts with the data's notes on how the file was read, printing them.
    pub fn from_data(data: &crate::data::Dataset) -> Self {
        let mut n = InputNotes::default();
        for note in data.read_notes() {
            n.note(note.clone());
        }
        n
    }

    pub fn warn(&mut self, msg: String) {
        eprintln!("cipa: warning: {msg}");
        self.warnings.push(msg);
    }

    pub fn warn_all(&mut self, msgs: impl IntoIterator<Item = String>) {
        for m in msgs {
            self.warn(m);
        }
    }

    pub fn note(&mut self, msg: String) {
        eprintln!("cipa: note: {msg}");
        self.notes.push(msg);
    }

    /// Adds them to a report: warnings to its warnings, notes to its notes.
    pub fn add_to(&self, report: &mut crate::report::Report) {
        report.warnings.extend(self.warnings.iter().cloned());
        report.notes.extend(self.notes.iter().cloned());
    }

    /// Adds them to a JSON document as `input_warnings` and `input_notes`, when there are any
    /// (docs/json-schema.md).
    pub fn add_to_json(&self, doc: &mut serde_json::Value) {
        if !self.warnings.is_empty() {
            doc["input_warnings"] = serde_json::json!(self.warnings);
        }
        if !self.notes.is_empty() {
            doc["input_notes"] = serde_json::json!(self.notes);
        }
    }
}
