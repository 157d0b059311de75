//! The anonymity rule: no figure for a group of fewer than K respondents,
//! and no figure that would let a suppressed group be recovered from the
//! others and the total.

/// Given the sizes of the groups of one breakdown, returns which to suppress:
/// every group below `k`; and when that leaves exactly one suppressed group
/// (whose figures would follow from the total minus the others), also the
/// next smallest group.
pub fn suppressed(sizes: &[u64], k: u64) -> Vec<bool> {
    let mut out: Vec<bool> = sizes.iter().map(|&n| n < k).collect();
    if out.iter().filter(|&&s| s).count() == 1 && sizes.len() > 1 {
        let next = sizes
            .iter()
            .enumerate()
            .filter(|(i, _)| !out[*i])
            .min_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)))
            .map(|(i, _)| i);
        if let Some(i) = next {
            out[i] = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::suppressed;

    #[test]
    fn small_groups_are_hidden() {
        assert_eq!(
            suppressed(&[10, 3, 2, 8], 5),
            vec![false, true, true, false]
        );
    }

    #[test]
    fn a_lone_suppressed_group_takes_the_next_smallest_with_it() {
        assert_eq!(
            suppressed(&[10, 3, 7, 8], 5),
            vec![false, true, true, false]
        );
        // At the threshold a group is shown.
        assert_eq!(suppressed(&[5, 5, 4], 5), vec![true, false, true]);
    }

    #[test]
    fn nothing_to_hide() {
        assert_eq!(suppressed(&[5, 6], 5), vec![false, false]);
        assert_eq!(suppressed(&[2], 5), vec![true]);
        assert_eq!(suppressed(&[], 5), Vec::<bool>::new());
    }
}
