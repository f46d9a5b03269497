use gradual_local::testing::chaos;
use std::collections::BTreeMap;
use std::time::Instant;

#[tokio::test]
async fn probe() {
    let cases = chaos::ci_matrix(7).await;
    let started = Instant::now();
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    for case in cases.iter() {
        let outcome = chaos::run(case).await;
        *classes.entry(outcome.class.to_string()).or_default() += 1;
        if !outcome.holds() {
            println!("{case}: {} {:?}", outcome.class, outcome.broken);
        }
    }
    println!("{} cases in {:?}: {classes:?}", cases.len(), started.elapsed());
}
