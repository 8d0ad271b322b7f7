//! JSON bodies as rest-json carries them. A generated crate implements these traits for
//! its structures, unions and enums in a private module of its own, from its plan: a
//! structure's [`ToJson`] writes exactly its body members under their JSON names and its
//! [`JsonObject`] reads exactly those keys (anything else in a response is skipped). This
//! module knows no model; it holds what every shape shares: scalars, lists and maps
//! (`null` entries in responses dropped), floats that JSON cannot hold (`"NaN"`,
//! `"Infinity"`), timestamps in the formats a member may name, and the loops that read
//! objects and unions.
//!
//! These traits are not the generated crate's `serde` form (which uses model names and
//! every member); they only carry request and response bodies.

use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;

use bytes::Bytes;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::protocol::{FloatText, ParseError, RequestError};
use crate::{Blob, DateTime, Document};

/// A value as request bodies write it.
pub trait ToJson {
    /// Writes the value.
    fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// A value as response bodies hold it.
pub trait FromJson<'de>: Sized {
    /// Reads the value.
    fn from_json<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A structure read member by member. Every `JsonObject` is a [`FromJson`].
pub trait JsonObject<'de>: Default {
    /// Reads the value of `key` (a JSON name) into its member, or skips it: a key the
    /// structure's body does not have, or one of a member that travels elsewhere.
    fn read_member<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// A union read from an object with one member set.
pub trait JsonUnion<'de>: Sized {
    /// The union's name, for errors.
    const NAME: &'static str;
    /// The variant for a member this crate does not know.
    const UNKNOWN: Self;

    /// Reads the value of `key`: a variant, `Null` for a member sent as `null` (it does
    /// not count), or `Unknown` (the value skipped) for a key the union does not have.
    fn read_member<A: MapAccess<'de>>(
        key: &str,
        map: &mut A,
    ) -> Result<UnionMember<Self>, A::Error>;
}

/// What one key of a union's object held.
#[derive(Debug)]
pub enum UnionMember<T> {
    /// A member that is set.
    Set(T),
    /// A member sent as `null`.
    Null,
    /// A key the union does not have.
    Unknown,
}

/// `value` for serde: written through its [`ToJson`].
pub struct Json<'a, T: ?Sized>(pub &'a T);

impl<T: ToJson + ?Sized> Serialize for Json<'_, T> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.to_json(serializer)
    }
}

/// A value for serde: read through its [`FromJson`].
struct Read<T>(T);

impl<'de, T: FromJson<'de>> Deserialize<'de> for Read<T> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::from_json(deserializer).map(Read)
    }
}

/// A request body: `value` as JSON.
pub fn json_body<T: ToJson + ?Sized>(value: &T) -> Result<Bytes, RequestError> {
    let mut body = Vec::with_capacity(128);
    value
        .to_json(&mut serde_json::Serializer::new(&mut body))
        .map_err(|e| RequestError::Body(e.to_string()))?;
    Ok(Bytes::from(body))
}

/// A response body read as `T`; an empty body counts as `{}` (services omit empty
/// outputs). The error names what did not fit, with its line and column.
pub fn parse_body<'de, T: FromJson<'de>>(body: &'de [u8]) -> Result<T, ParseError> {
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    T::from_json(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|e| ParseError::Body(e.to_string()))
}

/// An error body read leniently: every member that fits the model is kept, one that
/// does not (a number where text belongs) is left unset, and a body that is not a JSON
/// object (an HTML page from a proxy, nothing) gives the default. An error response is
/// reported as the modeled exception whatever its body holds.
pub fn read_lenient<T: for<'de> JsonObject<'de>>(body: &[u8]) -> T {
    let mut value = T::default();
    let Ok(fields) = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
    else {
        return value;
    };
    for (key, field) in fields {
        let mut entry = de::value::MapDeserializer::<_, serde_json::Error>::new(std::iter::once((
            key.as_str(),
            field,
        )));
        if entry.next_key::<IgnoredAny>().is_ok() {
            // A member that does not read stays unset; the others still count.
            let _ = value.read_member(&key, &mut entry);
        }
    }
    value
}

/// An exception from an error response: its body read leniently (see [`read_lenient`])
/// and the response's metadata (code, message, status, request id) kept in it.
pub fn modeled_error<T: for<'de> JsonObject<'de> + crate::ModeledError>(
    body: &[u8],
    meta: crate::ErrorMetadata,
) -> T {
    let mut error: T = read_lenient(body);
    error.set_error_meta(meta);
    error
}

/// [`modeled_error`] for an exception with members in headers or the status code,
/// which `from_response` reads; when they do not read, the metadata comes back (and the
/// error is reported as unhandled).
pub fn modeled_error_with<T: for<'de> JsonObject<'de> + crate::ModeledError>(
    body: &[u8],
    meta: crate::ErrorMetadata,
    from_response: impl FnOnce(&mut T) -> Result<(), ParseError>,
) -> Result<T, crate::ErrorMetadata> {
    let mut error: T = read_lenient(body);
    match from_response(&mut error) {
        Ok(()) => {
            error.set_error_meta(meta);
            Ok(error)
        }
        Err(_) => Err(meta),
    }
}

/// A member's value; `None` for `null`.
#[inline]
pub fn next<'de, T: FromJson<'de>, A: MapAccess<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
    map.next_value_seed(Nullable(PhantomData))
}

/// Reads `null` as `None`, anything else as a `T` (serde's `Option`, without a wrapper
/// around `T`).
struct Nullable<T>(PhantomData<T>);

impl<'de, T: FromJson<'de>> de::DeserializeSeed<'de> for Nullable<T> {
    type Value = Option<T>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: FromJson<'de>> Visitor<'de> for Nullable<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value or null")
    }

    #[inline]
    fn visit_none<E>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    #[inline]
    fn visit_unit<E>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        T::from_json(deserializer).map(Some)
    }
}

/// Skips a member's value.
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// A union member's value as its variant (`make`), or `Null`.
pub fn variant<'de, T: FromJson<'de>, U, A: MapAccess<'de>>(
    map: &mut A,
    make: impl FnOnce(T) -> U,
) -> Result<UnionMember<U>, A::Error> {
    Ok(match next(map)? {
        Some(value) => UnionMember::Set(make(value)),
        None => UnionMember::Null,
    })
}

/// Writes `key` when `value` is set.
#[inline]
pub fn member<M: SerializeMap, T: ToJson + ?Sized>(
    object: &mut M,
    key: &'static str,
    value: Option<&T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => object.serialize_entry(key, &Json(value)),
        None => Ok(()),
    }
}

/// Reads a structure: what `impl FromJson for T` is for every [`JsonObject`].
impl<'de, T: JsonObject<'de>> FromJson<'de> for T {
    #[inline]
    fn from_json<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<T>(PhantomData<T>);
        impl<'de, T: JsonObject<'de>> Visitor<'de> for Members<T> {
            type Value = T;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "a {} object", std::any::type_name::<T>())
            }

            #[inline]
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
                let mut value = T::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    value.read_member(key.as_str(), &mut map)?;
                }
                Ok(value)
            }
        }
        deserializer.deserialize_map(Members(PhantomData))
    }
}

/// Reads a union: exactly one member set. A member this crate does not know makes it
/// [`JsonUnion::UNKNOWN`] unless a known one is set too, a `__type` key is ignored, and
/// `null` members do not count.
pub fn read_union<'de, D: Deserializer<'de>, T: JsonUnion<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct Members<T>(PhantomData<T>);
    impl<'de, T: JsonUnion<'de>> Visitor<'de> for Members<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a {} union: an object with one member", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let (mut value, mut unknown) = (None, false);
            while let Some(key) = map.next_key::<Key<'de>>()? {
                if key.as_str() == "__type" {
                    skip(&mut map)?;
                    continue;
                }
                match T::read_member(key.as_str(), &mut map)? {
                    UnionMember::Set(member) => value = Some(member),
                    UnionMember::Null => {}
                    UnionMember::Unknown => unknown = true,
                }
            }
            match value {
                Some(value) => Ok(value),
                None if unknown => Ok(T::UNKNOWN),
                None => Err(de::Error::custom(format_args!(
                    "a {} union with no member set",
                    T::NAME
                ))),
            }
        }
    }
    deserializer.deserialize_map(Members(PhantomData))
}

/// An object key, borrowed from the body where it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(key.into()))
            }

            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(key.to_owned().into()))
            }

            fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(key.into()))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// Reads an open enum's value: known values without allocating (the JSON text is
/// borrowed where it has no escapes), anything else kept as sent.
pub fn open_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    struct Value<T>(PhantomData<T>);
    impl<'de, T: for<'a> From<&'a str> + From<String>> Visitor<'de> for Value<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }

        fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
    deserializer.deserialize_str(Value(PhantomData))
}

// Scalars travel as serde has them: strings, booleans, integers; blobs as base64,
// documents as the JSON they are, timestamps as epoch seconds (read leniently).
macro_rules! as_serde_has_it {
    ($($ty:ty),*) => {$(
        impl ToJson for $ty {
            #[inline]
            fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.serialize(serializer)
            }
        }

        impl<'de> FromJson<'de> for $ty {
            #[inline]
            fn from_json<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$ty>::deserialize(deserializer)
            }
        }
    )*};
}

as_serde_has_it!(String, bool, i8, i16, i32, i64, Blob, Document, DateTime);

impl ToJson for str {
    fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).to_json(serializer)
    }
}

/// A timestamp member whose model names ISO 8601 (`timestampFormat`).
#[derive(Debug, Clone, Copy)]
pub struct Iso8601(pub DateTime);

impl ToJson for Iso8601 {
    fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_iso8601())
    }
}

/// A timestamp member whose model names the HTTP date format.
#[derive(Debug, Clone, Copy)]
pub struct HttpDate(pub DateTime);

impl ToJson for HttpDate {
    fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_http_date())
    }
}

// Floats: numbers, except NaN and the infinities, which JSON cannot hold and the
// protocols write as the strings "NaN", "Infinity" and "-Infinity".
macro_rules! float {
    ($ty:ty) => {
        impl ToJson for $ty {
            fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if self.is_finite() {
                    self.serialize(serializer)
                } else {
                    serializer.serialize_str(&self.text())
                }
            }
        }

        impl<'de> FromJson<'de> for $ty {
            fn from_json<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Number;
                impl Visitor<'_> for Number {
                    type Value = $ty;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a number, or NaN, Infinity or -Infinity as a string")
                    }

                    fn visit_f64<E>(self, v: f64) -> Result<$ty, E> {
                        Ok(v as $ty)
                    }

                    fn visit_i64<E>(self, v: i64) -> Result<$ty, E> {
                        Ok(v as $ty)
                    }

                    fn visit_u64<E>(self, v: u64) -> Result<$ty, E> {
                        Ok(v as $ty)
                    }

                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        match v {
                            "NaN" => Ok(<$ty>::NAN),
                            "Infinity" => Ok(<$ty>::INFINITY),
                            "-Infinity" => Ok(<$ty>::NEG_INFINITY),
                            other => Err(E::custom(format_args!("not a number: {other:?}"))),
                        }
                    }
                }
                deserializer.deserialize_any(Number)
            }
        }
    };
}

float!(f32);
float!(f64);

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut list = serializer.serialize_seq(Some(self.len()))?;
        for item in self {
            list.serialize_element(&Json(item))?;
        }
        list.end()
    }
}

/// Lists in responses are dense: a `null` item is dropped rather than failing the whole
/// response.
impl<'de, T: FromJson<'de>> FromJson<'de> for Vec<T> {
    fn from_json<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items<T>(PhantomData<T>);
        impl<'de, T: FromJson<'de>> Visitor<'de> for Items<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list")
            }

            #[inline]
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(item) = seq.next_element_seed(Nullable::<T>(PhantomData))? {
                    if let Some(item) = item {
                        items.push(item);
                    }
                }
                Ok(items)
            }
        }
        deserializer.deserialize_seq(Items(PhantomData))
    }
}

impl<K: ToJson, V: ToJson> ToJson for HashMap<K, V> {
    fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(&Json(key), &Json(value))?;
        }
        map.end()
    }
}

/// Maps in responses are dense: an entry whose value is `null` is dropped.
impl<'de, K: FromJson<'de> + Eq + Hash, V: FromJson<'de>> FromJson<'de> for HashMap<K, V> {
    fn from_json<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);
        impl<'de, K: FromJson<'de> + Eq + Hash, V: FromJson<'de>> Visitor<'de> for Entries<K, V> {
            type Value = HashMap<K, V>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = HashMap::new();
                while let Some((Read(key), value)) =
                    map.next_entry_seed(PhantomData::<Read<K>>, Nullable::<V>(PhantomData))?
                {
                    if let Some(value) = value {
                        entries.insert(key, value);
                    }
                }
                Ok(entries)
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Settings {
        name: Option<String>,
        ratio: Option<f64>,
        tags: Option<Vec<String>>,
        counts: Option<HashMap<String, i32>>,
        at: Option<DateTime>,
    }

    impl ToJson for Settings {
        fn to_json<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut object = serializer.serialize_map(None)?;
            member(&mut object, "name_on_wire", self.name.as_ref())?;
            member(&mut object, "Ratio", self.ratio.as_ref())?;
            member(&mut object, "Tags", self.tags.as_ref())?;
            member(&mut object, "Counts", self.counts.as_ref())?;
            member(&mut object, "At", self.at.map(Iso8601).as_ref())?;
            object.end()
        }
    }

    impl<'de> JsonObject<'de> for Settings {
        fn read_member<A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                "name_on_wire" => self.name = next(map)?,
                "Ratio" => self.ratio = next(map)?,
                "Tags" => self.tags = next(map)?,
                "Counts" => self.counts = next(map)?,
                "At" => self.at = next(map)?,
                _ => skip(map)?,
            }
            Ok(())
        }
    }

    #[derive(Debug, PartialEq)]
    enum Choice {
        Text(String),
        Number(i32),
        Unknown,
    }

    impl<'de> JsonUnion<'de> for Choice {
        const NAME: &'static str = "Choice";
        const UNKNOWN: Self = Choice::Unknown;

        fn read_member<A: MapAccess<'de>>(
            key: &str,
            map: &mut A,
        ) -> Result<UnionMember<Self>, A::Error> {
            match key {
                "Text" => variant(map, Choice::Text),
                "Number" => variant(map, Choice::Number),
                _ => skip(map).map(|()| UnionMember::Unknown),
            }
        }
    }

    impl<'de> FromJson<'de> for Choice {
        fn from_json<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read_union(deserializer)
        }
    }

    #[test]
    fn structures_write_their_members_under_their_json_names() {
        let settings = Settings {
            name: Some("n".into()),
            ratio: Some(f64::NAN),
            tags: Some(vec!["a".into()]),
            counts: None,
            at: Some(DateTime::from_secs(0)),
        };
        let body = json_body(&settings).unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"name_on_wire":"n","Ratio":"NaN","Tags":["a"],"At":"1970-01-01T00:00:00Z"}"#
        );
    }

    #[test]
    fn structures_read_their_keys_skip_others_and_drop_nulls() {
        let body = br#"{"name_on_wire":"n","name":"model name","Ratio":"-Infinity",
            "Tags":["a",null,"b"],"Counts":{"x":1,"y":null},"At":1.5,"Other":{"deep":[1]}}"#;
        let settings: Settings = parse_body(body).unwrap();
        assert_eq!(settings.name.as_deref(), Some("n"));
        assert_eq!(settings.ratio, Some(f64::NEG_INFINITY));
        assert_eq!(settings.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(settings.counts, Some([("x".to_owned(), 1)].into()));
        assert_eq!(settings.at, DateTime::from_epoch_seconds(1.5));
        // An escaped key is the same key.
        let escaped: Settings = parse_body(br#"{"R\u0061tio":2}"#).unwrap();
        assert_eq!(escaped.ratio, Some(2.0));
        assert_eq!(parse_body::<Settings>(b"  ").unwrap(), Settings::default());
        let error = parse_body::<Settings>(br#"{"Tags":{"a":1}}"#).unwrap_err();
        assert!(error.to_string().contains("a list"), "{error}");
        assert!(parse_body::<Settings>(br#"{} trailing"#).is_err());
    }

    #[test]
    fn error_bodies_keep_what_fits() {
        let settings: Settings = read_lenient(br#"{"name_on_wire":7,"Ratio":1,"Tags":["t"]}"#);
        assert_eq!(settings.name, None);
        assert_eq!(settings.ratio, Some(1.0));
        assert_eq!(settings.tags, Some(vec!["t".to_owned()]));
        for body in [&b""[..], b"<html>", b"[1,2]", b"null"] {
            assert_eq!(read_lenient::<Settings>(body), Settings::default());
        }
    }

    #[test]
    fn unions_take_the_member_that_is_set() {
        let read = |body: &str| parse_body::<Choice>(body.as_bytes());
        assert_eq!(read(r#"{"Text":"t"}"#).unwrap(), Choice::Text("t".into()));
        assert_eq!(
            read(r#"{"__type":"x","Text":null,"Number":3}"#).unwrap(),
            Choice::Number(3)
        );
        assert_eq!(read(r#"{"Later":{"a":1}}"#).unwrap(), Choice::Unknown);
        assert_eq!(
            read(r#"{"Later":1,"Text":"t"}"#).unwrap(),
            Choice::Text("t".into())
        );
        assert!(read(r#"{"Text":null}"#).is_err());
        assert!(read(r#"{"Number":"3"}"#).is_err());
    }

    #[test]
    fn open_enums_read_known_escaped_and_unknown_values() {
        #[derive(Debug, PartialEq)]
        enum Color {
            Red,
            Unknown(String),
        }
        impl From<&str> for Color {
            fn from(value: &str) -> Self {
                match value {
                    "RED" => Color::Red,
                    other => Color::Unknown(other.to_owned()),
                }
            }
        }
        impl From<String> for Color {
            fn from(value: String) -> Self {
                Color::from(value.as_str())
            }
        }
        let read = |json: &str| {
            let mut deserializer = serde_json::Deserializer::from_str(json);
            open_enum::<_, Color>(&mut deserializer)
        };
        assert_eq!(read(r#""RED""#).unwrap(), Color::Red);
        // An escape makes serde_json hand over an owned string.
        assert_eq!(read(r#""R\u0045D""#).unwrap(), Color::Red);
        assert_eq!(
            read(r#""BLUE""#).unwrap(),
            Color::Unknown("BLUE".to_owned())
        );
        assert!(read("7").is_err());
    }
}
