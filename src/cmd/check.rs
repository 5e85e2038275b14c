//! `taakstelling check [PERIOD|FILE]...`

use taakstelling::site::{Report, Site, SiteConfig};

pub(crate) fn execute(folders: &SiteConfig, periods: &[String]) -> Report {
    Site::new(folders.clone()).check(periods)
}
