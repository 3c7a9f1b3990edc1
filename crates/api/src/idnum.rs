//! Identity numbers: the resident ID number (GB 11643-1999) and the unified social
//! credit code (GB 32100-2015), with their check characters, and masking of both.

use chrono::NaiveDate;
use std::fmt;

/// Why an identity number was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("must be 18 characters")]
    Length,
    #[error("contains a character that is not allowed")]
    Charset,
    #[error("the region code is not valid")]
    Region,
    #[error("the birth date is not a real date, or lies after today")]
    BirthDate,
    #[error("the check character does not match")]
    CheckDigit,
}

impl IdNumberError {
    /// Stable reason code for `FieldError::reason`.
    pub fn reason(self) -> &'static str {
        match self {
            IdNumberError::Length => "length",
            IdNumberError::Charset => "charset",
            IdNumberError::Region => "region",
            IdNumberError::BirthDate => "birth_date",
            IdNumberError::CheckDigit => "check_digit",
        }
    }
}

/// A validated 18-character resident ID number (居民身份证号码). Its `Debug` is masked so
/// that it never reaches a log in clear.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The province codes of GB/T 2260 in use: the mainland's 31, then Taiwan (71), Hong
/// Kong (81) and Macao (82).
pub const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

/// Whether the number starts with a region in use: a province code; 83, the residence
/// permit of Taiwan residents; or 9 and the mainland province that issued a foreigner's
/// permanent residence card of the 2023 design (its next three digits are the
/// holder's nationality, so no county follows).
fn region_in_use(body: &str) -> bool {
    let mainland = |code: &str| PROVINCES[..31].contains(&code);
    match body.get(..2) {
        Some("83") => true,
        Some(code) if code.starts_with('9') => body.get(1..3).is_some_and(mainland),
        Some(code) => PROVINCES.contains(&code),
        None => false,
    }
}

/// The ISO 7064 MOD 11-2 check character of the first 17 digits.
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

impl ResidentId {
    /// `parse`, and a birth date not after `today` (the caller's date: the contract has
    /// no clock). What a person enters is checked with this one.
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<ResidentId, IdNumberError> {
        let id = ResidentId::parse(input)?;
        if id.birth_date() > today {
            return Err(IdNumberError::BirthDate);
        }
        Ok(id)
    }

    /// Validates length, characters, region, a real birth date and the check digit
    /// (`parse_on` also refuses a birth date in the future). A lowercase `x` is
    /// accepted and normalised.
    pub fn parse(input: &str) -> Result<ResidentId, IdNumberError> {
        let s = input.trim().to_ascii_uppercase();
        if s.chars().count() != 18 {
            return Err(IdNumberError::Length);
        }
        // Only ASCII can be valid, and only ASCII may be split by bytes below (18
        // characters of which some are wider would split inside one; found by the
        // property tests).
        if !s.is_ascii() {
            return Err(IdNumberError::Charset);
        }
        let (body, last) = s.split_at(17);
        if !body.bytes().all(|b| b.is_ascii_digit())
            || !last.bytes().all(|b| b.is_ascii_digit() || b == b'X')
        {
            return Err(IdNumberError::Charset);
        }
        if !region_in_use(body) {
            return Err(IdNumberError::Region);
        }
        let year: i32 = body[6..10].parse().map_err(|_| IdNumberError::BirthDate)?;
        let month: u32 = body[10..12].parse().map_err(|_| IdNumberError::BirthDate)?;
        let day: u32 = body[12..14].parse().map_err(|_| IdNumberError::BirthDate)?;
        if year < 1850 {
            return Err(IdNumberError::BirthDate);
        }
        NaiveDate::from_ymd_opt(year, month, day).ok_or(IdNumberError::BirthDate)?;
        if resident_id_check_char(body) != last.chars().next() {
            return Err(IdNumberError::CheckDigit);
        }
        Ok(ResidentId(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        let y = self.0[6..10].parse().unwrap_or(1970);
        let m = self.0[10..12].parse().unwrap_or(1);
        let d = self.0[12..14].parse().unwrap_or(1);
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// The 17th digit is odd for men and even for women.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    /// Masked form shown everywhere but on the owner's profile, e.g. `1101**********1234`.
    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

/// Masks any identity number: keeps the first 4 and the last 4 characters. Short inputs
/// are masked completely, so nothing can leak through an unexpected shape.
pub fn mask_id_number(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 4 || i >= n - 4 { *c } else { '*' })
        .collect()
}

/// A validated unified social credit code (统一社会信用代码).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct CreditCode(String);

/// The 31 characters of GB 32100, in value order (no I, O, Z, S, V).
const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn uscc_value(c: char) -> Option<u32> {
    USCC_CHARS.find(c).map(|i| i as u32)
}

/// The check character of the first 17 characters of a credit code.
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(USCC_WEIGHTS) {
        sum += uscc_value(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    USCC_CHARS.chars().nth(check as usize)
}

impl CreditCode {
    /// Validates the charset, the registration authority and type characters, the region
    /// code and the check character. Lowercase input is accepted and normalised.
    pub fn parse(input: &str) -> Result<CreditCode, IdNumberError> {
        let s = input.trim().to_ascii_uppercase();
        if s.chars().count() != 18 {
            return Err(IdNumberError::Length);
        }
        if !s.chars().all(|c| uscc_value(c).is_some()) {
            return Err(IdNumberError::Charset);
        }
        // The third to eighth characters are the administrative region code (digits).
        if !s[2..8].bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdNumberError::Region);
        }
        let (body, last) = s.split_at(17);
        if credit_code_check_char(body) != last.chars().next() {
            return Err(IdNumberError::CheckDigit);
        }
        Ok(CreditCode(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid ID number from 17 digits, for tests.
    fn with_check(first17: &str) -> String {
        format!("{first17}{}", resident_id_check_char(first17).unwrap())
    }

    #[test]
    fn a_birth_date_after_today_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let future = with_check("11010520991231001");
        assert!(ResidentId::parse(&future).is_ok(), "a real date");
        assert_eq!(
            ResidentId::parse_on(&future, today),
            Err(IdNumberError::BirthDate)
        );
        let born_today = with_check("11010520261124001");
        assert!(ResidentId::parse_on(&born_today, today).is_ok());
        let tomorrow = with_check("11010520261125001");
        assert!(ResidentId::parse_on(&tomorrow, today).is_err());
    }

    #[test]
    fn known_valid_resident_ids() {
        // The sample number of the GB 11643 standard.
        assert!(ResidentId::parse("11010519491231002X").is_ok());
        assert!(ResidentId::parse("11010519491231002x").is_ok());
        assert!(ResidentId::parse("440524188001010014").is_ok());
    }

    #[test]
    fn rejects_wrong_check_digit_length_charset_and_date() {
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(IdNumberError::CheckDigit)
        );
        assert_eq!(
            ResidentId::parse("11010519491231002"),
            Err(IdNumberError::Length)
        );
        assert_eq!(
            ResidentId::parse("1101051949123100AX"),
            Err(IdNumberError::Charset)
        );
        assert_eq!(
            ResidentId::parse(&with_check("11010519490230002")),
            Err(IdNumberError::BirthDate)
        );
        assert_eq!(
            ResidentId::parse(&with_check("00010519490130002")),
            Err(IdNumberError::Region)
        );
    }

    #[test]
    fn regions_in_use_and_only_those() {
        let region = |first6: &str| ResidentId::parse(&with_check(&format!("{first6}19800101001")));
        // Provinces, Taiwan, Hong Kong, Macao, and Taiwan residents' residence permits.
        for ok in ["110105", "650102", "710000", "810000", "820000", "830000"] {
            assert!(region(ok).is_ok(), "{ok}");
        }
        // A foreigner's permanent residence card (2023): 9, the issuing province (here
        // Beijing, Guangdong), the nationality (156 would be China; 840 the USA).
        assert!(region("911840").is_ok());
        assert!(region("944840").is_ok());
        // Codes no province has, and 9 with no province after it.
        for bad in [
            "100105", "160105", "200105", "720000", "840000", "900105", "971840", "990000",
        ] {
            assert_eq!(region(bad), Err(IdNumberError::Region), "{bad}");
        }
    }

    #[test]
    fn every_single_digit_change_is_caught() {
        let good = "11010519491231002X";
        for i in 0..17 {
            let mut b = good.as_bytes().to_vec();
            b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
            let s = String::from_utf8(b).unwrap();
            assert!(ResidentId::parse(&s).is_err(), "{s} accepted");
        }
    }

    #[test]
    fn birth_date_sex_and_mask() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!id.is_male());
        assert_eq!(id.masked(), "1101**********002X");
        assert!(!format!("{id:?}").contains("19491231"));
        assert_eq!(mask_id_number("12345"), "*****");
    }

    #[test]
    fn credit_codes() {
        // Check characters computed by the GB 32100 algorithm.
        let body = "91350100M000100Y4";
        let code = format!("{body}{}", credit_code_check_char(body).unwrap());
        assert_eq!(code, "91350100M000100Y43");
        assert!(CreditCode::parse(&code).is_ok());
        assert!(CreditCode::parse("91350100m000100y43").is_ok());
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(IdNumberError::CheckDigit)
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y4"),
            Err(IdNumberError::Length)
        );
        assert_eq!(
            CreditCode::parse("9135010OM000100Y43"),
            Err(IdNumberError::Charset)
        );
        assert_eq!(
            CreditCode::parse("91AB0100M000100Y43").unwrap_err(),
            IdNumberError::Region
        );
        assert_eq!(
            CreditCode::parse(&code).unwrap().masked(),
            "9135**********0Y43"
        );
    }
}
