//! Descriptions of scene keys, for the JSON Schema `animate schema` prints (editors read
//! it for completion, hover docs and checks while typing).
//!
//! Each table of keys is a `&[Key]` written beside the module that reads the keys:
//! one entry a key, `key("name", Ty::Param, "one-line doc")`, with `.required()` or
//! `.default("toml value")`. Unit tests compare every table with the field names of
//! the serde struct it describes (`probe`, in test builds), so a key added to a struct and not to its
//! table (or the reverse) fails `cargo test`, naming the table.

use serde_json::{json, Map, Value};

/// One key of a scene table.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// The default as a TOML value (`"25"`, `"\"viridis\""`, `"[100, 100]"`), when it
    /// is one; defaults that depend on other things are said in `doc`.
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

/// A key that may be left out, with no default value to show.
pub const fn key(name: &'static str, ty: Ty, doc: &'static str) -> Key {
    Key {
        name,
        ty,
        required: false,
        default: None,
        doc,
    }
}

impl Key {
    /// The key must be given.
    pub const fn required(mut self) -> Key {
        self.required = true;
        self
    }

    /// The value used when the key is left out, written as TOML.
    pub const fn default(mut self, toml: &'static str) -> Key {
        self.default = Some(toml);
        self
    }
}

/// What a key accepts. Values that take a number, an expression or a duration string
/// are typed loosely (number or string): the scene loader gives the precise error.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// A number.
    Number,
    /// A whole number.
    Int,
    Bool,
    /// Free text.
    Str,
    /// A file path, relative to the scene file.
    Path,
    /// The name of a `[clip.NAME]`.
    Clip,
    /// A number, an expression string or keyframes `{ keys, ease }`: every value that
    /// may change over time, and durations.
    Param,
    /// A colour: a CSS name, `"#rrggbb[aa]"`, `[r, g, b(, a)]`, `"transparent"`.
    Color,
    /// A colour or colour keyframes.
    AnimColor,
    /// `[a, b]`, each a number, an expression or keyframes (sizes, ranges).
    Pair,
    /// A clip's size: `[width, height]` (each a [`Ty::Param`]), or `{ clip = "name" }`.
    Size,
    /// A layer position: a keyword, or `[x, y]` of pixels, percentages or keywords.
    Position,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A list of values of one type.
    List(&'static Ty),
    /// A table of these keys, no others.
    Table(&'static [Key]),
    /// A table of names the user chooses, each with a value of one type (a
    /// `class_colors`, a simulation's `init`).
    Map(&'static Ty),
    /// Any of these types.
    Either(&'static [Ty]),
    /// No value: the arguments of an effect that takes none, `{}` or `[]`.
    Nothing,
}

/// One effect of an `effects` list: `{ name = argument }`, or the bare `"name"`.
#[derive(Debug, Clone, Copy)]
pub struct Effect {
    pub name: &'static str,
    /// What `{ name = … }` takes.
    pub arg: Ty,
    /// The effect may be written as a bare `"name"` (its arguments are all optional).
    pub bare: bool,
    pub doc: &'static str,
}

/// An effect that needs its argument.
pub const fn effect(name: &'static str, arg: Ty, doc: &'static str) -> Effect {
    Effect {
        name,
        arg,
        bare: false,
        doc,
    }
}

/// An effect without arguments, written as a bare `"name"`.
pub const fn plain(name: &'static str, doc: &'static str) -> Effect {
    Effect {
        name,
        arg: Ty::Nothing,
        bare: true,
        doc,
    }
}

impl Effect {
    /// The effect may also be written as a bare `"name"`, its arguments defaulted.
    pub const fn or_bare(mut self) -> Effect {
        self.bare = true;
        self
    }
}

/// Where shared definitions live in the document (`#/definitions/NAME`).
const DEFS: &str = "#/definitions/";

/// The definitions [`Ty::json`] refers to, to be put under `definitions`.
pub fn definitions() -> Map<String, Value> {
    let keyframes = |value: Value, what: &str| {
        json!({
            "type": "object",
            "description": format!("keyframes: {what} at given times, eased between"),
            "properties": {
                "keys": {
                    "type": "array",
                    "minItems": 1,
                    "description": "[time, value] or [time, value, \"easing\"] pairs, in time order",
                    "items": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 3,
                        "items": [{ "type": ["number", "string"] }, value, { "type": "string" }]
                    }
                },
                "ease": { "type": "string", "description": "the easing of every segment without its own (default \"linear\")" }
            },
            "required": ["keys"],
            "additionalProperties": false
        })
    };
    let mut defs = Map::new();
    defs.insert(
        "param".into(),
        json!({
            "description": "a number, an expression of t (a string) or keyframes",
            "anyOf": [
                { "type": ["number", "string"] },
                keyframes(json!({ "type": ["number", "string"] }), "numbers")
            ]
        }),
    );
    defs.insert(
        "color".into(),
        json!({
            "description": "a CSS name, \"#rrggbb\", \"#rrggbbaa\", [r, g, b], [r, g, b, a] (0–255) or \"transparent\"",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "array",
                    "minItems": 3,
                    "maxItems": 4,
                    "items": { "type": "integer", "minimum": 0, "maximum": 255 }
                }
            ]
        }),
    );
    defs.insert(
        "anim_color".into(),
        json!({
            "description": "a colour or colour keyframes",
            "anyOf": [
                { "$ref": format!("{DEFS}color") },
                keyframes(json!({ "$ref": format!("{DEFS}color") }), "colours")
            ]
        }),
    );
    defs.insert(
        "pair".into(),
        json!({
            "type": "array",
            "minItems": 2,
            "maxItems": 2,
            "items": { "$ref": format!("{DEFS}param") }
        }),
    );
    defs.insert(
        "size".into(),
        json!({
            "description": "[width, height] in pixels, or { clip = \"name\" } for another clip's size",
            "anyOf": [
                { "$ref": format!("{DEFS}pair") },
                {
                    "type": "object",
                    "properties": { "clip": { "type": "string", "description": "the clip whose size this is" } },
                    "required": ["clip"],
                    "additionalProperties": false
                }
            ]
        }),
    );
    defs.insert(
        "position".into(),
        json!({
            "description": "\"center\", \"top\", \"left\", …, or [x, y] of pixels, percentages (\"25%\"), keywords or animated values",
            "anyOf": [
                { "type": "string" },
                { "$ref": format!("{DEFS}pair") }
            ]
        }),
    );
    defs
}

impl Ty {
    /// The JSON Schema of a value of this type.
    pub fn json(&self) -> Value {
        let def = |name: &str| json!({ "$ref": format!("{DEFS}{name}") });
        match self {
            Ty::Number => json!({ "type": "number" }),
            Ty::Int => json!({ "type": "integer" }),
            Ty::Bool => json!({ "type": "boolean" }),
            Ty::Str | Ty::Path | Ty::Clip => json!({ "type": "string" }),
            Ty::Param => def("param"),
            Ty::Color => def("color"),
            Ty::AnimColor => def("anim_color"),
            Ty::Pair => def("pair"),
            Ty::Size => def("size"),
            Ty::Position => def("position"),
            Ty::OneOf(names) => json!({ "type": "string", "enum": names }),
            Ty::List(item) => json!({ "type": "array", "items": item.json() }),
            Ty::Table(keys) => table(keys, &[]),
            Ty::Map(value) => json!({ "type": "object", "additionalProperties": value.json() }),
            Ty::Either(tys) => json!({ "anyOf": tys.iter().map(Ty::json).collect::<Vec<_>>() }),
            Ty::Nothing => {
                json!({ "type": ["object", "array"], "maxProperties": 0, "maxItems": 0 })
            }
        }
    }
}

/// A closed table: these keys, with `extra` properties (already in schema form) first.
pub fn table(keys: &[Key], extra: &[(&str, Value)]) -> Value {
    let mut props = Map::new();
    for (name, schema) in extra {
        props.insert((*name).to_string(), schema.clone());
    }
    for k in keys {
        props.insert(k.name.to_string(), k.json());
    }
    let required: Vec<&str> = keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    let mut t = json!({
        "type": "object",
        "properties": props,
        "additionalProperties": false
    });
    if !required.is_empty() {
        t["required"] = json!(required);
    }
    t
}

impl Key {
    /// The key's schema with its description (and default, when it is a value).
    pub fn json(&self) -> Value {
        let mut v = self.ty.json();
        // `allOf` keeps the description beside a `$ref`, which draft 7 would ignore.
        if v.get("$ref").is_some() {
            v = json!({ "allOf": [v] });
        }
        let mut doc = self.doc.to_string();
        if let Some(d) = self.default {
            match toml_value(d) {
                Some(value) => v["default"] = value,
                None => doc = format!("{doc} (default: {d})"),
            }
        }
        v["description"] = Value::String(doc);
        v
    }
}

/// A TOML value written alone (`25`, `"viridis"`, `[1, 1, 1]`) as JSON.
pub fn toml_value(text: &str) -> Option<Value> {
    let table: toml::Table = toml::from_str(&format!("v = {text}")).ok()?;
    serde_json::to_value(table.get("v")?).ok()
}

/// Reading the field names a serde struct (or the variant names an enum) accepts,
/// without a value: tests compare them with the key tables.
#[cfg(test)]
pub mod probe {
    use serde::de::{self, Deserialize, Deserializer, Visitor};
    use std::cell::RefCell;

    thread_local! {
        static SEEN: RefCell<Option<&'static [&'static str]>> = const { RefCell::new(None) };
    }

    /// A deserializer that records the names a struct or an enum asks for, then fails.
    pub struct Probe;

    #[derive(Debug)]
    pub struct Stop;

    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("probe")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    impl<'de> Deserializer<'de> for Probe {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            SEEN.with(|s| *s.borrow_mut() = Some(fields));
            Err(Stop)
        }
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _: &'static str,
            variants: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            SEEN.with(|s| *s.borrow_mut() = Some(variants));
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            identifier ignored_any
        }
    }

    /// The names `T`'s derived `Deserialize` accepts: a struct's fields, an enum's
    /// variants. Panics for a type whose reading names none (a hand-written one).
    pub fn names<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
        SEEN.with(|s| *s.borrow_mut() = None);
        let _ = T::deserialize(Probe);
        SEEN.with(|s| s.borrow_mut().take())
            .unwrap_or_else(|| panic!("{} names no fields", std::any::type_name::<T>()))
            .to_vec()
    }

    /// The variant names of an enum using `#[serde(remote = "Self")]`, read through its
    /// derived function.
    pub fn names_with<T>(read: fn(Probe) -> Result<T, Stop>) -> Vec<&'static str> {
        SEEN.with(|s| *s.borrow_mut() = None);
        let _ = read(Probe);
        SEEN.with(|s| s.borrow_mut().take())
            .expect("the reading names no variants")
            .to_vec()
    }

    /// The key names of a table, in order.
    pub fn keys(keys: &[super::Key]) -> Vec<&'static str> {
        keys.iter().map(|k| k.name).collect()
    }

    /// Fails naming `what` when the table's keys and the struct's fields differ.
    pub fn same(what: &str, table: &[super::Key], fields: Vec<&'static str>) {
        let mut have = keys(table);
        let mut want = fields;
        have.sort_unstable();
        want.sort_unstable();
        let missing: Vec<_> = want.iter().filter(|f| !have.contains(f)).collect();
        let extra: Vec<_> = have.iter().filter(|f| !want.contains(f)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{what}: keys read but not in its schema table: {missing:?}; in the table but not read: {extra:?}"
        );
    }

    /// Fails naming `what` when a name serde reads is not in the schema's list (the
    /// list may hold more: aliases, which serde does not name).
    pub fn listed(what: &str, listed: &[&str], read: Vec<&'static str>) {
        let missing: Vec<_> = read.iter().filter(|n| !listed.contains(n)).collect();
        assert!(
            missing.is_empty(),
            "{what}: read but not in its schema list: {missing:?}"
        );
    }
}
