//! Where maestro's inputs come from: the names of the variables it reads ([`vars`]), the one rule
//! that decides which layer's value counts ([`precedence`]), and where a value was written, for
//! the errors that name it ([`Location`]).

mod location;
pub mod precedence;
pub mod vars;

pub use location::Location;
