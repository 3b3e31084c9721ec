//! Survey measurement: descriptives and correlation tables.
