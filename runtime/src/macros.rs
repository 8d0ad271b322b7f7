//! Macros generated code calls where every type of a kind has the same methods: a
//! builder's three methods per member, and an open enum's conversions. They carry the
//! shape of that code once, here; the generated call names everything that varies (the
//! plan decides the names), so a generated file reads as a table of what is particular
//! to its service.

/// The builder methods of one member, inside the builder's `impl` (whose structure is in
/// its `inner` field): `field(..)`, `set_field(Option<..>)` and `get_field()`, each
/// documented with a link to the structure's getter (`"Owner::field"`, where the member is
/// documented). One arm per kind of member:
///
/// ```text
/// builder_member!(value content(String), set_content, get_content, "Input::content");
/// builder_member!(list items(types::Item), set_items, get_items, "Output::items");
/// builder_member!(map tags(String => String), set_tags, get_tags, "Thing::tags");
/// builder_member!(boxed next(types::Node), set_next, get_next, "Node::next");
/// ```
///
/// A trailing `, required` says so in the first method's docs; leading attributes
/// (`#[deprecated]`) go on all three.
#[doc(hidden)]
#[macro_export]
macro_rules! builder_member {
    ($(#[$a:meta])* value $f:ident($t:ty), $set:ident, $get:ident, $link:literal $(, $r:ident)?) => {
        #[doc = concat!(" Sets [`", stringify!($f), "`](", $link, ").")]
        $(#[doc = ""] #[doc = concat!(" This member is ", stringify!($r), ".")])? $(#[$a])*
        pub fn $f(mut self, input: impl Into<$t>) -> Self { self.inner.$f = Some(input.into()); self }
        $crate::builder_member!(@set_get [$(#[$a])*] $f: $t, $set, $get, $link);
    };
    ($(#[$a:meta])* list $f:ident($t:ty), $set:ident, $get:ident, $link:literal $(, $r:ident)?) => {
        #[doc = concat!(" Appends an item to [`", stringify!($f), "`](", $link, ").")]
        $(#[doc = ""] #[doc = concat!(" This member is ", stringify!($r), ".")])? $(#[$a])*
        pub fn $f(mut self, item: impl Into<$t>) -> Self {
            self.inner.$f.get_or_insert_with(Vec::new).push(item.into());
            self
        }
        $crate::builder_member!(@set_get [$(#[$a])*] $f: Vec<$t>, $set, $get, $link);
    };
    ($(#[$a:meta])* map $f:ident($k:ty => $v:ty), $set:ident, $get:ident, $link:literal $(, $r:ident)?) => {
        #[doc = concat!(" Inserts an entry into [`", stringify!($f), "`](", $link, ").")]
        $(#[doc = ""] #[doc = concat!(" This member is ", stringify!($r), ".")])? $(#[$a])*
        pub fn $f(mut self, key: impl Into<$k>, value: impl Into<$v>) -> Self {
            self.inner.$f.get_or_insert_with(Default::default).insert(key.into(), value.into());
            self
        }
        $crate::builder_member!(@set_get [$(#[$a])*] $f: std::collections::HashMap<$k, $v>, $set, $get, $link);
    };
    ($(#[$a:meta])* boxed $f:ident($t:ty), $set:ident, $get:ident, $link:literal $(, $r:ident)?) => {
        #[doc = concat!(" Sets [`", stringify!($f), "`](", $link, ").")]
        $(#[doc = ""] #[doc = concat!(" This member is ", stringify!($r), ".")])? $(#[$a])*
        pub fn $f(mut self, input: impl Into<$t>) -> Self { self.inner.$f = Some(Box::new(input.into())); self }
        $crate::builder_member!(@set_get [$(#[$a])*] $f: Box<$t>, $set, $get, $link);
    };
    (@set_get [$(#[$a:meta])*] $f:ident: $stored:ty, $set:ident, $get:ident, $link:literal) => {
        #[doc = concat!(" Sets or clears [`", stringify!($f), "`](", $link, ").")] $(#[$a])*
        pub fn $set(mut self, input: Option<$stored>) -> Self { self.inner.$f = input; self }
        #[doc = concat!(" Returns [`", stringify!($f), "`](", $link, ") as set so far.")] $(#[$a])*
        pub fn $get(&self) -> &Option<$stored> { &self.inner.$f }
    };
}

/// The methods and conversions of an open enum `Name` (declared by the generated code,
/// with an `Unknown(String)` variant), from its table of variants and wire values:
///
/// ```text
/// open_enum!(ChatItemType { Typing("TYPING"), Message("MESSAGE") });
/// ```
///
/// gives `as_str`, `is_unknown`, `values`, `From<&str>`, `From<String>`, `FromStr`
/// (infallible: an unlisted value is `Unknown`), `AsRef<str>`, `Display`, and the wire's
/// [`ToJson`](crate::wire::ToJson) and [`FromJson`](crate::wire::FromJson) (its string
/// value).
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $($variant:ident($value:literal)),* $(,)? }) => {
        impl $name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }

            /// Whether this is a value the model does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            /// Every value the model lists, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[$($value),*]
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::wire::ToJson for $name {
            fn to_json<S: $crate::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::wire::FromJson<'de> for $name {
            fn from_json<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::wire::open_enum(deserializer)
            }
        }
    };
}

/// serde for an open enum declared with [`open_enum!`], for the generated crate's
/// `serde` feature: `Serialize` writes its string value, `Deserialize` reads one (a value
/// the model does not list becomes `Unknown`). The wire does not use it (see
/// [`crate::wire`]).
///
/// ```text
/// #[cfg(feature = "serde")]
/// open_enum_serde!(ChatItemType);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum_serde {
    ($name:ident) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                $crate::wire::open_enum(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[derive(Debug, Default, Clone, PartialEq)]
    pub struct Owner {
        pub(crate) text: Option<String>,
        pub(crate) items: Option<Vec<String>>,
        pub(crate) tags: Option<HashMap<String, i32>>,
        pub(crate) next: Option<Box<Owner>>,
        pub(crate) r#type: Option<String>,
        pub(crate) old: Option<bool>,
    }

    impl Owner {
        pub fn text(&self) -> Option<&str> {
            self.text.as_deref()
        }
        pub fn r#type(&self) -> Option<&str> {
            self.r#type.as_deref()
        }
    }

    #[derive(Default)]
    pub struct OwnerBuilder {
        inner: Owner,
    }

    impl OwnerBuilder {
        builder_member!(value text(String), set_text, get_text, "Owner::text", required);
        builder_member!(list items(String), set_items, get_items, "Owner::items");
        builder_member!(map tags(String => i32), set_tags, get_tags, "Owner::tags");
        builder_member!(boxed next(Owner), set_next, get_next, "Owner::next");
        builder_member!(value r#type(String), set_type, get_type, "Owner::type");
        builder_member!(
            #[deprecated(note = "gone")]
            value old(bool),
            set_old,
            get_old,
            "Owner::old"
        );
    }

    #[test]
    fn builder_member_sets_appends_inserts_and_boxes() {
        let builder = OwnerBuilder::default()
            .text("hi")
            .items("a")
            .items(String::from("b"))
            .tags("x", 1)
            .tags("y", 2)
            .next(Owner::default())
            .r#type("t");
        assert_eq!(builder.get_text().as_deref(), Some("hi"));
        assert_eq!(
            builder.get_items().as_deref(),
            Some(&["a".to_owned(), "b".to_owned()][..])
        );
        assert_eq!(builder.get_tags().as_ref().map(HashMap::len), Some(2));
        assert_eq!(builder.get_next().as_deref(), Some(&Owner::default()));
        assert_eq!(builder.get_type().as_deref(), Some("t"));
        let cleared = builder.set_text(None).set_items(Some(vec![]));
        assert_eq!(cleared.get_text(), &None);
        assert_eq!(cleared.get_items().as_deref(), Some(&[][..]));
        assert_eq!(cleared.inner.r#type(), Some("t"));
        assert_eq!(cleared.inner.text(), None);
        let cleared = cleared.set_tags(None).set_next(None).set_type(None);
        assert_eq!((cleared.get_tags(), cleared.get_next()), (&None, &None));
        assert_eq!(cleared.inner.r#type(), None);
        #[allow(deprecated)]
        let old = OwnerBuilder::default().old(true);
        #[allow(deprecated)]
        let (set, cleared) = (*old.get_old(), *old.set_old(None).get_old());
        assert_eq!((set, cleared), (Some(true), None));
    }

    #[derive(Debug, Clone, PartialEq)]
    pub enum Status {
        Active,
        InProgress,
        Unknown(String),
    }
    open_enum!(Status { Active("ACTIVE"), InProgress("IN_PROGRESS") });

    #[test]
    fn open_enum_converts_both_ways_and_keeps_unknown_values() {
        assert_eq!(Status::from("IN_PROGRESS"), Status::InProgress);
        assert_eq!(Status::InProgress.as_str(), "IN_PROGRESS");
        assert_eq!(
            Status::from(String::from("NEW")),
            Status::Unknown("NEW".to_owned())
        );
        assert!(Status::from("NEW").is_unknown());
        assert!(!Status::Active.is_unknown());
        assert_eq!("ACTIVE".parse::<Status>(), Ok(Status::Active));
        assert_eq!(Status::Unknown("x".into()).to_string(), "x");
        assert_eq!(Status::Active.as_ref(), "ACTIVE");
        assert_eq!(Status::values(), ["ACTIVE", "IN_PROGRESS"]);
    }
}
