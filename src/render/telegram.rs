//! Telegram HTML rendering within Telegram limits.
