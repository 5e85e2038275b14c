//! `taakstelling`: a static report generator for the Dutch half-yearly
//! *taakstelling huisvesting vergunninghouders*.
//!
//! Data flows one way: [`input`] (schema, loading, validation) → [`engine`]
//! (pure calculations) → [`charts`] and [`render`] (documents) → [`output`]
//! (atomic writing).

pub mod build;
pub mod cbs;
pub mod charts;
pub mod document;
pub mod engine;
pub mod input;
pub mod kalender;
pub mod nieuw;
pub mod nl;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod sjablonen;
