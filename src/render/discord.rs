//! Discord markdown and embed rendering within Discord limits.
