//! Sociograms: the layout is deterministic and keeps earlier waves' positions,
//! the SVG is well-formed, accessible and encodes what its legend says.

use std::collections::{BTreeMap, HashMap};

use trama_sna::sociogram::{
    self, Hulls, Layout, LayoutOptions, Legend, NodeKeys, Point, ROLE_COLOURS, SociogramError,
    SvgOptions, UNKNOWN_COLOUR,
};
use trama_sna::{MetricOptions, Network, NetworkError, RESPONDED, metrics, random_network};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Two schools and a supervisor: a reciprocated pair, one-way ties, a
/// non-respondent, a person without a role, an isolate and a separate pair.
const ARCS: [(&str, &str, f64); 9] = [
    ("ana", "beto", 5.0),
    ("beto", "ana", 3.0),
    ("ana", "carla", 2.0),
    ("carla", "dario", 1.0),
    ("dario", "eva", 4.0),
    ("eva", "beto", 2.0),
    ("sofia", "ana", 3.0),
    ("sofia", "dario", 1.0),
    ("gabi", "hugo", 2.0),
];

const PEOPLE: [(&str, &str, &str, &str); 9] = [
    ("ana", "director", "A", "1"),
    ("beto", "jefe_utp", "A", "1"),
    ("carla", "docente", "A", "0"),
    ("dario", "director", "B", "1"),
    ("eva", "docente", "B", "1"),
    ("sofia", "supervisor", "", "1"),
    ("gabi", "sostenedor", "B", "1"),
    ("hugo", "", "B", "0"),
    ("ines", "other", "A", "1"),
];

fn build(
    arcs: &[(&str, &str, f64)],
    people: &[(&str, &str, &str, &str)],
) -> Result<Network, NetworkError> {
    let mut b = Network::builder();
    for (id, role, school, responded) in people {
        let value = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        b.attribute(id, "role", value(role));
        b.attribute(id, "school", value(school));
        b.attribute(id, RESPONDED, value(responded));
    }
    for (s, t, w) in arcs {
        b.arc(s, t, *w)?;
    }
    Ok(b.build())
}

fn network() -> Result<Network, NetworkError> {
    build(&ARCS, &PEOPLE)
}

fn options() -> SvgOptions {
    let mut o = SvgOptions::new("Red Norte, 2025", "Nine people, eight ties", Legend::keys());
    o.labels = PEOPLE
        .iter()
        .map(|(id, ..)| ((*id).to_owned(), id.to_uppercase()))
        .collect();
    o
}

fn draw(
    net: &Network,
    layout_opts: &LayoutOptions,
    svg_opts: &SvgOptions,
) -> Result<(Layout, String), SociogramError> {
    let report = metrics(net, &MetricOptions::default());
    let layout = sociogram::layout(net, layout_opts)?;
    let svg = sociogram::render_svg(net, &report, &layout, svg_opts)?;
    Ok((layout, svg))
}

fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    n.attribute(name).unwrap_or_default()
}

fn number(n: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    attr(n, name).parse().unwrap_or(f64::NAN)
}

fn has_class(n: roxmltree::Node<'_, '_>, class: &str) -> bool {
    attr(n, "class").split(' ').any(|c| c == class)
}

fn elements<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    tag: &str,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && has_class(*n, class))
        .collect()
}

fn distance(a: Point, b: Point) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

#[test]
fn same_network_same_picture_whatever_the_order_of_the_rows() -> TestResult {
    let net = network()?;
    let (layout, svg) = draw(&net, &LayoutOptions::default(), &options())?;
    let (layout_again, svg_again) = draw(&net, &LayoutOptions::default(), &options())?;
    assert_eq!(layout, layout_again);
    assert_eq!(svg, svg_again);

    let mut arcs = ARCS.to_vec();
    arcs.reverse();
    arcs.rotate_left(3);
    let mut people = PEOPLE.to_vec();
    people.reverse();
    let shuffled = build(&arcs, &people)?;
    assert_ne!(shuffled.ids(), net.ids());
    let (layout_shuffled, svg_shuffled) = draw(&shuffled, &LayoutOptions::default(), &options())?;
    assert_eq!(layout_shuffled, layout);
    assert_eq!(svg_shuffled, svg);

    // Arcs only, nodes in order of first appearance: still the same layout.
    let mut only_arcs = Network::builder();
    for (s, t, w) in ARCS.iter().rev() {
        only_arcs.arc(s, t, *w)?;
    }
    let mut forward = Network::builder();
    for (s, t, w) in &ARCS {
        forward.arc(s, t, *w)?;
    }
    let a = sociogram::layout(&only_arcs.build(), &LayoutOptions::default())?;
    let b = sociogram::layout(&forward.build(), &LayoutOptions::default())?;
    assert_eq!(a, b);

    let other_seed = sociogram::layout(
        &net,
        &LayoutOptions {
            seed: 7,
            ..LayoutOptions::default()
        },
    )?;
    assert_ne!(other_seed, layout, "the seed should matter");
    Ok(())
}

#[test]
fn a_later_wave_keeps_the_positions_of_shared_nodes() -> TestResult {
    let net = network()?;
    let first = sociogram::layout(&net, &LayoutOptions::default())?;
    // Wave 2: carla and hugo left, three people joined (one tied to ana,
    // one tied to the newcomer, one alone), ines is now tied, a tie changed.
    let arcs = [
        ("ana", "beto", 5.0),
        ("beto", "ana", 3.0),
        ("dario", "eva", 4.0),
        ("eva", "beto", 2.0),
        ("sofia", "ana", 3.0),
        ("ines", "dario", 2.0),
        ("ana", "julia", 3.0),
        ("julia", "kevin", 1.0),
        ("gabi", "dario", 1.0),
    ];
    let mut people: Vec<_> = PEOPLE
        .iter()
        .copied()
        .filter(|(id, ..)| !matches!(*id, "carla" | "hugo"))
        .collect();
    people.push(("julia", "docente", "A", "1"));
    people.push(("kevin", "docente", "B", "0"));
    people.push(("lucas", "docente", "B", "1"));
    let wave2 = build(&arcs, &people)?;
    let opts = LayoutOptions {
        previous: first.positions.clone(),
        ..LayoutOptions::default()
    };
    let second = sociogram::layout(&wave2, &opts)?;
    for id in wave2.ids() {
        let p = second.position(id).ok_or("every node is placed")?;
        if let Some(before) = first.position(id) {
            // Exactly, not approximately: the two pictures must line up.
            assert_eq!(p, before, "{id} moved");
        }
        assert!(p.x.is_finite() && p.y.is_finite());
        assert!(
            (40.0..=760.0).contains(&p.x) && (40.0..=560.0).contains(&p.y),
            "{id} at {p:?}"
        );
    }
    assert!(second.position("carla").is_none());
    // Newcomers do not land on top of anyone.
    for new in ["julia", "kevin", "lucas"] {
        let p = second.position(new).ok_or("placed")?;
        for (id, q) in &second.positions {
            if id != new {
                assert!(distance(p, *q) > 5.0, "{new} overlaps {id}");
            }
        }
    }
    // A newcomer lands near the person it is tied to, not at the border.
    let julia = second.position("julia").ok_or("placed")?;
    let ana = second.position("ana").ok_or("placed")?;
    let others: Vec<f64> = second
        .positions
        .iter()
        .filter(|(id, _)| *id != "julia")
        .map(|(_, p)| distance(julia, *p))
        .collect();
    let mean = others.iter().sum::<f64>() / others.len() as f64;
    assert!(distance(julia, ana) < mean, "julia is far from ana");
    // And the same inputs give the same second wave.
    assert_eq!(sociogram::layout(&wave2, &opts)?, second);

    // Positions outside the box are not kept (the box changed): placed anew.
    let mut stray = first.positions.clone();
    stray.insert(
        "ana".into(),
        Point {
            x: 5000.0,
            y: f64::NAN,
        },
    );
    let third = sociogram::layout(
        &wave2,
        &LayoutOptions {
            previous: stray,
            ..LayoutOptions::default()
        },
    )?;
    let ana = third.position("ana").ok_or("placed")?;
    assert!(ana.x <= 800.0 && ana.y.is_finite());
    Ok(())
}

#[test]
fn isolates_sit_in_rows_inside_the_box() -> TestResult {
    let mut b = Network::builder();
    b.arc("a", "b", 1.0)?;
    b.arc("b", "c", 1.0)?;
    for i in 0..40 {
        b.node(&format!("alone{i:02}"));
    }
    let net = b.build();
    let opts = LayoutOptions::default();
    let layout = sociogram::layout(&net, &opts)?;
    let lowest_tied = ["a", "b", "c"]
        .iter()
        .filter_map(|id| layout.position(id))
        .map(|p| p.y)
        .fold(f64::NEG_INFINITY, f64::max);
    for i in 0..40 {
        let p = layout.position(&format!("alone{i:02}")).ok_or("placed")?;
        assert!(
            (opts.margin..=opts.width - opts.margin).contains(&p.x),
            "{p:?}"
        );
        assert!(
            (opts.margin..=opts.height - opts.margin).contains(&p.y),
            "{p:?}"
        );
        assert!(p.y > lowest_tied, "isolates go below the tied nodes");
    }

    // Nobody tied at all: the rows fill the middle of the box.
    let mut b = Network::builder();
    for i in 0..5 {
        b.node(&i.to_string());
    }
    let layout = sociogram::layout(&b.build(), &opts)?;
    for p in layout.positions.values() {
        assert!((p.y - 300.0).abs() < 50.0, "{p:?}");
    }
    Ok(())
}

#[test]
fn svg_is_well_formed_and_everything_is_inside_the_view_box() -> TestResult {
    let net = random_network(60, 240, 5);
    let mut layout_opts = LayoutOptions {
        group_by: Some("school".into()),
        ..LayoutOptions::default()
    };
    layout_opts.seed = 11;
    let mut svg_opts = SvgOptions::new("t", "d", Legend::keys());
    svg_opts.hulls = Hulls::Communities;
    let (_, svg) = draw(&net, &layout_opts, &svg_opts)?;
    let doc = roxmltree::Document::parse(&svg)?;
    let root = doc.root_element();
    assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
    let view: Vec<f64> = attr(root, "viewBox")
        .split(' ')
        .map(|v| v.parse().unwrap_or(f64::NAN))
        .collect();
    assert_eq!(view.len(), 4);
    assert_eq!(attr(root, "width"), "100%");
    let inside = |x: f64, y: f64| {
        x.is_finite()
            && y.is_finite()
            && (view[0]..=view[0] + view[2]).contains(&x)
            && (view[1]..=view[1] + view[3]).contains(&y)
    };
    let nodes = elements(&doc, "circle", "node");
    assert_eq!(nodes.len(), 60);
    for n in &nodes {
        let (x, y, r) = (number(*n, "cx"), number(*n, "cy"), number(*n, "r"));
        assert!(inside(x - r, y - r) && inside(x + r, y + r), "{n:?}");
    }
    for l in elements(&doc, "line", "tie") {
        assert!(
            inside(number(l, "x1"), number(l, "y1")) && inside(number(l, "x2"), number(l, "y2"))
        );
    }
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        assert!(inside(number(t, "x"), number(t, "y")), "{t:?}");
    }
    let hulls = elements(&doc, "path", "hull").len() + elements(&doc, "circle", "hull").len();
    assert!(hulls >= 2, "one hull per community, got {hulls}");
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    Ok(())
}

#[test]
fn one_node_element_per_node_one_line_per_pair_and_two_heads_when_reciprocated() -> TestResult {
    let net = network()?;
    let (_, svg) = draw(&net, &LayoutOptions::default(), &options())?;
    let doc = roxmltree::Document::parse(&svg)?;
    let nodes = elements(&doc, "circle", "node");
    assert_eq!(nodes.len(), net.node_count());
    let keys: Vec<&str> = nodes.iter().map(|n| attr(*n, "data-id")).collect();
    // Ordinal keys in id order: nothing about who is who.
    assert_eq!(keys, (0..9).map(|i| format!("n{i}")).collect::<Vec<_>>());

    let ties = elements(&doc, "line", "tie");
    assert_eq!(ties.len(), 8, "9 arcs, one of them reciprocated: 8 pairs");
    let mutual: Vec<_> = ties
        .iter()
        .filter(|l| has_class(**l, "reciprocated"))
        .collect();
    assert_eq!(mutual.len(), 1);
    let m = mutual[0];
    assert!(m.attribute("marker-start").is_some() && m.attribute("marker-end").is_some());
    // ana = n0, beto = n1.
    assert_eq!(
        (attr(*m, "data-source"), attr(*m, "data-target")),
        ("n0", "n1")
    );
    for l in ties.iter().filter(|l| has_class(**l, "one-way")) {
        assert!(l.attribute("marker-start").is_none() && l.attribute("marker-end").is_some());
    }
    // One-way ties point from who named to who was named: sofia (n8) → ana (n0).
    assert!(
        ties.iter()
            .any(|l| (attr(*l, "data-source"), attr(*l, "data-target")) == ("n8", "n0"))
    );
    let mut edge_ids: Vec<&str> = ties.iter().map(|l| attr(*l, "data-id")).collect();
    edge_ids.sort_unstable();
    edge_ids.dedup();
    assert_eq!(edge_ids.len(), 8, "every tie has its own data-id");

    // Stronger ties are wider, higher degree means larger.
    let width = |src: &str, dst: &str| {
        ties.iter()
            .find(|l| attr(**l, "data-source") == src && attr(**l, "data-target") == dst)
            .map_or(f64::NAN, |l| number(*l, "stroke-width"))
    };
    assert!(width("n0", "n1") > width("n2", "n3"), "4 on average vs 1");
    let radius = |key: &str| {
        nodes
            .iter()
            .find(|n| attr(**n, "data-id") == key)
            .map_or(f64::NAN, |n| number(*n, "r"))
    };
    assert!(radius("n0") > radius("n7"), "ana has 5 arcs, ines none");

    // With ids exposed, the keys are the ids.
    let mut o = options();
    o.node_keys = NodeKeys::Ids;
    let (_, svg) = draw(&net, &LayoutOptions::default(), &o)?;
    assert!(svg.contains(r#"data-id="sofia""#));
    Ok(())
}

#[test]
fn roles_are_coloured_from_the_palette_and_non_respondents_are_dashed() -> TestResult {
    let net = network()?;
    let (_, svg) = draw(&net, &LayoutOptions::default(), &options())?;
    let doc = roxmltree::Document::parse(&svg)?;
    let colour: HashMap<&str, &str> = ROLE_COLOURS.iter().map(|(r, c)| (r.as_str(), *c)).collect();
    // Okabe–Ito, in the fixed order of the roles.
    assert_eq!(
        ROLE_COLOURS.map(|(_, c)| c),
        [
            "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00"
        ]
    );
    let nodes = elements(&doc, "circle", "node");
    let mut sorted = PEOPLE.to_vec();
    sorted.sort_by_key(|p| p.0);
    for (node, (id, role, _, responded)) in nodes.iter().zip(&sorted) {
        let expected = colour.get(role).copied().unwrap_or(UNKNOWN_COLOUR);
        assert_eq!(attr(*node, "fill"), expected, "{id}");
        assert_eq!(
            attr(*node, "data-role"),
            if role.is_empty() { "unknown" } else { role }
        );
        let answered = *responded == "1";
        assert_eq!(has_class(*node, "respondent"), answered, "{id}");
        assert_eq!(has_class(*node, "non-respondent"), !answered, "{id}");
        assert_eq!(
            node.attribute("stroke-dasharray").is_some(),
            !answered,
            "{id}"
        );
    }
    // The legend names every role present, and the respondent kinds.
    let legend = doc
        .descendants()
        .find(|n| has_class(*n, "legend"))
        .ok_or("a legend")?;
    let texts: Vec<&str> = legend.descendants().filter_map(|n| n.text()).collect();
    for word in [
        "director",
        "jefe_utp",
        "docente",
        "sostenedor",
        "supervisor",
        "other",
        "unknown",
        "respondent",
        "non_respondent",
        "one_way",
        "reciprocated",
    ] {
        assert!(texts.contains(&word), "legend lacks {word}: {texts:?}");
    }
    let swatches: Vec<_> = legend
        .descendants()
        .filter(|n| {
            n.has_tag_name("circle")
                && has_class(*n, "swatch")
                && n.attribute("data-role").is_some()
        })
        .map(|n| (attr(n, "data-role"), attr(n, "fill")))
        .collect();
    assert_eq!(swatches.len(), 7);
    for (role, fill) in swatches {
        assert_eq!(fill, colour.get(role).copied().unwrap_or(UNKNOWN_COLOUR));
    }

    // Without a `responded` column nobody is drawn as a non-respondent.
    let mut b = Network::builder();
    b.arc("x", "y", 1.0)?;
    let (_, plain) = draw(&b.build(), &LayoutOptions::default(), &options())?;
    assert!(!plain.contains("non-respondent") && !plain.contains("non_respondent"));
    Ok(())
}

#[test]
fn caller_texts_are_escaped_and_accessible() -> TestResult {
    let net = network()?;
    let mut o = options();
    o.title = "Red <Norte> & \"Sur\"".into();
    o.description = "Ties </desc><script>alert(1)</script>".into();
    o.labels
        .insert("ana".into(), "<script>alert('x')</script>".into());
    o.legend.respondent = "Answered <b>".into();
    o.hulls = Hulls::Attribute("school".into());
    o.hull_labels = BTreeMap::from([("A".to_owned(), "Liceo <A> & Co".to_owned())]);
    let (_, svg) = draw(&net, &LayoutOptions::default(), &o)?;
    assert!(!svg.contains("<script"), "{svg}");
    assert!(!svg.contains("<b>") && !svg.contains("<A>"));
    let doc = roxmltree::Document::parse(&svg)?;
    let root = doc.root_element();
    assert_eq!(attr(root, "role"), "img");
    let labelled: Vec<&str> = attr(root, "aria-labelledby").split(' ').collect();
    assert_eq!(labelled, ["sociogram-title", "sociogram-desc"]);
    let by_id = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id));
    let title = by_id("sociogram-title").ok_or("title")?;
    assert!(title.has_tag_name("title"));
    assert_eq!(title.text(), Some("Red <Norte> & \"Sur\""));
    let desc = by_id("sociogram-desc").ok_or("desc")?;
    assert!(desc.has_tag_name("desc"));
    assert_eq!(desc.text(), Some("Ties </desc><script>alert(1)</script>"));
    let label = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.attribute("data-for") == Some("n0"))
        .ok_or("ana's label")?;
    assert_eq!(label.text(), Some("<script>alert('x')</script>"));
    let hull_label = doc
        .descendants()
        .find(|n| has_class(*n, "hull-label"))
        .ok_or("hull label")?;
    assert_eq!(hull_label.text(), Some("Liceo <A> & Co"));
    // Only labelled nodes have a tooltip; unlabelled ones show nothing.
    let mut o = options();
    o.labels.clear();
    let (_, bare) = draw(&net, &LayoutOptions::default(), &o)?;
    let doc = roxmltree::Document::parse(&bare)?;
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("title"))
            .count(),
        1
    );
    for (id, ..) in PEOPLE {
        assert!(!bare.contains(id), "{id} leaked into an unlabelled drawing");
    }
    Ok(())
}

/// Mean distance between members of the same school over the mean distance
/// between any two nodes, and the plain mean intra-school distance.
fn school_spread(net: &Network, layout: &Layout) -> (f64, f64) {
    let school = net
        .attributes()
        .iter()
        .find(|a| a.name == "school")
        .map(|a| &a.values);
    let (mut same, mut n_same, mut all, mut n_all) = (0.0, 0usize, 0.0, 0usize);
    let ids = net.ids();
    for i in 0..ids.len() {
        for j in i + 1..ids.len() {
            let (Some(p), Some(q)) = (layout.position(&ids[i]), layout.position(&ids[j])) else {
                continue;
            };
            let d = distance(p, q);
            all += d;
            n_all += 1;
            if let Some(s) = school
                && s[i].is_some()
                && s[i] == s[j]
            {
                same += d;
                n_same += 1;
            }
        }
    }
    let intra = same / n_same as f64;
    (intra / (all / n_all as f64), intra)
}

#[test]
fn grouping_by_school_brings_colleagues_together() -> TestResult {
    // Ties ignore schools here, so any clustering comes from the grouping.
    for seed in [1, 2, 3] {
        let net = random_network(60, 180, seed);
        let plain = sociogram::layout(
            &net,
            &LayoutOptions {
                seed,
                ..LayoutOptions::default()
            },
        )?;
        let grouped = sociogram::layout(
            &net,
            &LayoutOptions {
                seed,
                group_by: Some("school".into()),
                ..LayoutOptions::default()
            },
        )?;
        let (ratio_plain, intra_plain) = school_spread(&net, &plain);
        let (ratio_grouped, intra_grouped) = school_spread(&net, &grouped);
        assert!(
            intra_grouped < 0.8 * intra_plain && ratio_grouped < 0.8 * ratio_plain,
            "seed {seed}: intra {intra_grouped:.1} vs {intra_plain:.1}, ratio {ratio_grouped:.2} vs {ratio_plain:.2}"
        );
    }
    Ok(())
}

#[test]
fn edge_cases_draw_without_panicking() -> TestResult {
    let empty = Network::builder().build();
    let (layout, svg) = draw(&empty, &LayoutOptions::default(), &options())?;
    assert!(layout.positions.is_empty());
    roxmltree::Document::parse(&svg)?;

    let mut one = Network::builder();
    one.node("solo");
    let (layout, svg) = draw(&one.build(), &LayoutOptions::default(), &options())?;
    assert_eq!(layout.positions.len(), 1);
    roxmltree::Document::parse(&svg)?;

    // All nodes of the previous wave, nothing new: nothing moves.
    let net = network()?;
    let first = sociogram::layout(&net, &LayoutOptions::default())?;
    let again = sociogram::layout(
        &net,
        &LayoutOptions {
            previous: first.positions.clone(),
            ..LayoutOptions::default()
        },
    )?;
    assert_eq!(again, first);

    // Zero-weight ties still get a visible line.
    let mut zero = Network::builder();
    zero.arc("p", "q", 0.0)?;
    let (_, svg) = draw(&zero.build(), &LayoutOptions::default(), &options())?;
    assert!(svg.contains(r#"stroke-width="0.75""#));
    Ok(())
}

#[test]
fn bad_options_and_foreign_layouts_are_refused() -> TestResult {
    let net = network()?;
    for bad in [
        LayoutOptions {
            width: 0.0,
            ..LayoutOptions::default()
        },
        LayoutOptions {
            height: f64::NAN,
            ..LayoutOptions::default()
        },
        LayoutOptions {
            margin: 400.0,
            ..LayoutOptions::default()
        },
        LayoutOptions {
            group_strength: -1.0,
            ..LayoutOptions::default()
        },
        LayoutOptions {
            isolate_spacing: 0.0,
            ..LayoutOptions::default()
        },
    ] {
        assert!(matches!(
            sociogram::layout(&net, &bad),
            Err(SociogramError::Options(_))
        ));
    }
    let mut other = Network::builder();
    other.arc("ana", "zoe", 1.0)?;
    let foreign = sociogram::layout(&other.build(), &LayoutOptions::default())?;
    let report = metrics(&net, &MetricOptions::default());
    let err = sociogram::render_svg(&net, &report, &foreign, &options());
    assert!(
        matches!(err, Err(SociogramError::MissingPosition(_))),
        "{err:?}"
    );
    let mut broken = sociogram::layout(&net, &LayoutOptions::default())?;
    broken.width = f64::NAN;
    assert!(matches!(
        sociogram::render_svg(&net, &report, &broken, &options()),
        Err(SociogramError::Options(_))
    ));
    Ok(())
}

#[test]
fn layouts_round_trip_through_json_for_the_next_wave() -> TestResult {
    let net = network()?;
    let layout = sociogram::layout(&net, &LayoutOptions::default())?;
    let json = serde_json::to_string(&layout)?;
    let back: Layout = serde_json::from_str(&json)?;
    assert_eq!(back, layout);
    Ok(())
}

#[cfg(feature = "png")]
#[test]
fn png_has_the_signature_and_the_requested_width() -> TestResult {
    let net = network()?;
    let (_, svg) = draw(&net, &LayoutOptions::default(), &options())?;
    let png = sociogram::svg_to_png(&svg, 640)?;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR is the first chunk: width and height, big-endian, at bytes 16..24.
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!(width, 640);
    assert!(height > 400 && height < 640, "{height}");
    assert!(matches!(
        sociogram::svg_to_png(&svg, 0),
        Err(SociogramError::PngWidth(0))
    ));
    assert!(matches!(
        sociogram::svg_to_png("<svg", 10),
        Err(SociogramError::Svg(_))
    ));
    Ok(())
}
