//! Display rounding that keeps a stacked bar at exactly 100.

/// Rounds percentages to `decimals` places so that they sum to the rounded
/// total, giving the leftover units to the largest remainders (Hamilton's
/// method). Ties go to the earlier category, so results are deterministic.
pub fn largest_remainder(pcts: &[f64], decimals: u32) -> Vec<f64> {
    let scale = 10f64.powi(decimals as i32);
    let total: f64 = pcts.iter().sum();
    if total <= 0.0 {
        return vec![0.0; pcts.len()];
    }
    let target = (total * scale).round() as i64;
    let scaled: Vec<f64> = pcts.iter().map(|p| p * scale).collect();
    let mut floors: Vec<i64> = scaled.iter().map(|s| s.floor() as i64).collect();
    let mut left = target - floors.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..pcts.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = scaled[a] - scaled[a].floor();
        let rb = scaled[b] - scaled[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in &order {
        if left <= 0 {
            break;
        }
        floors[i] += 1;
        left -= 1;
    }
    floors.into_iter().map(|f| f as f64 / scale).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_to_one_hundred() {
        // Thirds round to 33.3 each and would sum to 99.9.
        let r = largest_remainder(&[100.0 / 3.0; 3], 1);
        assert_eq!(r, vec![33.4, 33.3, 33.3]);
        let r = largest_remainder(&[5.44, 2.14, 9.74, 20.44, 35.84, 26.4], 1);
        assert!((r.iter().sum::<f64>() - 100.0).abs() < 1e-9, "{r:?}");
    }

    #[test]
    fn zeros_stay_zero() {
        assert_eq!(
            largest_remainder(&[0.0, 100.0, 0.0], 1),
            vec![0.0, 100.0, 0.0]
        );
        assert_eq!(largest_remainder(&[0.0, 0.0], 1), vec![0.0, 0.0]);
    }
}
