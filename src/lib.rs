//! `taakstelling`: a static report generator for the Dutch half-yearly
//! *taakstelling huisvesting vergunninghouders*.
//!
//! # Modules, one way
//!
//! Each module uses only the modules before it (`tests/architecture.rs` checks this):
//!
//! [`nl`] ← [`kalender`] ← [`input`] ← [`engine`] ← [`charts`] ← [`render`], [`output`]
//! ← [`site`] ← the commands [`nieuw`], [`serve`], [`cbs`], [`sjablonen`].
//!
//! - [`input`]: the schema, finding the period files, loading, validation, the
//!   `TE_VULLEN` markers and the population tables;
//! - [`engine`]: pure calculations on valid input, every figure typed;
//! - [`charts`] and [`render`]: the SVG charts and the documents, with one typed
//!   template context per kind of document ([`render::context`]);
//! - [`output`]: writing without ever deleting what the tool did not write;
//! - [`site`]: the workflow as one type, [`site::Site`] (find → load → compute →
//!   render → write → index), with one [`site::Report`] of what happened;
//! - the commands: `new` ([`nieuw`]), `serve`, `bevolking import` ([`cbs`]),
//!   `templates export` ([`sjablonen`]). The binary's `src/cmd/` has one small
//!   file per command over these.
//!
//! # Naming
//!
//! **Dutch for the domain, English for the machinery.** Domain nouns and what the
//! secretariat reads or writes are Dutch: the YAML keys, the template variables and
//! the types and fields that carry them (`Periode`, `Uitkomst`, `Bevolking`,
//! `Achterstand`, `taakstelling`), and the domain rules of the engine (`bereken`,
//! `scenario_1`). Infrastructure is English: loaders, writers, caches, error types,
//! I/O, the workflow and the commands (`load_bevolking`, `BevolkingCache`,
//! `discover_periods`, `OutputFile`, `Lock`, `InputError`, `OpenField { path, line,
//! column }`, `Site`, `Report`). A name that joins the two takes an English verb or
//! kind and a Dutch noun: `load_bevolking`, `BevolkingCache`, `period_of_file_name`.
//! YAML keys and template variables are the user's contract and are never renamed
//! for this rule.

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
