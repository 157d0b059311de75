//! Small tools several Trama crates need the same way, kept in one place so
//! that a fix (an escaping rule, a generator's sequence, the country's time
//! zone) lands everywhere at once. Pure: no I/O, no state.

pub mod csv;
pub mod markup;
pub mod rng;
pub mod text;
pub mod time;
