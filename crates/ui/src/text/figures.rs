//! Figures of the public statistics as people read them: rates as percentages with one
//! decimal, averages with one decimal, and "no data" where nothing was counted.

use super::{t, Key};
use onewindow_api::Lang;

/// A rate (0–1) as "92.5%", or "no data".
pub fn percent(lang: Lang, rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => t(lang, Key::NoData).to_owned(),
    }
}

/// An average as "3.2", or "no data".
pub fn decimal(lang: Lang, value: Option<f64>) -> String {
    match value {
        Some(v) => format!("{v:.1}"),
        None => t(lang, Key::NoData).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_averages() {
        assert_eq!(percent(Lang::En, Some(0.925)), "92.5%");
        assert_eq!(percent(Lang::En, Some(1.0)), "100.0%");
        assert_eq!(percent(Lang::ZhCn, None), "无数据");
        assert_eq!(decimal(Lang::En, Some(2.26)), "2.3");
        assert_eq!(decimal(Lang::En, None), "No data");
    }
}
