//! cipa's path syntax (being written).
