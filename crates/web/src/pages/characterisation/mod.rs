//! Characterising networks: the network's year (plan and session log, with
//! phone-first forms), its profile (continuum level with its rules, process
//! typology, the Tetraedro against region and nation, system leaders) and
//! the national table of a campaign. Who sees what, and what is computed,
//! is `trama_app::characterisation`'s.

mod profile;
mod session;
mod table;
mod year;

pub use profile::{ficha_pdf, profile};
pub use session::{create, delete, edit_form, new_form, update};
pub use table::{table, table_csv, table_xlsx};
pub use year::{save_plan, sessions_csv, show as year};

use trama_characterise::Level;
use trama_i18n::Lang;

use crate::ctx::Ctx;

fn share(v: Option<f64>, lang: Lang) -> String {
    trama_i18n::number::share(v, lang)
}

fn level_label(ctx: &Ctx, level: Level) -> String {
    trama_app::characterisation::view::level_label(ctx.lang, level)
}
