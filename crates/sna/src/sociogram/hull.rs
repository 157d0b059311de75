//! Convex hulls of node groups (Andrew's monotone chain).

use super::layout::Point;

/// The hull's corners counter-clockwise (in y-down screen terms, clockwise),
/// without repeats; collinear points are dropped, so a line of nodes gives
/// its two ends and a single node gives itself.
pub(crate) fn convex_hull(points: &[Point]) -> Vec<Point> {
    let mut p: Vec<Point> = points.to_vec();
    p.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross =
        |o: Point, a: Point, b: Point| (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    let mut hull: Vec<Point> = Vec::with_capacity(2 * p.len());
    for &q in &p {
        while hull.len() >= 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], q) <= 0.0 {
            hull.pop();
        }
        hull.push(q);
    }
    let lower = hull.len() + 1;
    for &q in p.iter().rev().skip(1) {
        while hull.len() >= lower && cross(hull[hull.len() - 2], hull[hull.len() - 1], q) <= 0.0 {
            hull.pop();
        }
        hull.push(q);
    }
    hull.pop();
    hull
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    #[test]
    fn square_with_inner_and_edge_points() {
        let h = convex_hull(&[
            pt(0.0, 0.0),
            pt(2.0, 0.0),
            pt(1.0, 0.0),
            pt(1.0, 1.0),
            pt(2.0, 2.0),
            pt(0.0, 2.0),
        ]);
        assert_eq!(
            h,
            vec![pt(0.0, 0.0), pt(2.0, 0.0), pt(2.0, 2.0), pt(0.0, 2.0)]
        );
    }

    #[test]
    fn degenerate_groups() {
        assert_eq!(convex_hull(&[pt(1.0, 1.0)]), vec![pt(1.0, 1.0)]);
        assert_eq!(
            convex_hull(&[pt(1.0, 1.0), pt(1.0, 1.0)]),
            vec![pt(1.0, 1.0)]
        );
        assert_eq!(
            convex_hull(&[pt(0.0, 0.0), pt(1.0, 1.0), pt(2.0, 2.0)]),
            vec![pt(0.0, 0.0), pt(2.0, 2.0)]
        );
    }
}
