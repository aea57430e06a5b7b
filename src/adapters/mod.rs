//! Chat front ends. Each translates platform messages into [`crate::dispatch::respond`]
//! calls and renders answers; none of them answers anything itself.

pub mod console;

#[cfg(feature = "telegram")]
pub mod telegram;

#[cfg(feature = "discord")]
pub mod discord;
