//! "Did you mean …?": the known word closest to a misspelt one, by edit distance.

/// The candidate closest to `word` (case ignored), when it is close enough to be the word meant:
/// at most a third of the word's length in edits (2 at least), so a short word never suggests an
/// unrelated one. Ties go to the first candidate.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_uppercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (distance(&word, &candidate.to_ascii_uppercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters: insertions, deletions and substitutions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != *b_char);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("web", ""), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("PROCESS", "PROCESSES"), 2);
    }

    #[test]
    fn the_closest_close_enough_candidate() {
        let names = ["ECS_SERVICE_TASK_PROCESSES", "ECS_SERVICE_SUBNETS", "ECS_CLUSTER_ID"];
        assert_eq!(closest("ECS_SERVICE_TASK_PROCESS", names), Some("ECS_SERVICE_TASK_PROCESSES"));
        assert_eq!(closest("ecs_cluster_id", names), Some("ECS_CLUSTER_ID"), "case is ignored");
        assert_eq!(closest("ECS_SOMETHING_ELSE_ENTIRELY", names), None);
        assert_eq!(closest("wrker", ["web", "worker", "clock"]), Some("worker"));
        assert_eq!(closest("console", ["web", "worker", "clock"]), None, "nothing close");
    }
}
