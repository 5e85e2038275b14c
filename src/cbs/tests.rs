use super::*;

#[test]
fn a_plausible_number_of_municipalities() {
    assert_eq!(plausible_range(342), (308, 348));
    assert_eq!(plausible_range(380), (342, 387));
}

#[test]
fn names_as_the_tables_write_them() {
    assert_eq!(table_name("Groningen (gemeente)"), "Groningen");
    assert_eq!(table_name(" Beek (L.) "), "Beek (L.)");
    assert_eq!(without_addition("Beek (L.)"), "Beek");
    assert_eq!(
        without_addition("Nuenen, Gerwen en Nederwetten"),
        "Nuenen, Gerwen en Nederwetten"
    );
}
