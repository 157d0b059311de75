//! Chile's calendar. Campaign dates, closing days and "this year" are the
//! Chilean civil calendar wherever the server runs (a container is often on
//! UTC, where a campaign closing at midnight in Santiago would close three or
//! four hours early).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The IANA name of continental Chile's time zone.
pub const CHILE: &str = "America/Santiago";

/// Chile's time zone, or UTC where the system has no time-zone database (a
/// minimal container): dates then shift by a few hours rather than failing.
pub fn chile() -> TimeZone {
    TimeZone::get(CHILE).unwrap_or(TimeZone::UTC)
}

/// The current year in Chile.
pub fn current_year() -> i32 {
    i32::from(Timestamp::now().to_zoned_datetime(chile()).year())
}

/// Unix seconds at the first instant of `date` in Chile (midnight, or the
/// first moment after a daylight-saving gap). `None` only at the far ends of
/// the calendar.
pub fn day_start(date: Date) -> Option<i64> {
    date.to_zoned_datetime(chile())
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// The civil date in Chile at Unix second `t`; `None` outside jiff's range.
pub fn date_at(t: i64) -> Option<Date> {
    Timestamp::from_second(t)
        .ok()
        .map(|t| t.to_zoned_datetime(chile()).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the system has the zone; without it everything is UTC, which
    /// the fallback test covers.
    fn has_chile() -> bool {
        TimeZone::get(CHILE).is_ok()
    }

    #[test]
    fn a_day_starts_at_chilean_midnight() {
        let winter = Date::constant(2026, 7, 1);
        let summer = Date::constant(2026, 1, 15);
        let utc = |d: Date| {
            d.to_zoned_datetime(TimeZone::UTC)
                .map(|z| z.timestamp().as_second())
                .ok()
        };
        if has_chile() {
            // UTC-4 in the southern winter, UTC-3 in summer.
            assert_eq!(day_start(winter), utc(winter).map(|t| t + 4 * 3600));
            assert_eq!(day_start(summer), utc(summer).map(|t| t + 3 * 3600));
        } else {
            assert_eq!(day_start(winter), utc(winter));
        }
    }

    #[test]
    fn dates_round_trip_and_the_evening_is_still_the_same_day() {
        let d = Date::constant(2026, 11, 25);
        let start = day_start(d).unwrap_or_default();
        assert_eq!(date_at(start), Some(d));
        assert_eq!(date_at(start + 86_399), Some(d));
        assert_eq!(date_at(start - 1), Some(Date::constant(2026, 11, 24)));
        assert_eq!(date_at(i64::MAX), None);
    }

    #[test]
    fn the_current_year_is_plausible() {
        let y = current_year();
        assert!((2024..3000).contains(&y), "{y}");
    }

    #[test]
    fn the_zone_falls_back_to_utc_only_without_a_database() {
        let tz = chile();
        if has_chile() {
            assert_eq!(tz.iana_name(), Some(CHILE));
        } else {
            assert_eq!(tz, TimeZone::UTC);
        }
    }
}
