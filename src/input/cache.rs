//! The population tables of one build, each read and checked once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::BEVOLKING_FOLDER;
use super::bevolking::{Bevolking, BevolkingError, load_bevolking};

/// Both periods of a year use the same peildatum (1 January of the year before,
/// art. 29), so without this a build of every period would read each table twice.
/// The cache lives as long as the value: make one per build, so that a later build
/// (a rebuild on save) sees edited tables. Shared between threads: the first
/// period to need a table reads it while others needing it wait.
pub struct BevolkingCache {
    folder: PathBuf,
    tables: Mutex<BTreeMap<i32, Arc<Table>>>,
}

/// One peildatum's table once it is read; the lock is held while reading it.
type Table = Mutex<Option<Arc<Bevolking>>>;

impl BevolkingCache {
    /// The tables in `inputs/bevolking/`.
    pub fn new(inputs: &Path) -> Self {
        BevolkingCache {
            folder: inputs.join(BEVOLKING_FOLDER),
            tables: Mutex::new(BTreeMap::new()),
        }
    }

    /// The table of 1 January `jaar`. A table that fails to load is not kept, so every
    /// period that needs it reports the error itself.
    pub fn peildatum(&self, jaar: i32) -> Result<Arc<Bevolking>, BevolkingError> {
        let cell = Arc::clone(
            self.tables
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(jaar)
                .or_default(),
        );
        let mut table = cell.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(b) = table.as_ref() {
            return Ok(Arc::clone(b));
        }
        let b = Arc::new(load_bevolking(&self.folder, jaar)?);
        *table = Some(Arc::clone(&b));
        Ok(b)
    }
}
