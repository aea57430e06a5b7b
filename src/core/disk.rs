//! Writing to disk so that a crash or a full disk leaves the old content or the new one,
//! never half of a file; and a disk that fills up on purpose, for tests.
//!
//! Every write of derived state (the index through tantivy's [`Directory`], the manifest, the
//! entity table) and of corpus files (the ingester) goes through a [`Disk`]. The real one
//! only adds the atomic write; [`Disk::with_free_space`] gives a budget of bytes that every
//! write draws on, and a write past it stops part-way with `StorageFull`, as on a full file
//! system. [`Disk::set_free_space`] is space coming back.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::Directory;
use tantivy::directory::error::{DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError};
use tantivy::directory::{AntiCallToken, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite, WatchCallback, WatchHandle, WritePtr};

/// Where files are written. Cheap to clone; clones share the free space.
#[derive(Clone, Debug, Default)]
pub struct Disk {
    /// `None`: the real disk, limited only by the file system.
    free: Option<Arc<AtomicU64>>,
}

impl Disk {
    /// The disk as the file system gives it.
    pub fn real() -> Disk {
        Disk::default()
    }

    /// A disk with `bytes` free: every write draws on them, and a write that does not fit
    /// writes what fits and fails with [`io::ErrorKind::StorageFull`]. Deleting files frees
    /// nothing: space comes back with [`Disk::set_free_space`]. For tests.
    pub fn with_free_space(bytes: u64) -> Disk {
        Disk { free: Some(Arc::new(AtomicU64::new(bytes))) }
    }

    /// Make `bytes` free (no effect on the real disk).
    pub fn set_free_space(&self, bytes: u64) {
        if let Some(f) = &self.free {
            f.store(bytes, Ordering::SeqCst);
        }
    }

    /// Bytes left, for a limited disk.
    pub fn free_space(&self) -> Option<u64> {
        self.free.as_ref().map(|f| f.load(Ordering::SeqCst))
    }

    /// Write `bytes` to `path` through a hidden temporary file in the same folder, synced,
    /// then renamed over `path`: a crash or a full disk leaves the old file or the new one.
    /// The temporary file is removed when anything fails.
    pub fn write_atomic(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = temp_path(dir, path);
        let result = (|| {
            let mut f = Limited { inner: std::fs::File::create(&tmp)?, free: self.free.clone() };
            f.write_all(bytes)?;
            f.inner.sync_all()?;
            std::fs::rename(&tmp, path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// The tantivy directory for an index folder: memory-mapped, and limited like this disk.
    pub fn index_directory(&self, dir: &Path) -> Result<Box<dyn Directory>, OpenDirectoryError> {
        let inner = MmapDirectory::open(dir)?;
        Ok(match &self.free {
            None => Box::new(inner),
            Some(free) => Box::new(LimitedDirectory { inner, free: free.clone() }),
        })
    }
}

/// A hidden temporary name beside `path`, unique per process and call. The leading dot keeps
/// the corpus scanner away from it.
fn temp_path(dir: &Path, path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()))
}

fn disk_full() -> io::Error {
    io::Error::new(io::ErrorKind::StorageFull, "no space left on device")
}

/// Take up to `want` bytes from `free`; 0 when it is empty.
fn take(free: &AtomicU64, want: usize) -> usize {
    let mut have = free.load(Ordering::SeqCst);
    loop {
        let n = have.min(want as u64);
        match free.compare_exchange(have, have - n, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => return n as usize,
            Err(now) => have = now,
        }
    }
}

/// A writer that draws on a limited disk's free space.
struct Limited<W> {
    inner: W,
    free: Option<Arc<AtomicU64>>,
}

impl<W: Write> Write for Limited<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(free) = &self.free else { return self.inner.write(buf) };
        if buf.is_empty() {
            return Ok(0);
        }
        let granted = take(free, buf.len());
        if granted == 0 {
            return Err(disk_full());
        }
        let written = self.inner.write(&buf[..granted]);
        let used = *written.as_ref().unwrap_or(&0);
        free.fetch_add((granted - used) as u64, Ordering::SeqCst);
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: TerminatingWrite> TerminatingWrite for Limited<W> {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        self.inner.terminate_ref(token)
    }
}

/// An [`MmapDirectory`] whose writes draw on a limited disk's free space.
#[derive(Clone, Debug)]
struct LimitedDirectory {
    inner: MmapDirectory,
    free: Arc<AtomicU64>,
}

impl Directory for LimitedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let inner = self.inner.open_write(path)?.into_inner().map_err(|e| OpenWriteError::wrap_io_error(e.into_error(), path.to_path_buf()))?;
        Ok(BufWriter::new(Box::new(Limited { inner, free: Some(self.free.clone()) })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    /// All or nothing, like the rename it stands for.
    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let granted = take(&self.free, data.len());
        if granted < data.len() {
            self.free.fetch_add(granted as u64, Ordering::SeqCst);
            return Err(disk_full());
        }
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden_files(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.')).collect()
    }

    #[test]
    fn a_full_disk_keeps_the_old_file_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let disk = Disk::with_free_space(100);
        disk.write_atomic(&path, b"old content").unwrap();
        assert_eq!(disk.free_space(), Some(89));
        // Part of the new content fits: it is written, then the disk is full.
        let err = disk.write_atomic(&path, &[b'x'; 500]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert_eq!(std::fs::read(&path).unwrap(), b"old content");
        assert!(hidden_files(dir.path()).is_empty(), "temporary file left: {:?}", hidden_files(dir.path()));
        // Space comes back: the same write goes through.
        disk.set_free_space(1000);
        disk.write_atomic(&path, &[b'x'; 500]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap().len(), 500);
    }

    #[test]
    fn the_real_disk_writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.md");
        Disk::real().write_atomic(&path, b"one").unwrap();
        Disk::real().write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(hidden_files(&dir.path().join("sub")).is_empty());
        assert_eq!(Disk::real().free_space(), None);
    }
}
