//! Discord adapter (serenity).
