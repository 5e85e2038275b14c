//! Checks of meaning across fields: parts of the input that are each well-formed
//! but contradict each other, and figures too large to be real.

use serde_saphyr::Spanned;

use super::fout::ErrorCollector;
use super::schema;
use crate::kalender::{Datum, Maand, Periode};

/// The largest number of people the input accepts, for any count, backlog or
/// correction, and for every number derived from them that a document shows (the
/// number distributed, the corrected taakstelling): far above any real figure (the
/// largest yearly taakstelling was under 50.000), far below where sums could
/// overflow (see `engine::GRENZEN`).
pub const MAX_AANTAL: i64 = 10_000_000;

/// The largest population the input accepts for one municipality (art. 30): more
/// than five times the Netherlands.
pub const MAX_INWONERS: i64 = 100_000_000;

/// Checks that a whole number lies from `min` to `max`, naming the field, and says
/// what was expected in the terms of `wat`, a noun without its article ("count",
/// "number of people": "expected a positive number of people").
/// Above [`MAX_AANTAL`] (or [`MAX_INWONERS`]) the message asks whether a digit is too many.
pub(super) fn bereik(
    f: &mut ErrorCollector,
    v: &Spanned<i64>,
    field: &str,
    (min, max): (i64, i64),
    wat: &str,
) -> bool {
    let n = v.value;
    let bericht = if n < min && min == 0 {
        format!("found {n}, expected a {wat} of zero or more")
    } else if n < min && min == 1 {
        format!("found {n}, expected a positive {wat}")
    } else if n < min {
        format!("found {n}, expected a {wat} of at least {min} (is a digit too many?)")
    } else if n > max {
        format!("found {n}, expected a {wat} of at most {max} (is a digit too many?)")
    } else {
        return true;
    };
    f.at(&v.referenced, field, bericht);
    false
}

/// A count of people or places: from 0 to [`MAX_AANTAL`].
pub(super) const TELLING: (i64, i64) = (0, MAX_AANTAL);
/// A number of people that must be there: from 1 to [`MAX_AANTAL`].
pub(super) const POSITIEF: (i64, i64) = (1, MAX_AANTAL);
/// A backlog, advance or change: from −[`MAX_AANTAL`] to [`MAX_AANTAL`].
pub(super) const VERSCHIL: (i64, i64) = (-MAX_AANTAL, MAX_AANTAL);

/// Realised months can only lie before the peilmoment: it is the moment the figures were taken.
fn voor_peilmoment(
    f: &mut ErrorCollector,
    maanden: &[schema::MaandAantal],
    field: &str,
    peilmoment: Datum,
) {
    let grens = peilmoment.maand();
    if let Some((i, m, maand)) = maanden
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Maand::parse(&m.maand.value).map(|maand| (i, m, maand)))
        .find(|(_, _, maand)| *maand >= grens)
    {
        f.at(
            &m.maand.referenced,
            format!("{field}[{i}].maand"),
            format!(
                "found {maand}, a month at or after the peilmoment ({peilmoment}); expected only realised months, before {grens}"
            ),
        );
    }
}

/// Checks the consistency of a parsed period input. `periode` and `peilmoment` are
/// `None` when they were invalid themselves (that is reported elsewhere).
pub(super) fn controleer(
    f: &mut ErrorCollector,
    raw: &schema::PeriodeInput,
    periode: Option<Periode>,
    peilmoment: Option<Datum>,
    vorige_uit_invoer: bool,
) {
    bereik(
        f,
        &raw.uitstroom.beginstand.achterstand,
        "uitstroom.beginstand.achterstand",
        VERSCHIL,
        "backlog (or, negative, an advance)",
    );

    // Realised figures after the moment they were taken.
    if let Some(pm) = peilmoment {
        voor_peilmoment(
            f,
            &raw.inwilligingen.maanden.value,
            "inwilligingen.maanden",
            pm,
        );
        voor_peilmoment(f, &raw.uitstroom.maanden.value, "uitstroom.maanden", pm);
    }

    if let Some(p) = periode {
        // The history runs up to the period before this one: the evaluation needs it.
        // Its last row may be left out when that period's input stands beside this
        // file (then it comes from there).
        if let Some(laatste) = raw.historie.last()
            && let Some(lp) = Periode::parse(&laatste.periode.value)
            && lp < p.vorige()
            && !vorige_uit_invoer
        {
            f.at(
                &laatste.periode.referenced,
                format!("historie[{}].periode", raw.historie.len() - 1),
                format!(
                    "the history ends at {lp}, expected it to run up to {vorige} (the period before {p}), or {vorige}'s own input ({vorige}.yaml, without errors) beside this file",
                    vorige = p.vorige()
                ),
            );
        }
        // The evaluation window lies before this period starts.
        let tot = &raw.evaluatie_vorige_periode.venster.tot_en_met;
        if let Some(m) = Maand::parse(&tot.value)
            && m >= p.eerste_maand()
        {
            f.at(
                &tot.referenced,
                "evaluatie_vorige_periode.venster.tot_en_met",
                format!(
                    "found {m}, expected a month before {p} starts ({}): the window belongs to the previous period",
                    p.eerste_maand()
                ),
            );
        }
    }

    // Each category of scenario 2 once.
    let categorieen = &raw.scenario_2.categorieen.value;
    for (i, c) in categorieen.iter().enumerate() {
        let naam = c.naam.value.trim();
        if let Some(j) = categorieen[..i]
            .iter()
            .position(|d| !naam.is_empty() && d.naam.value.trim() == naam)
        {
            f.at(
                &c.naam.referenced,
                format!("scenario_2.categorieen[{i}].naam"),
                format!(
                    "found the category {naam:?} a second time (first as categorieen[{j}]), expected each category once"
                ),
            );
        }
    }
}
