//! Where maestro's inputs come from: the names of the variables it reads ([`vars`]), the one rule
//! that decides which layer's value counts ([`precedence`]), and where a value was written, for
//! the errors that name it ([`Location`]), and the names under maestro's prefixes it does not
//! read ([`unknown`]).

mod location;
pub mod precedence;
pub mod unknown;
pub mod vars;

pub use location::Location;
