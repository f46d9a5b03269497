//! Running many cases, and the figures of a run.

use super::*;

/// Runs `cases`, at most `jobs` at a time, each on its own world; the outcomes in the cases'
/// order. `progress` hears of each outcome as it comes.
pub async fn run_all(
    cases: Vec<Case>,
    jobs: usize,
    progress: impl Fn(&Outcome) + Send + Sync + 'static,
) -> Vec<Outcome> {
    let permits = Arc::new(tokio::sync::Semaphore::new(jobs.max(1)));
    let progress = Arc::new(progress);
    let mut running = tokio::task::JoinSet::new();
    for (index, case) in cases.into_iter().enumerate() {
        let permits = Arc::clone(&permits);
        let progress = Arc::clone(&progress);
        running.spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore stays open");
            let outcome = run(&case).await;
            progress(&outcome);
            (index, outcome)
        });
    }
    let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
    while let Some(joined) = running.join_next().await {
        outcomes.push(joined.expect("a case runs to its end"));
    }
    outcomes.sort_by_key(|(index, _)| *index);
    outcomes.into_iter().map(|(_, outcome)| outcome).collect()
}

/// The figures of a matrix run: outcomes by class, by disturbance kind, the time from a fault's
/// end to traffic home, and every case that broke the promise.
pub struct Report<'a> {
    pub outcomes: &'a [Outcome],
}

impl Report<'_> {
    pub fn broken(&self) -> Vec<&Outcome> {
        self.outcomes
            .iter()
            .filter(|outcome| !outcome.holds())
            .collect()
    }

    /// The report as Markdown tables.
    pub fn render(&self) -> String {
        let mut classes: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_kind: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
        for outcome in self.outcomes {
            *classes.entry(outcome.class.to_string()).or_default() += 1;
            *by_kind
                .entry(kind_of(&outcome.case))
                .or_default()
                .entry(outcome.class.to_string())
                .or_default() += 1;
        }
        let stuck = classes
            .get(&OutcomeClass::Stuck.to_string())
            .copied()
            .unwrap_or(0);
        let mut text = String::new();
        text.push_str("| | |\n|---|---:|\n");
        text.push_str(&format!("| scenarios run | {} |\n", self.outcomes.len()));
        for (class, count) in &classes {
            text.push_str(&format!("| {class} | {count} |\n"));
        }
        text.push_str(&format!("| stuck (0 expected) | {stuck} |\n"));
        text.push_str(&format!(
            "| broken invariant (0 expected) | {} |\n",
            self.broken().len()
        ));
        let figures: [(&str, Figure); 2] = [
            (
                "rolled back: the deployment's end → its rollback's end (traffic home)",
                |outcome| outcome.rollback_took,
            ),
            (
                "the fault's last hit → the last traffic write (traffic at rest)",
                |outcome| outcome.home_after_fault.filter(|_| outcome.hits > 0),
            ),
        ];
        for (what, figure) in figures {
            let mut times: Vec<Duration> = self.outcomes.iter().filter_map(figure).collect();
            times.sort();
            if let (Some(median), Some(worst)) = (times.get(times.len() / 2), times.last()) {
                text.push_str(&format!(
                    "| {what}, world time: median / worst ({} runs) | {} s / {} s |\n",
                    times.len(),
                    median.as_secs(),
                    worst.as_secs()
                ));
            }
        }
        text.push_str("\n| disturbance | persistence | outcomes |\n|---|---|---|\n");
        for ((kind, persistence), classes) in &by_kind {
            let outcomes: Vec<String> = classes
                .iter()
                .map(|(class, count)| format!("{class} {count}"))
                .collect();
            text.push_str(&format!(
                "| {kind} | {persistence} | {} |\n",
                outcomes.join(", ")
            ));
        }
        let broken = self.broken();
        if !broken.is_empty() {
            text.push_str("\nBroken:\n");
            for outcome in broken {
                text.push_str(&format!(
                    "- {} ({}): {}\n",
                    outcome.case,
                    outcome.class,
                    outcome.broken.join("; ")
                ));
            }
        }
        text
    }
}

/// One duration read from each outcome that has it.
type Figure = fn(&Outcome) -> Option<Duration>;

/// A case's disturbance without its target: the rows of the report.
fn kind_of(case: &Case) -> (String, String) {
    match &case.disturbance {
        Disturbance::Fault(Fault {
            target: FaultTarget::Call(_, kind),
            persistence,
        }) => (format!("AWS call: {kind}"), persistence.to_string()),
        Disturbance::Fault(Fault {
            target: FaultTarget::Function(_, kind),
            persistence,
        }) => (format!("function: {kind}"), persistence.to_string()),
        Disturbance::StopAt(_) => ("StopExecution at a task".to_owned(), "—".to_owned()),
    }
}
