//! Tolerant field types for real exports: numbers that arrive as `""` or as
//! strings, user agents that are a string or an array, messages that are
//! `null` or a JSON object, ids longer than `u64`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A string field; numbers are kept as their text, `null` and `""` are absent.
#[derive(Debug, Default)]
pub struct LooseStr<'a>(pub Option<Cow<'a, str>>);

/// A number field; numeric strings parse, anything else is absent.
#[derive(Debug, Default, Clone, Copy)]
pub struct LooseNum(pub Option<f64>);

/// Free text: a string as is, any other JSON value as its compact text.
#[derive(Debug, Default)]
pub struct LooseText<'a>(pub Option<Cow<'a, str>>);

/// A string or an array of strings (joined with a space).
#[derive(Debug, Default)]
pub struct LooseStrList<'a>(pub Option<Cow<'a, str>>);

/// A list's parts so far with one more, joined by a space; a single part
/// is kept as it is (borrowed when it was).
pub(super) fn join<'a>(before: Option<Cow<'a, str>>, part: Cow<'a, str>) -> Cow<'a, str> {
    match before {
        None => part,
        Some(before) => {
            let mut all = before.into_owned();
            all.push(' ');
            all.push_str(&part);
            Cow::Owned(all)
        }
    }
}

fn non_empty(s: Cow<'_, str>) -> Option<Cow<'_, str>> {
    (!s.is_empty()).then_some(s)
}

macro_rules! scalar_to_string {
    ($wrap:expr) => {
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(Some(Cow::Owned(v.to_string()))))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Some(Cow::Owned(v.to_string()))))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap(Some(Cow::Owned(v.to_string()))))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Some(Cow::Owned(v.to_string()))))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(None))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap(None))
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'a str) -> Result<Self::Value, E> {
            Ok($wrap(non_empty(Cow::Borrowed(v))))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok($wrap(non_empty(Cow::Owned(v.to_owned()))))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok($wrap(non_empty(Cow::Owned(v))))
        }
    };
}

struct StrVisitor;
impl<'a> Visitor<'a> for StrVisitor {
    type Value = LooseStr<'a>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    scalar_to_string!(LooseStr);
}

impl<'de: 'a, 'a> Deserialize<'de> for LooseStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrVisitor)
    }
}

struct TextVisitor;
impl<'a> Visitor<'a> for TextVisitor {
    type Value = LooseText<'a>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    scalar_to_string!(LooseText);
    fn visit_map<A: MapAccess<'a>>(self, map: A) -> Result<Self::Value, A::Error> {
        let v = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(LooseText(Some(Cow::Owned(v.to_string()))))
    }
    fn visit_seq<A: SeqAccess<'a>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(LooseText(Some(Cow::Owned(v.to_string()))))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LooseText<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct ListVisitor;
impl<'a> Visitor<'a> for ListVisitor {
    type Value = LooseStrList<'a>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or an array of strings")
    }
    scalar_to_string!(LooseStrList);
    /// The parts joined by spaces; one part is kept as it is (a drain's
    /// user agent is an array of one string, on every record).
    fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut joined: Option<Cow<'a, str>> = None;
        while let Some(LooseStr(part)) = seq.next_element::<LooseStr<'a>>()? {
            if let Some(part) = part {
                joined = Some(join(joined, part));
            }
        }
        Ok(LooseStrList(joined))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LooseStrList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor)
    }
}

struct NumVisitor;
impl<'de> Visitor<'de> for NumVisitor {
    type Value = LooseNum;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<LooseNum, E> {
        Ok(LooseNum(Some(v as f64)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<LooseNum, E> {
        Ok(LooseNum(Some(v as f64)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<LooseNum, E> {
        Ok(LooseNum(Some(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<LooseNum, E> {
        Ok(LooseNum(
            v.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        ))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<LooseNum, E> {
        Ok(LooseNum(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<LooseNum, E> {
        Ok(LooseNum(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<LooseNum, E> {
        Ok(LooseNum(None))
    }
}

impl<'de> Deserialize<'de> for LooseNum {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumVisitor)
    }
}

/// A time field: a JSON number (epoch seconds, milliseconds or
/// microseconds) kept as a number, or a string (a number or a date). A
/// drain's `timestamp` is a number on every record: it is not printed to be
/// parsed back.
#[derive(Debug, Default, Clone, PartialEq)]
pub enum LooseTime<'a> {
    #[default]
    None,
    Number(f64),
    Text(Cow<'a, str>),
}

struct TimeVisitor;
impl<'a> Visitor<'a> for TimeVisitor {
    type Value = LooseTime<'a>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a date")
    }
    // `u64` and `i64` round to the nearest `f64` as parsing their digits
    // would, and an `f64` prints as digits that parse back to it.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(LooseTime::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(LooseTime::Number(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(LooseTime::Number(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(LooseTime::Text(Cow::Owned(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(LooseTime::None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(LooseTime::None)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'a str) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Borrowed(v)).map_or(LooseTime::None, LooseTime::Text))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Owned(v.to_owned())).map_or(LooseTime::None, LooseTime::Text))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(non_empty(Cow::Owned(v)).map_or(LooseTime::None, LooseTime::Text))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LooseTime<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A number reads as the number its digits parse to, as the string
    /// it used to be printed to and parsed from did.
    #[test]
    fn times_keep_numbers_as_numbers() {
        for text in [
            "1768813200113",
            "1768813200.5",
            "-3",
            "18446744073709551615",
            "9007199254740993",
        ] {
            let t: LooseTime = serde_json::from_str(text).unwrap();
            assert_eq!(t, LooseTime::Number(text.parse::<f64>().unwrap()), "{text}");
        }
        let t: LooseTime = serde_json::from_str("\"2026-01-19T10:00:00Z\"").unwrap();
        assert_eq!(t, LooseTime::Text(Cow::Borrowed("2026-01-19T10:00:00Z")));
        for empty in ["\"\"", "null"] {
            let t: LooseTime = serde_json::from_str(empty).unwrap();
            assert_eq!(t, LooseTime::None);
        }
    }

    #[test]
    fn tolerates_real_world_types() {
        let n: LooseNum = serde_json::from_str("\"\"").unwrap();
        assert_eq!(n.0, None);
        let n: LooseNum = serde_json::from_str("\"504\"").unwrap();
        assert_eq!(n.0, Some(504.0));
        let s: LooseStr = serde_json::from_str("\"12345678901234567890123456789012\"").unwrap();
        assert_eq!(s.0.as_deref(), Some("12345678901234567890123456789012"));
        let l: LooseStrList = serde_json::from_str(r#"["Mozilla/5.0", "(X11)"]"#).unwrap();
        assert_eq!(l.0.as_deref(), Some("Mozilla/5.0 (X11)"));
        // One part is borrowed; empty parts and nulls are skipped.
        let l: LooseStrList = serde_json::from_str(r#"["vercel-cron/1.0"]"#).unwrap();
        assert!(matches!(l.0, Some(Cow::Borrowed("vercel-cron/1.0"))));
        let l: LooseStrList = serde_json::from_str(r#"["", null, "a", "", "b", 3]"#).unwrap();
        assert_eq!(l.0.as_deref(), Some("a b 3"));
        for none in ["[]", r#"["", null]"#, "null", r#""""#] {
            let l: LooseStrList = serde_json::from_str(none).unwrap();
            assert_eq!(l.0, None, "{none}");
        }
        let t: LooseText = serde_json::from_str(r#"{"level":"error","msg":"x"}"#).unwrap();
        assert_eq!(t.0.as_deref(), Some(r#"{"level":"error","msg":"x"}"#));
        let t: LooseText = serde_json::from_str("null").unwrap();
        assert_eq!(t.0, None);
    }
}
