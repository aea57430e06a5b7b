//! Opening the derived state and keeping it in step with the corpus folder: a scan of the
//! folder, or the files named by a watcher or the ingester; a rebuild when damage is found.

use super::*;

pub(super) fn analyse(fields: &Fields, entry: &FileEntry, doc: &Document, bytes: &[u8], now: Option<DateTime<Utc>>) -> Analysed {
    let analysis::Analysis { sentences: sents, entities: ents, quotes } = analysis::analyse(doc);
    let body = &doc.body;
    let day = day_number(doc.date);
    let furniture = furniture::furniture_lines(body);
    let mut records = Vec::with_capacity(sents.len() + quotes.len() + 1);
    let mut analyzer = index::news_analyzer();
    let mut tokens =
        stats::Tokens { records: (sents.len() + quotes.len() + 1) as u64, sentences: sents.len() as u64, quotes: quotes.len() as u64, ..Default::default() };
    let mut count = |text: &str| {
        let mut stream = analyzer.token_stream(text);
        let mut n = 0u64;
        while stream.advance() {
            n += 1;
        }
        n
    };
    for s in sents {
        let text = &body[s.bytes.clone()];
        let mut d = TantivyDocument::default();
        d.add_text(fields.kind, KIND_SENTENCE);
        d.add_text(fields.doc, &doc.id);
        d.add_u64(fields.pos, s.pos as u64);
        d.add_text(fields.text, text);
        tokens.text += count(text);
        d.add_u64(fields.start, s.start as u64);
        d.add_u64(fields.end, s.end as u64);
        d.add_i64(fields.day, day);
        // Prose fit for a brief: a sentence that stands alone, not on a furniture line
        // (caption, credit, byline, cross-link, pull quote), not inside a quotation.
        let at = s.bytes.start;
        let on_furniture = furniture.get(furniture.partition_point(|f| f.end <= at)).is_some_and(|f| f.start <= at);
        let standalone = !on_furniture && !furniture::opens_inside_quotation(body, at) && !furniture::opens_as_fragment(text);
        let prose = standalone && is_prose(text);
        d.add_u64(fields.prose, u64::from(prose));
        if prose {
            d.add_text(fields.prose_key, index::PROSE);
        }
        if !s.dates.is_empty() {
            let compact: Vec<(NaiveDate, Precision)> = s.dates.iter().map(|m| (m.date, m.precision)).collect();
            d.add_text(fields.data, serde_json::to_string(&compact).expect("serialisable"));
        }
        records.push(d);
    }
    for (pos, q) in quotes.iter().enumerate() {
        let mut d = TantivyDocument::default();
        d.add_text(fields.kind, KIND_QUOTE);
        d.add_text(fields.doc, &doc.id);
        d.add_u64(fields.pos, pos as u64);
        d.add_text(fields.text, &q.text);
        tokens.text += count(&q.text);
        d.add_u64(fields.start, q.start as u64);
        d.add_u64(fields.end, q.end as u64);
        d.add_i64(fields.day, day);
        if let Some(s) = &q.speaker {
            d.add_text(fields.speaker, name_key(s));
            tokens.speakers += 1;
        }
        d.add_u64(fields.quote_key, quote::words_key(&q.text));
        d.add_u64(fields.quote_kind, quote::kind_rank(q.kind));
        let data = QuoteData { name: q.speaker.clone(), mention: q.speaker_mention.clone(), cue: q.cue.clone(), kind: Some(q.kind) };
        d.add_text(fields.data, serde_json::to_string(&data).expect("serialisable"));
        records.push(d);
    }
    let summary = ents.summary();
    let mut d = TantivyDocument::default();
    d.add_text(fields.kind, KIND_DOC);
    d.add_text(fields.doc, &doc.id);
    d.add_i64(fields.day, day);
    d.add_text(fields.title, &doc.title);
    d.add_text(fields.data, serde_json::to_string(&summary).expect("serialisable"));
    records.push(d);
    let hash = format!("{:x}", Sha256::digest(bytes));
    Analysed {
        rel_path: entry.rel_path.clone(),
        entry: ManifestEntry {
            id: doc.id.clone(),
            size: entry.size,
            mtime_ns: entry.mtime_ns,
            hash,
            title: doc.title.clone(),
            date: doc.date,
            url: doc.url.clone(),
            source: doc.source.clone(),
            author: doc.author.clone(),
            arrived: now.or_else(|| DateTime::from_timestamp((entry.mtime_ns / 1_000_000_000) as i64, 0)),
            tokens,
        },
        summary,
        records,
    }
}

impl Engine {
    /// Open (or build) the index for the corpus and bring it up to date. Damaged derived
    /// state is moved aside and rebuilt (see [`heal`]); the report says so.
    pub fn open(opts: &EngineOptions) -> Result<(Engine, RefreshReport), CoreError> {
        Engine::open_on(opts, Disk::real())
    }

    /// [`Engine::open`], writing through `disk` (tests give one that fills up).
    pub fn open_on(opts: &EngineOptions, disk: Disk) -> Result<(Engine, RefreshReport), CoreError> {
        let (engine, healed) = Engine::open_state(opts, disk)?;
        let mut report = engine.refresh()?;
        report.healed = healed.or(report.healed);
        // The files of the earlier layout, now rows of the state file.
        for old in ["manifest.json", "entities.json"] {
            let _ = std::fs::remove_file(opts.data_dir.join(old));
        }
        Ok((engine, report))
    }

    /// Open what is on disk without looking at the corpus folder: answers are possible at
    /// once (from the index as last committed); [`Engine::refresh`] brings it in step.
    /// Damaged derived state is moved aside first, and the next refresh rebuilds it.
    pub fn open_state(opts: &EngineOptions, disk: Disk) -> Result<(Engine, Option<Healed>), CoreError> {
        std::fs::create_dir_all(&opts.data_dir).map_err(io_err(format!("creating data folder {}", opts.data_dir.display())))?;
        Ok(match Engine::load(opts, &disk) {
            Ok(engine) => (engine, None),
            Err(Load::Failed(e)) => return Err(e),
            // Another process is writing this index: its state is its own to heal.
            Err(Load::Damaged { .. }) if heal::in_use(&opts.data_dir.join("index")) => {
                return Err(CoreError::IndexLocked(opts.data_dir.join("index")));
            }
            Err(Load::Damaged { what, why }) => {
                let line = format!("{what}: {why}");
                let kept =
                    heal::move_aside(&opts.data_dir, DERIVED, &line).map_err(io_err(format!("moving damaged files out of {}", opts.data_dir.display())))?;
                let engine = Engine::load(opts, &disk).map_err(|l| match l {
                    Load::Failed(e) => e,
                    Load::Damaged { why, .. } => CoreError::io(format!("rebuilding {what}"), std::io::Error::other(why)),
                })?;
                (engine, Some(Healed { what: what.to_string(), why, kept }))
            }
        })
    }

    /// Open what is on disk, checking what can be checked without reading every article: the
    /// index opens and every segment reads, the state file is as long as its pages, its
    /// groups and totals read, and it lists as many articles as the index holds. Its
    /// manifest rows are read whole by the first scan of the folder (in the background in
    /// `serve`), where damage found sends the next refresh to a rebuild.
    fn load(opts: &EngineOptions, disk: &Disk) -> Result<Engine, Load> {
        let index_damage = |e: CoreError| Load::of(e, "the search index");
        let (index, fields, fresh) = index::open(&opts.data_dir.join("index"), disk).map_err(index_damage)?;
        let reader: IndexReader =
            index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(|e: tantivy::TantivyError| index_damage(e.into()))?;
        let (store, loaded) = store::Store::open(&opts.data_dir.join(store::STATE_FILE), disk).map_err(|e| Load::of(e, "the manifest and entity table"))?;
        // `None`: not known how many articles the index should hold (a new index, or state of
        // an older layout: every file is analysed again).
        let listed = if fresh {
            if loaded.totals.articles > 0 || !loaded.skips.skipped.is_empty() {
                store.clear().and_then(|()| store.commit().map(drop)).map_err(|e| Load::of(e, "the manifest and entity table"))?;
            }
            None
        } else if loaded.fresh {
            // A manifest of the earlier layout: the index is whole, its state is redone.
            if opts.data_dir.join("manifest.json").exists() { None } else { Some(0) }
        } else {
            Some(loaded.totals.articles)
        };
        let (skips, totals, groups) =
            if fresh { (Skips::default(), store::Totals::default(), store::Groups::default()) } else { (loaded.skips, loaded.totals, loaded.groups) };
        let indexed = heal::probe(&reader, fields.kind, KIND_DOC).map_err(|e| index_damage(e.into()))?;
        // (A process writing the index may be between its commit and its manifest.)
        if let Some(listed) = listed.filter(|&n| n != indexed && !heal::in_use(&opts.data_dir.join("index"))) {
            let why = format!("it holds {indexed} articles, the manifest lists {listed}");
            return Err(Load::Damaged { what: "the search index", why });
        }
        Ok(Engine {
            opts: opts.clone(),
            index,
            reader,
            fields,
            live: Mutex::new(totals.tokens),
            state: RwLock::new(State::new(skips, totals, groups)),
            store,
            writer: Mutex::new(None),
            damaged: AtomicBool::new(false),
            rebuilding: AtomicBool::new(false),
            facts: Mutex::default(),
        })
    }

    pub fn options(&self) -> &EngineOptions {
        &self.opts
    }

    /// Summary rows (a person, a name) read back from the state since the engine opened:
    /// what refreshes cost in other articles' summaries.
    pub fn summary_reads(&self) -> u64 {
        self.store.summary_reads()
    }

    /// Bring the index in step with the corpus folder; new articles count as arrived at
    /// their file's modification time.
    pub fn refresh(&self) -> Result<RefreshReport, CoreError> {
        self.refresh_at(None)
    }

    /// Bring the index in step with the corpus folder; new or changed articles count as
    /// arrived at `now` (the caller's clock: the core has none). An index found damaged
    /// since it was opened is rebuilt first. A refresh that fails part-way (a full disk)
    /// leaves the index and the state at their last commit, and the next one starts again
    /// from there.
    pub fn refresh_at(&self, now: Option<DateTime<Utc>>) -> Result<RefreshReport, CoreError> {
        self.guarded(|| if self.damaged.swap(false, Ordering::SeqCst) { self.rebuild() } else { self.sync_corpus(now) })
    }

    /// Bring only these files (paths relative to the corpus folder, as a watcher or the
    /// ingester names them) in step: each is read if it is there and dropped if it is not.
    /// Costs what changed, not the corpus. A damaged index is rebuilt whole instead.
    pub fn refresh_paths(&self, paths: &[String], now: Option<DateTime<Utc>>) -> Result<RefreshReport, CoreError> {
        self.guarded(|| {
            if self.damaged.swap(false, Ordering::SeqCst) {
                return self.rebuild();
            }
            let mut files = Vec::new();
            let mut skips = Vec::new();
            let mut scope = HashSet::new();
            for p in paths.iter().collect::<BTreeSet<_>>() {
                scope.insert(p.clone());
                match corpus::scan_one(&self.opts.corpus_dir, p) {
                    Ok(Some(f)) => files.push(f),
                    Ok(None) => {}
                    Err(s) => skips.push(s),
                }
            }
            self.sync_files(files, skips, Some(&scope), now, None)
        })
    }

    fn guarded(&self, f: impl FnOnce() -> Result<RefreshReport, CoreError>) -> Result<RefreshReport, CoreError> {
        let result = f();
        if let Err(e) = &result {
            // Back to the last commit, and the files of the failed attempt deleted (on a full
            // disk they would keep it full, and the next attempt would fail for them).
            if let Some(mut w) = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take()
                && w.rollback().is_ok()
            {
                let _ = w.garbage_collect_files().wait();
            }
            self.store.rollback();
            if e.is_damage() {
                self.damaged.store(true, Ordering::SeqCst);
            }
        }
        result
    }

    /// Has the index been found damaged since it was opened (the next refresh rebuilds it)?
    pub fn needs_rebuild(&self) -> bool {
        self.damaged.load(Ordering::SeqCst)
    }

    /// Is a rebuild running?
    pub fn rebuilding(&self) -> bool {
        self.rebuilding.load(Ordering::SeqCst)
    }

    /// Rebuild the index from the corpus: keep the damaged files for a bug report, empty the
    /// index and the state, analyse every file again. Arrival times of unchanged files are kept.
    fn rebuild(&self) -> Result<RefreshReport, CoreError> {
        struct Flag<'a>(&'a AtomicBool);
        impl Drop for Flag<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::SeqCst);
            }
        }
        self.rebuilding.store(true, Ordering::SeqCst);
        let _flag = Flag(&self.rebuilding);
        let why = "the search index could not be read while answering";
        let kept = heal::link_aside(&self.opts.data_dir, DERIVED, &format!("the search index: {why}"));
        // Arrival times of the files listed (none when the state file cannot be read).
        let arrived: Arrivals = self.store.arrivals().unwrap_or_default();
        {
            let mut guard = self.writer.lock().expect("writer lock");
            *guard = None;
            if !self.ensure_writer(&mut guard)? {
                return Ok(RefreshReport { read_only: true, ..Default::default() });
            }
            let writer = guard.as_mut().expect("writer");
            writer.delete_all_documents()?;
            writer.commit()?;
            self.reader.reload()?;
            self.store.clear()?;
            self.store.commit()?;
        }
        {
            let mut state = self.state.write().expect("state lock");
            *state = State::new(Skips::default(), store::Totals::default(), store::Groups::default());
            *self.live.lock().unwrap_or_else(|p| p.into_inner()) = stats::Tokens::default();
        }
        let (files, scan_skips) = corpus::scan(&self.opts.corpus_dir)?;
        let mut report = self.sync_files(files, scan_skips, None, None, Some(&arrived))?;
        report.healed = Some(Healed { what: "the search index".into(), why: why.into(), kept });
        Ok(report)
    }

    fn sync_corpus(&self, now: Option<DateTime<Utc>>) -> Result<RefreshReport, CoreError> {
        let (files, scan_skips) = corpus::scan(&self.opts.corpus_dir)?;
        self.sync_files(files, scan_skips, None, now, None)
    }

    /// Bring the index in step with `files` (the corpus folder, or the part of it in `scope`):
    /// unchanged files are not read, changed ones are analysed again, files of the scope
    /// that are gone leave the index. The index commits first, then the state's rows (the
    /// manifest, the changed articles' summaries, the entity groups their names touch) in
    /// one transaction; memory follows the state.
    fn sync_files(
        &self,
        files: Vec<FileEntry>,
        scan_skips: Vec<Skipped>,
        scope: Option<&HashSet<String>>,
        now: Option<DateTime<Utc>>,
        keep_arrived: Option<&Arrivals>,
    ) -> Result<RefreshReport, CoreError> {
        let in_scope = |p: &str| scope.is_none_or(|s| s.contains(p));
        let mut report = RefreshReport { files: files.len(), ..Default::default() };
        // What the manifest says about the files at hand: for a scan of the folder, every
        // row's size, mtime and id (read here, in the refresh, not held in memory); for
        // named files, their rows alone. The whole entry only of files read again.
        let (old_skipped, old_failed) = {
            let state = self.state.read().expect("state lock");
            (state.skips.skipped.clone(), state.skips.failed.clone())
        };
        let stamps = if scope.is_none() { Some(self.store.stamps()?) } else { None };
        let present: HashSet<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
        let removed: Vec<(String, ManifestEntry)> = match (&stamps, scope) {
            (Some(all), _) => {
                let mut gone: Vec<&String> = all.keys().filter(|p| !present.contains(String::as_str(p))).collect();
                gone.sort();
                gone.into_iter().filter_map(|p| self.store.entry(p).transpose().map(|e| e.map(|e| (p.clone(), e)))).collect::<Result<_, _>>()?
            }
            (None, Some(s)) => {
                let mut gone: Vec<&String> = s.iter().filter(|p| !present.contains(String::as_str(p))).collect();
                gone.sort();
                gone.into_iter().filter_map(|p| self.store.entry(p).transpose().map(|e| e.map(|e| (p.clone(), e)))).collect::<Result<_, _>>()?
            }
            (None, None) => Vec::new(),
        };
        let mut known: HashMap<String, ManifestEntry> = HashMap::new();
        let mut to_read: Vec<&FileEntry> = Vec::new();
        for f in &files {
            let unchanged = match &stamps {
                Some(all) => all.get(&f.rel_path).map(|e| e.size == f.size && e.mtime_ns == f.mtime_ns && e.id == f.id),
                None => self.store.entry(&f.rel_path)?.map(|e| {
                    let same = e.size == f.size && e.mtime_ns == f.mtime_ns && e.id == f.id;
                    if !same {
                        known.insert(f.rel_path.clone(), e);
                    }
                    same
                }),
            };
            match unchanged {
                Some(true) => report.unchanged += 1,
                // A file whose analysis failed is retried when it changes, not on every refresh.
                _ if old_failed.contains(&f.rel_path) && old_skipped.get(&f.rel_path) == Some(&(f.size, f.mtime_ns)) => {}
                listed => {
                    if listed.is_some()
                        && stamps.is_some()
                        && let Some(e) = self.store.entry(&f.rel_path)?
                    {
                        known.insert(f.rel_path.clone(), e);
                    }
                    to_read.push(f);
                }
            }
        }
        drop(stamps);
        // Each bad file is reported once, not on every refresh. Out of scope, skips stay.
        let mut new_skips: BTreeMap<String, (u64, u128)> = old_skipped.iter().filter(|(p, _)| !in_scope(p)).map(|(p, s)| (p.clone(), *s)).collect();
        let mut new_failed: BTreeSet<String> = old_failed.iter().filter(|p| !in_scope(p)).cloned().collect();
        let mut skipped: Vec<Skipped> = Vec::new();
        for s in scan_skips {
            if !old_skipped.contains_key(&s.rel_path) {
                skipped.push(s.clone());
            }
            new_skips.insert(s.rel_path, (0, 0));
        }
        for f in &files {
            if old_failed.contains(&f.rel_path) && old_skipped.get(&f.rel_path) == Some(&(f.size, f.mtime_ns)) {
                new_skips.insert(f.rel_path.clone(), (f.size, f.mtime_ns));
                new_failed.insert(f.rel_path.clone());
            }
        }
        // Read, analyse and index changed files in batches: parallel analysis, bounded memory.
        let root = self.opts.corpus_dir.clone();
        let max = self.opts.max_file_bytes;
        let fields = self.fields;
        let budget = self.opts.analysis_budget;
        let hook = self.opts.analysis_hook.clone();
        let by_path: HashMap<&str, &FileEntry> = files.iter().map(|f| (f.rel_path.as_str(), f)).collect();
        let mut changes: Vec<FileChange> = Vec::new();
        let mut wrote = false;
        let mut guard = self.writer.lock().expect("writer lock");
        for (path, old) in removed.iter().cloned() {
            if !self.ensure_writer(&mut guard)? {
                report.read_only = true;
                return Ok(report);
            }
            guard.as_mut().expect("writer").delete_term(Term::from_field_text(self.fields.doc, &old.id));
            self.store.remove(Some(&path), &old.id)?;
            changes.push(FileChange::Removed(Box::new(old)));
            wrote = true;
        }
        report.removed = removed.len();
        for batch in to_read.chunks(REFRESH_BATCH) {
            let results: Vec<Result<Option<Analysed>, Skipped>> = batch
                .par_iter()
                .map(|f| {
                    let (doc, bytes) = corpus::read(&root, f, max).map_err(|reason| Skipped { rel_path: f.rel_path.clone(), reason })?;
                    if let Some(e) = known.get(&f.rel_path)
                        && e.hash == format!("{:x}", Sha256::digest(&bytes))
                        && e.id == f.id
                    {
                        return Ok(None);
                    }
                    // The net under the analysis: a panic or a stall costs this one document.
                    let (entry, hook) = ((*f).clone(), hook.clone());
                    analysis::isolated(budget, move || {
                        if let Some(h) = &hook {
                            (h.0)(&doc);
                        }
                        analyse(&fields, &entry, &doc, &bytes, now)
                    })
                    .map(Some)
                    .map_err(|failure| Skipped { rel_path: f.rel_path.clone(), reason: SkipReason::Analysis(failure) })
                })
                .collect();
            for (f, r) in batch.iter().zip(results) {
                match r {
                    Ok(Some(mut a)) => {
                        if !self.ensure_writer(&mut guard)? {
                            report.read_only = true;
                            return Ok(report);
                        }
                        if let Some((_, at)) = keep_arrived.and_then(|k| k.get(&a.rel_path)).filter(|(h, _)| *h == a.entry.hash) {
                            a.entry.arrived = *at;
                        }
                        let writer = guard.as_mut().expect("writer");
                        writer.delete_term(Term::from_field_text(self.fields.doc, &a.entry.id));
                        for r in a.records {
                            writer.add_document(r)?;
                        }
                        if known.contains_key(&a.rel_path) {
                            report.changed += 1;
                        } else {
                            report.added += 1;
                        }
                        // A file that kept its path but changed its id leaves its old id's rows.
                        if let Some(old) = known.get(&a.rel_path).filter(|e| e.id != a.entry.id) {
                            writer.delete_term(Term::from_field_text(self.fields.doc, &old.id));
                            self.store.remove(None, &old.id)?;
                        }
                        self.store.write(&a.rel_path, &a.entry, &a.summary)?;
                        changes.push(FileChange::Listed(Box::new(a.entry), known.get(&a.rel_path).cloned().map(Box::new)));
                        wrote = true;
                    }
                    Ok(None) => {
                        if let Some(e) = known.get(&f.rel_path) {
                            let mut e = e.clone();
                            e.mtime_ns = f.mtime_ns;
                            self.store.touch(&f.rel_path, &e)?;
                            changes.push(FileChange::Listed(Box::new(e), known.get(&f.rel_path).cloned().map(Box::new)));
                        }
                        report.unchanged += 1;
                    }
                    Err(s) => {
                        let stamp = by_path.get(s.rel_path.as_str()).map_or((0, 0), |f| (f.size, f.mtime_ns));
                        // A file that was indexed and is now bad leaves the index too.
                        if let Some(e) = known.get(&s.rel_path) {
                            if !self.ensure_writer(&mut guard)? {
                                report.read_only = true;
                                return Ok(report);
                            }
                            guard.as_mut().expect("writer").delete_term(Term::from_field_text(self.fields.doc, &e.id));
                            self.store.remove(Some(&s.rel_path), &e.id)?;
                            changes.push(FileChange::Removed(Box::new(e.clone())));
                            report.removed += 1;
                            wrote = true;
                        }
                        if old_skipped.get(&s.rel_path) != Some(&stamp) {
                            skipped.push(s.clone());
                        }
                        if matches!(s.reason, SkipReason::Analysis(_)) {
                            new_failed.insert(s.rel_path.clone());
                        }
                        new_skips.insert(s.rel_path.clone(), stamp);
                    }
                }
            }
        }
        if wrote {
            guard.as_mut().expect("writer").commit()?;
            self.reader.reload()?;
        }
        drop(guard);
        report.skipped = skipped;
        let skips_changed = old_skipped != new_skips || old_failed != new_failed;
        if skips_changed {
            self.store.set_skips(&new_skips, &new_failed)?;
        }
        if changes.is_empty() && !skips_changed {
            // Nothing changed (the common case for a safety scan): no state touched.
            self.store.rollback();
            return Ok(report);
        }
        // The index is committed: the state's rows follow in one transaction (with the
        // running totals), then memory.
        let mut totals = self.state.read().expect("state lock").totals;
        for c in &changes {
            totals.apply(c);
        }
        if !changes.is_empty() {
            self.store.set_totals(&totals)?;
        }
        let updates = self.store.commit()?;
        let mut state = self.state.write().expect("state lock");
        state.totals = totals;
        state.skips = Skips { skipped: new_skips, failed: new_failed };
        *self.live.lock().unwrap_or_else(|p| p.into_inner()) = totals.tokens;
        if !updates.is_empty() {
            state.groups.apply(updates);
            state.table = state.groups.table();
        }
        Ok(report)
    }

    /// Take the index writer if we do not hold it yet. `false`: another process holds it.
    fn ensure_writer(&self, guard: &mut Option<IndexWriter>) -> Result<bool, CoreError> {
        if guard.is_some() {
            return Ok(true);
        }
        match self.index.writer(64_000_000) {
            Ok(w) => {
                *guard = Some(w);
                Ok(true)
            }
            Err(tantivy::TantivyError::LockFailure(..)) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}
