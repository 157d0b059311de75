//! A demo codebook for the open questions of the demo rounds, and the demo
//! answers coded with it, so that the open answers pages show themes, counts
//! and an export in `trama serve --demo`.
//!
//! Themes are the kind a coordinator would write after reading the answers;
//! each demo answer text gets the themes listed for it. The 2026 round is
//! left partly uncoded (every third answer), as a round being coded looks.
//! Everything goes through the same store calls the pages use.

use crate::campaigns::open_answers::{OpenFilter, ThemeInput};
use crate::demo_rounds::DEMO_ROUNDS;
use crate::{Store, StoreError};

/// (question, [(code, Spanish label, English label, description)]).
type DemoCodebook = (
    &'static str,
    &'static [(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    )],
);

const CODEBOOK: [DemoCodebook; 4] = [
    (
        "facilita",
        &[
            (
                "organizacion",
                "Organización y calendario",
                "Organisation and schedule",
                Some("Fechas conocidas, agenda clara, reuniones planificadas."),
            ),
            (
                "confianza",
                "Confianza y apoyo entre pares",
                "Trust and peer support",
                None,
            ),
            (
                "supervision",
                "Rol del supervisor",
                "The supervisor's role",
                None,
            ),
            (
                "proposito",
                "Propósito común",
                "Shared purpose",
                Some("Un foco de trabajo compartido por la red."),
            ),
        ],
    ),
    (
        "dificulta",
        &[
            (
                "carga",
                "Carga de trabajo y urgencias",
                "Workload and emergencies",
                None,
            ),
            ("distancia", "Distancias", "Distances", None),
            (
                "organizacion",
                "Cambios y falta de planificación",
                "Changes and lack of planning",
                None,
            ),
        ],
    ),
    (
        "apoyo",
        &[
            (
                "mejoramiento",
                "Insumos para el plan de mejoramiento",
                "Input for the improvement plan",
                None,
            ),
            ("pares", "Espacio entre pares", "A space among peers", None),
            (
                "recursos",
                "Materiales y recursos",
                "Materials and resources",
                None,
            ),
        ],
    ),
    (
        "practicas",
        &[
            (
                "observacion",
                "Observación entre establecimientos",
                "Observation between schools",
                Some("Visitas de aula y pasantías."),
            ),
            (
                "seguimiento",
                "Registro y seguimiento",
                "Records and follow-up",
                None,
            ),
        ],
    ),
];

/// Which themes each demo answer text gets (the texts of `demo_rounds`).
const CODINGS: [(&str, &[&str]); 14] = [
    (
        "El calendario de reuniones se conoce con anticipación.",
        &["organizacion"],
    ),
    (
        "La confianza entre directores y el apoyo del supervisor.",
        &["confianza", "supervision"],
    ),
    (
        "Que las reuniones se hagan en distintos establecimientos.",
        &["organizacion"],
    ),
    (
        "Tener un tema de trabajo común para el año.",
        &["proposito"],
    ),
    (
        "La carga administrativa y las urgencias del establecimiento.",
        &["carga"],
    ),
    ("Las distancias entre escuelas rurales.", &["distancia"]),
    ("Los cambios de fecha a último momento.", &["organizacion"]),
    ("Falta de tiempo para preparar las sesiones.", &["carga"]),
    (
        "Ideas concretas para el plan de mejoramiento.",
        &["mejoramiento"],
    ),
    ("Un espacio para compartir dudas con pares.", &["pares"]),
    ("Materiales de otros establecimientos.", &["recursos"]),
    ("Visitas de aula entre establecimientos.", &["observacion"]),
    ("Pasantías de jefes de UTP.", &["observacion"]),
    ("Registro de acuerdos y seguimiento.", &["seguimiento"]),
];

impl Store {
    /// The demo codebook and codings for the demo rounds; does nothing for
    /// a round that already has a codebook.
    pub(crate) async fn seed_demo_open(&self) -> Result<(), StoreError> {
        for (wave, (code, _, _)) in DEMO_ROUNDS.iter().enumerate() {
            let Some(campaign) = self.campaign(code).await? else {
                continue;
            };
            for (item, themes) in CODEBOOK {
                if !self.open_themes(campaign.id, item).await?.is_empty() {
                    continue;
                }
                let mut ids = vec![];
                for (code, es, en, description) in themes {
                    let input = ThemeInput {
                        code: (*code).to_owned(),
                        label_es: (*es).to_owned(),
                        label_en: (*en).to_owned(),
                        description: description.map(str::to_owned),
                    };
                    ids.push((
                        *code,
                        self.write(async |tx| {
                            tx.create_open_theme(campaign.id, item, &input, None).await
                        })
                        .await?,
                    ));
                }
                let answers = self
                    .open_answers(&campaign, item, &OpenFilter::default())
                    .await?;
                for (n, a) in answers.iter().enumerate() {
                    if wave > 0 && n % 3 == 2 {
                        continue;
                    }
                    let codes = CODINGS
                        .iter()
                        .find(|(t, _)| *t == a.value)
                        .map_or(&[][..], |(_, c)| *c);
                    for (_, id) in ids.iter().filter(|(c, _)| codes.contains(c)) {
                        self.write(async |tx| {
                            tx.assign_open_theme(&campaign, item, &a.response_id, *id, None)
                                .await
                        })
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }
}
