use super::*;

#[test]
fn a_plausible_number_of_municipalities() {
    assert_eq!(plausibel(342), (308, 348));
    assert_eq!(plausibel(380), (342, 387));
}

#[test]
fn names_as_the_tables_write_them() {
    assert_eq!(tabelnaam("Groningen (gemeente)"), "Groningen");
    assert_eq!(tabelnaam(" Beek (L.) "), "Beek (L.)");
    assert_eq!(zonder_toevoeging("Beek (L.)"), "Beek");
    assert_eq!(
        zonder_toevoeging("Nuenen, Gerwen en Nederwetten"),
        "Nuenen, Gerwen en Nederwetten"
    );
}
