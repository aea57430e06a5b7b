//! Telegram adapter (teloxide).
