//! JSON bodies as the wire has them, from types whose serde form is the user's.
//!
//! Generated structures derive serde with every member under its model name: that is
//! the form users get from the generated crate's `serde` feature. The wire differs in
//! two ways, which these adapters make up for:
//!
//! - An operation's members bound to the URI, query string, headers or status code are
//!   not in its body (a bearer token sent as a header must never be copied into it), and
//!   a body key that shares such a member's name must not fill it. They are left out of
//!   the top-level object by name (`elsewhere`), in both directions.
//! - Some models give body members a JSON name of their own (`locationName`): requests
//!   are written with those names ([`JsonNames`], at every depth). Responses need no
//!   adapter for this: the derived `Deserialize` takes the JSON name as an alias.
//!
//! Without renames, only the top-level keys pay for one comparison each; nested values go
//! straight to `serde_json`.

use bytes::Bytes;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::ser::{self, Serialize};

/// The JSON names that differ from model member names, for the wire: per structure or
/// union (by its serde name, the model's shape name), `(member name, JSON name)` pairs.
/// Both levels are sorted by name (generated so).
#[derive(Debug, Clone, Copy)]
pub struct JsonNames(pub &'static [(&'static str, &'static [(&'static str, &'static str)])]);

impl JsonNames {
    const NONE: JsonNames = JsonNames(&[]);

    /// `key`'s JSON name in `structure`: its own unless the table renames it.
    fn of(&self, structure: &str, key: &'static str) -> &'static str {
        let Ok(at) = self.0.binary_search_by(|(name, _)| (*name).cmp(structure)) else {
            return key;
        };
        let members = self.0[at].1;
        match members.binary_search_by(|(member, _)| (*member).cmp(key)) {
            Ok(found) => members[found].1,
            Err(_) => key,
        }
    }
}

/// Serializes a request body, leaving out the top-level members named in `elsewhere`.
pub fn json_body_except<T: Serialize>(value: &T, elsewhere: &[&str]) -> Result<Bytes, String> {
    json_body_renamed(value, elsewhere, &JsonNames::NONE)
}

/// Serializes a request body, leaving out the top-level members named in `elsewhere`
/// and writing every member under its JSON name.
pub fn json_body_renamed<T: Serialize>(
    value: &T,
    elsewhere: &[&str],
    names: &JsonNames,
) -> Result<Bytes, String> {
    let mut body = Vec::with_capacity(128);
    let mut serializer = serde_json::Serializer::new(&mut body);
    value
        .serialize(Wire {
            inner: &mut serializer,
            elsewhere,
            names,
        })
        .map_err(|e| format!("cannot serialize the request body: {e}"))?;
    Ok(Bytes::from(body))
}

/// Parses a response body into `T` as [`parse_json`](super::parse_json) does, ignoring
/// the top-level keys named in `elsewhere`.
pub fn parse_json_except<T: DeserializeOwned>(
    body: &[u8],
    elsewhere: &[&str],
) -> Result<T, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(super::object_text(body));
    T::deserialize(Except {
        inner: &mut deserializer,
        elsewhere,
    })
    .and_then(|value| deserializer.end().map(|()| value))
    .map_err(super::not_the_model)
}

// Serializing: `inner` does the writing; `Wire` leaves out `elsewhere` (top level only)
// and renames members (at every depth, when there is anything to rename).

/// A serializer whose top-level object leaves out `elsewhere` and whose structures'
/// members take their JSON names.
struct Wire<'a, S> {
    inner: S,
    elsewhere: &'a [&'a str],
    names: &'a JsonNames,
}

/// A value to serialize through [`Wire`] (nested: nothing is left out).
struct Renamed<'a, T: ?Sized> {
    value: &'a T,
    names: &'a JsonNames,
}

impl<T: ?Sized + Serialize> Serialize for Renamed<'_, T> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Wire {
            inner: serializer,
            elsewhere: &[],
            names: self.names,
        })
    }
}

/// A compound value being written (`inner`) whose elements go through [`Wire`].
struct Compound<'a, C> {
    inner: C,
    names: &'a JsonNames,
    /// For a structure: its serde name (the table's key) and what it leaves out.
    structure: &'static str,
    elsewhere: &'a [&'a str],
}

impl<'a, C> Compound<'a, C> {
    fn nested(inner: C, names: &'a JsonNames) -> Self {
        Compound {
            inner,
            names,
            structure: "",
            elsewhere: &[],
        }
    }

    fn renamed<'v, T: ?Sized>(&self, value: &'v T) -> Renamed<'v, T>
    where
        'a: 'v,
    {
        Renamed {
            value,
            names: self.names,
        }
    }
}

macro_rules! forward_serialize {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<$ret, S::Error> {
            self.inner.$method($($arg),*)
        })*
    };
}

impl<'a, S: ser::Serializer> ser::Serializer for Wire<'a, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Compound<'a, S::SerializeSeq>;
    type SerializeTuple = Compound<'a, S::SerializeTuple>;
    type SerializeTupleStruct = Compound<'a, S::SerializeTupleStruct>;
    type SerializeTupleVariant = Compound<'a, S::SerializeTupleVariant>;
    type SerializeMap = Compound<'a, S::SerializeMap>;
    type SerializeStruct = Compound<'a, S::SerializeStruct>;
    type SerializeStructVariant = Compound<'a, S::SerializeStructVariant>;

    forward_serialize! {
        serialize_bool(v: bool) -> S::Ok;
        serialize_i8(v: i8) -> S::Ok;
        serialize_i16(v: i16) -> S::Ok;
        serialize_i32(v: i32) -> S::Ok;
        serialize_i64(v: i64) -> S::Ok;
        serialize_u8(v: u8) -> S::Ok;
        serialize_u16(v: u16) -> S::Ok;
        serialize_u32(v: u32) -> S::Ok;
        serialize_u64(v: u64) -> S::Ok;
        serialize_f32(v: f32) -> S::Ok;
        serialize_f64(v: f64) -> S::Ok;
        serialize_char(v: char) -> S::Ok;
        serialize_str(v: &str) -> S::Ok;
        serialize_bytes(v: &[u8]) -> S::Ok;
        serialize_none() -> S::Ok;
        serialize_unit() -> S::Ok;
        serialize_unit_struct(name: &'static str) -> S::Ok;
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> S::Ok;
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.inner.serialize_some(&Renamed {
            value,
            names: self.names,
        })
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let value = Renamed {
            value,
            names: self.names,
        };
        self.inner.serialize_newtype_struct(name, &value)
    }

    /// A union's member: `{"JsonName": value}`.
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let variant = self.names.of(name, variant);
        let value = Renamed {
            value,
            names: self.names,
        };
        self.inner
            .serialize_newtype_variant(name, index, variant, &value)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(Compound::nested(self.inner.serialize_seq(len)?, self.names))
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Ok(Compound::nested(
            self.inner.serialize_tuple(len)?,
            self.names,
        ))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let inner = self.inner.serialize_tuple_struct(name, len)?;
        Ok(Compound::nested(inner, self.names))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        let inner = self
            .inner
            .serialize_tuple_variant(name, index, variant, len)?;
        Ok(Compound::nested(inner, self.names))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Ok(Compound::nested(self.inner.serialize_map(len)?, self.names))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Compound {
            inner: self.inner.serialize_struct(name, len)?,
            names: self.names,
            structure: name,
            elsewhere: self.elsewhere,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let inner = self
            .inner
            .serialize_struct_variant(name, index, variant, len)?;
        Ok(Compound::nested(inner, self.names))
    }
}

impl<C: ser::SerializeStruct> ser::SerializeStruct for Compound<'_, C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), C::Error> {
        if self.elsewhere.contains(&key) {
            return Ok(());
        }
        if self.names.0.is_empty() {
            // Nothing to rename anywhere: the value needs no adapter.
            return self.inner.serialize_field(key, value);
        }
        let key = self.names.of(self.structure, key);
        self.inner.serialize_field(key, &self.renamed(value))
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

/// Sequences and tuples: every element goes through [`Wire`].
macro_rules! elements_renamed {
    ($($trait:ident::$method:ident),*) => {
        $(impl<C: ser::$trait> ser::$trait for Compound<'_, C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), C::Error> {
                self.inner.$method(&self.renamed(value))
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        })*
    };
}

elements_renamed!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// Map keys are data (never renamed); values go through [`Wire`].
impl<C: ser::SerializeMap> ser::SerializeMap for Compound<'_, C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), C::Error> {
        self.inner.serialize_key(key)
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), C::Error> {
        self.inner.serialize_value(&self.renamed(value))
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

impl<C: ser::SerializeStructVariant> ser::SerializeStructVariant for Compound<'_, C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), C::Error> {
        self.inner.serialize_field(key, &self.renamed(value))
    }

    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

/// A deserializer, visitor or map (`inner`) whose top-level object leaves out `elsewhere`.
struct Except<'a, D> {
    inner: D,
    elsewhere: &'a [&'a str],
}

// Deserializing: the top-level object's keys are filtered; every value, and anything
// that is not an object, is `inner`'s.

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for Except<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(Except {
            inner: visitor,
            elsewhere: self.elsewhere,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_struct(
            name,
            fields,
            Except {
                inner: visitor,
                elsewhere: self.elsewhere,
            },
        )
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Except<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Except {
            inner: map,
            elsewhere: self.elsewhere,
        })
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Except<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.inner.next_key::<Key<'de>>()? {
            match key {
                Key::Borrowed(key) if !self.elsewhere.contains(&key) => {
                    return seed
                        .deserialize(de::value::BorrowedStrDeserializer::new(key))
                        .map(Some);
                }
                Key::Owned(key) if !self.elsewhere.contains(&key.as_str()) => {
                    return seed.deserialize(key.into_deserializer()).map(Some);
                }
                _ => {
                    self.inner.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// An object key: borrowed from the body unless it has escapes.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Input {
        #[serde(rename = "Content", skip_serializing_if = "Option::is_none")]
        content: Option<String>,
        #[serde(rename = "Nested", skip_serializing_if = "Option::is_none")]
        nested: Option<Nested>,
        #[serde(rename = "ConnectionToken", skip_serializing_if = "Option::is_none")]
        connection_token: Option<String>,
    }

    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Nested {
        #[serde(rename = "ConnectionToken", skip_serializing_if = "Option::is_none")]
        connection_token: Option<String>,
    }

    fn input() -> Input {
        Input {
            content: Some("hi".into()),
            nested: Some(Nested {
                connection_token: Some("nested".into()),
            }),
            connection_token: Some("secret".into()),
        }
    }

    #[test]
    fn a_body_leaves_out_the_named_top_level_members_only() {
        let body = json_body_except(&input(), &["ConnectionToken"]).unwrap();
        assert_eq!(
            &body[..],
            br#"{"Content":"hi","Nested":{"ConnectionToken":"nested"}}"#
        );
        // Everything, when nothing travels elsewhere.
        let all = json_body_except(&input(), &[]).unwrap();
        assert_eq!(all, super::super::json_body(&input()).unwrap());
    }

    #[test]
    fn a_parsed_body_ignores_the_named_top_level_keys_escaped_or_not() {
        let body = br#"{"Content":"hi","ConnectionToken":"from the body","Nested":{"ConnectionToken":"kept"}}"#;
        let parsed: Input = parse_json_except(body, &["ConnectionToken"]).unwrap();
        assert_eq!(parsed.connection_token, None);
        assert_eq!(parsed.content.as_deref(), Some("hi"));
        assert_eq!(
            parsed.nested.unwrap().connection_token.as_deref(),
            Some("kept")
        );
        // An escaped key is the same key (and is still dropped), of any type.
        let escaped = br#"{"Connection\u0054oken":[1,{"a":2}],"Cont\u0065nt":"x"}"#;
        let parsed: Input = parse_json_except(escaped, &["ConnectionToken"]).unwrap();
        assert_eq!(parsed.connection_token, None);
        assert_eq!(parsed.content.as_deref(), Some("x"));
        // Without the filter the key would fill the member.
        let unfiltered: Input = super::super::parse_json(body).unwrap();
        assert_eq!(
            unfiltered.connection_token.as_deref(),
            Some("from the body")
        );
    }

    #[test]
    fn a_parsed_body_is_checked_as_parse_json_checks_it() {
        let empty: Input = parse_json_except(b"  ", &["ConnectionToken"]).unwrap();
        assert_eq!(empty, Input::default());
        for bad in [
            &b"{\"Content\":\"x\"} trailing"[..],
            b"[1]",
            b"{\"Content\":5}",
            b"{",
        ] {
            let error = parse_json_except::<Input>(bad, &["ConnectionToken"]).unwrap_err();
            assert!(
                error.starts_with("response body does not match the model"),
                "{error}"
            );
        }
    }

    /// Model names in the serde form; the table gives JSON names, at every depth: in
    /// nested structures, list items, map values, options and union members.
    #[derive(Debug, PartialEq, serde::Serialize)]
    #[serde(rename = "Outer")]
    struct Outer {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Token")]
        token: Option<String>,
        #[serde(rename = "Inner")]
        inner: Option<Inner>,
        #[serde(rename = "Items")]
        items: Vec<Inner>,
        #[serde(rename = "ByKey")]
        by_key: std::collections::BTreeMap<String, Inner>,
        #[serde(rename = "Choice")]
        choice: Choice,
    }

    #[derive(Debug, PartialEq, serde::Serialize)]
    #[serde(rename = "Inner")]
    struct Inner {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Plain")]
        plain: bool,
    }

    #[derive(Debug, PartialEq, serde::Serialize)]
    #[serde(rename = "Choice")]
    enum Choice {
        #[serde(rename = "First")]
        First(Inner),
    }

    const NAMES: JsonNames = JsonNames(&[
        ("Choice", &[("First", "first")]),
        ("Inner", &[("Name", "innerName")]),
        ("Outer", &[("Items", "items"), ("Name", "name")]),
    ]);

    fn outer() -> Outer {
        let inner = || Inner {
            name: "i".into(),
            plain: true,
        };
        Outer {
            name: "o".into(),
            token: Some("secret".into()),
            inner: Some(inner()),
            items: vec![inner()],
            by_key: [("Name".to_owned(), inner())].into_iter().collect(),
            choice: Choice::First(inner()),
        }
    }

    #[test]
    fn requests_use_json_names_at_every_depth_and_leave_out_what_travels_elsewhere() {
        let body = json_body_renamed(&outer(), &["Token"], &NAMES).unwrap();
        let inner = r#"{"innerName":"i","Plain":true}"#;
        let expected = format!(
            r#"{{"name":"o","Inner":{inner},"items":[{inner}],"ByKey":{{"Name":{inner}}},"Choice":{{"first":{inner}}}}}"#
        );
        assert_eq!(std::str::from_utf8(&body).unwrap(), expected);
        // The serde form keeps model names (and every member).
        let form = serde_json::to_string(&outer()).unwrap();
        assert!(
            form.starts_with(r#"{"Name":"o","Token":"secret","Inner":{"Name":"i""#),
            "{form}"
        );
    }

    #[test]
    fn a_member_left_out_is_named_by_its_model_name_even_when_another_takes_it_as_json_name() {
        // `Name` goes out as "Token"; the member named `Token` travels elsewhere.
        const NAME_AS_TOKEN: JsonNames = JsonNames(&[("Outer", &[("Name", "Token")])]);
        let body = json_body_renamed(&outer(), &["Token"], &NAME_AS_TOKEN).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["Token"], "o");
        assert!(body.get("Name").is_none(), "{body}");
    }

    #[test]
    fn a_structure_the_table_does_not_know_keeps_its_names() {
        assert_eq!(NAMES.of("Outer", "Name"), "name");
        assert_eq!(NAMES.of("Outer", "Token"), "Token");
        assert_eq!(NAMES.of("Unknown", "Name"), "Name");
        assert_eq!(JsonNames::NONE.of("Outer", "Name"), "Name");
    }
}
