//! The whole per-document analysis over every article of the annotated polnear corpus
//! (`../shared/data/polnear/corpus`, beside the repository): no panic, and every offset and
//! quote keeps the index's promises (`Analysis::check`). The corpus is required: without it
//! this test fails, it does not skip.

use std::path::PathBuf;

use briefbot::core::analysis;

fn polnear() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/polnear/corpus");
    assert!(
        dir.is_dir(),
        "POLNEAR CORPUS MISSING: {} is not there. This test runs the analysis over every real article and needs /work/shared beside the repository.",
        dir.display()
    );
    dir
}

#[test]
fn every_polnear_article_is_analysed_without_a_panic() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(polnear()).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    assert!(paths.len() >= 900, "expected the 924 polnear articles, found {}", paths.len());
    let mut failures = Vec::new();
    let mut analysed = 0;
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Both ways a document reaches the analysis: as a corpus file (headline, front matter)
        // and as a bare body.
        match std::panic::catch_unwind(|| {
            let file = analysis::analyse_file(&bytes).map(|(doc, a)| a.check(&doc.body));
            let text = String::from_utf8_lossy(&bytes);
            let bare = analysis::analyse_text(&text, "", None).check(&text);
            (file, bare)
        }) {
            Ok((Some(Ok(())), Ok(()))) => analysed += 1,
            Ok((None, _)) => failures.push(format!("{name}: the corpus reader refused it")),
            Ok((Some(Err(e)), _)) | Ok((_, Err(e))) => failures.push(format!("{name}: {e}")),
            Err(_) => failures.push(format!("{name}: panicked")),
        }
    }
    assert!(failures.is_empty(), "{} of {} articles failed:\n{}", failures.len(), paths.len(), failures.join("\n"));
    assert_eq!(analysed, paths.len());
}
