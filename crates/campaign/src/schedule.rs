//! Reminder schedules: "7,14" means a reminder seven and fourteen days after
//! the campaign opens, to everyone who has not completed.

use serde::Serialize;

const DAY: i64 = 86_400;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ReminderDays(Vec<u16>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a list of days: {0}")]
pub struct ScheduleError(pub String);

impl ReminderDays {
    /// Parses `7,14` (spaces and `;` also accepted). Days are 1–365, kept
    /// sorted and without repeats.
    pub fn parse(text: &str) -> Result<ReminderDays, ScheduleError> {
        let mut days = vec![];
        for part in text.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()) {
            match part.trim().parse::<u16>() {
                Ok(d) if (1..=365).contains(&d) => days.push(d),
                _ => return Err(ScheduleError(part.trim().to_owned())),
            }
        }
        days.sort_unstable();
        days.dedup();
        Ok(ReminderDays(days))
    }

    pub fn days(&self) -> &[u16] {
        &self.0
    }

    /// Due times for a campaign opened at `opened_at`, up to its close:
    /// a reminder after the close would point to a closed questionnaire.
    pub fn due_times(&self, opened_at: i64, closes_at: i64) -> Vec<i64> {
        self.0
            .iter()
            .map(|d| opened_at + i64::from(*d) * DAY)
            .filter(|t| *t < closes_at)
            .collect()
    }
}

impl std::fmt::Display for ReminderDays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u16::to_string).collect();
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        let r = ReminderDays::parse(" 14; 7,7 ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.days(), &[7, 14]);
        assert_eq!(r.to_string(), "7,14");
        assert_eq!(ReminderDays::parse("").map(|r| r.days().len()), Ok(0));
        assert_eq!(ReminderDays::parse("7,x"), Err(ScheduleError("x".into())));
        assert!(ReminderDays::parse("0").is_err());
    }

    #[test]
    fn reminders_after_the_close_are_dropped() {
        let r = ReminderDays::parse("7,14,30").unwrap_or_else(|e| panic!("{e}"));
        let open = 1_000_000;
        assert_eq!(
            r.due_times(open, open + 20 * DAY),
            vec![open + 7 * DAY, open + 14 * DAY]
        );
    }
}
