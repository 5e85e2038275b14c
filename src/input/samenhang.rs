//! Checks of meaning across fields: parts of the input that are each well-formed
//! but contradict each other, and figures too large to be real.

use serde_saphyr::Spanned;

use super::fout::Fouten;
use super::schema;
use crate::kalender::{Datum, Maand, Periode};

/// The largest count the input accepts: far above any real figure (the largest
/// yearly taakstelling was under 50.000), far below where sums could overflow.
pub const MAX_AANTAL: i64 = 10_000_000;

/// A number of people that must lie within ±[`MAX_AANTAL`].
fn begrensd(f: &mut Fouten, v: &Spanned<i64>, field: &str) {
    if v.value.abs() > MAX_AANTAL {
        f.at(
            &v.referenced,
            field,
            format!(
                "found {}, expected a number of at most {MAX_AANTAL} (is a digit too many?)",
                v.value
            ),
        );
    }
}

/// Realised months can only lie before the peilmoment: it is the moment the figures were taken.
fn voor_peilmoment(
    f: &mut Fouten,
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
    f: &mut Fouten,
    raw: &schema::PeriodeInput,
    periode: Option<Periode>,
    peilmoment: Option<Datum>,
) {
    // Figures too large to be real.
    begrensd(f, &raw.besluit.taakstelling, "besluit.taakstelling");
    begrensd(
        f,
        &raw.uitstroom.beginstand.achterstand,
        "uitstroom.beginstand.achterstand",
    );
    for (i, r) in raw.historie.iter().enumerate() {
        for (naam, v) in [
            ("eerst_bekendgemaakt", &r.eerst_bekendgemaakt),
            ("na_bijstelling", &r.na_bijstelling),
        ] {
            if let Some(v) = v {
                begrensd(f, v, &format!("historie[{i}].{naam}"));
            }
        }
    }

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
        if let Some(laatste) = raw.historie.last()
            && let Some(lp) = Periode::parse(&laatste.periode.value)
            && lp < p.vorige()
        {
            f.at(
                &laatste.periode.referenced,
                format!("historie[{}].periode", raw.historie.len() - 1),
                format!(
                    "the history ends at {lp}, expected it to run up to {} (the period before {p})",
                    p.vorige()
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
