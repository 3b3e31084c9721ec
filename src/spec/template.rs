//! PROCESS model templates (being written).
