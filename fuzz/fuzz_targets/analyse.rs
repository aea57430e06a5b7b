//! The whole analysis of one document (`briefbot::core::analysis`), from the file's bytes:
//! front matter or headline, sentences, dates, names and coreference, quotes. Any panic is
//! a finding; so is a broken promise of the index (offsets off, a quote not verbatim).
//!
//! Half of the mutations are libFuzzer's own (bytes), half are what real pages do to text
//! (`briefbot_fuzz::mutate`: dashes, quotation marks of every script, invisible and
//! right-to-left characters, emoji, entities, long sentences, one-character lines).

#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 are refused by the corpus reader; read them leniently so that
    // every input reaches the analysis.
    let text = String::from_utf8_lossy(data);
    if let Some((doc, analysis)) = briefbot::core::analysis::analyse_file(text.as_bytes())
        && let Err(e) = analysis.check(&doc.body)
    {
        panic!("{e}");
    }
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = briefbot_fuzz::Rng::new(seed);
    if rng.below(2) == 0 {
        return libfuzzer_sys::fuzzer_mutate(data, size, max_size);
    }
    let text = String::from_utf8_lossy(&data[..size]).into_owned();
    let out = briefbot_fuzz::mutate(&text, &mut rng);
    // Trim to the size limit on a character boundary.
    let mut n = out.len().min(max_size);
    while !out.is_char_boundary(n) {
        n -= 1;
    }
    data[..n].copy_from_slice(&out.as_bytes()[..n]);
    n
});
