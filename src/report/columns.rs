//! Columns of result rows. Two kinds of row reach a CSV file:
//!
//! - rows with fixed columns (`TickRow`, `DistrictRow`, `ComparisonRow`) derive `Serialize` and
//!   go through [`super::csv_bytes`];
//! - rows whose columns depend on the experiment (a sweep's parameters, every metric of a
//!   compare run) implement [`Record`]: the experiment's schema names the columns, the row gives
//!   its fields. Numbers are printed in Rust's shortest round-trip form, so reading a field back
//!   gives the same `f64`.
//!
//! The list of whole-map metrics is not written down anywhere: [`tick_metrics`] reads it from
//! `TickRow`'s own `Serialize` implementation (every numeric field but `tick`, in field order),
//! so a metric added to the row reaches every output without another list to update.

use crate::metrics::TickRow;
use serde::Serialize;
use serde::ser::{self, Impossible};

/// A row whose columns are known only at run time.
pub trait Record {
    /// What names the columns (e.g. the sweep, for its parameter paths).
    type Schema: ?Sized;
    /// The header line's fields.
    fn header(schema: &Self::Schema) -> Vec<String>;
    /// This row's fields, in header order.
    fn fields(&self, schema: &Self::Schema) -> Vec<String>;
}

/// One CSV line (with its `\n`) of `fields`, quoted where a field needs it.
pub fn csv_line<S: AsRef<[u8]>>(fields: &[S]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to memory cannot fail, and the fields are UTF-8 strings.
    w.write_record(fields).expect("in-memory CSV write");
    String::from_utf8(w.into_inner().expect("in-memory CSV flush")).expect("UTF-8 fields")
}

/// A CSV file of records: the schema's header, then one line per row.
pub fn records_csv<'r, R: Record + 'r>(
    schema: &R::Schema,
    rows: impl IntoIterator<Item = &'r R>,
) -> Vec<u8> {
    let mut out = csv_line(&R::header(schema));
    for row in rows {
        out.push_str(&csv_line(&row.fields(schema)));
    }
    out.into_bytes()
}

/// A summary column in words, for chart titles: `mean_stability` → "stability (mean over the
/// run)", `final_trust` → "trust (at the end)".
pub fn summary_label(name: &str) -> String {
    match name.split_once('_') {
        Some(("mean", m)) => format!("{} (mean over the run)", m.replace('_', " ")),
        Some(("final", m)) => format!("{} (at the end)", m.replace('_', " ")),
        _ => name.to_string(),
    }
}

/// The whole-map metrics of a tick row as (name, value) pairs, in CSV column order.
pub fn tick_metrics(row: &TickRow) -> Vec<(&'static str, f64)> {
    let mut fields = numeric_fields(row);
    fields.retain(|(name, _)| *name != "tick");
    fields
}

/// The numeric fields of a struct, by name, in declaration order (other fields are skipped).
pub fn numeric_fields<T: Serialize>(row: &T) -> Vec<(&'static str, f64)> {
    let mut fields = Fields(Vec::new());
    // Only a struct that serializes as something other than a struct can fail here.
    row.serialize(&mut fields)
        .expect("a result row is a struct of plain fields");
    fields.0
}

#[derive(Debug)]
struct NotARow(String);
impl std::fmt::Display for NotARow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for NotARow {}
impl ser::Error for NotARow {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        NotARow(msg.to_string())
    }
}

struct Fields(Vec<(&'static str, f64)>);

impl ser::SerializeStruct for &mut Fields {
    type Ok = ();
    type Error = NotARow;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NotARow> {
        if let Some(v) = value.serialize(Number)? {
            self.0.push((key, v));
        }
        Ok(())
    }
    fn end(self) -> Result<(), NotARow> {
        Ok(())
    }
}

fn not_a_struct<T>() -> Result<T, NotARow> {
    Err(NotARow("not a struct".into()))
}

impl<'a> ser::Serializer for &'a mut Fields {
    type Ok = ();
    type Error = NotARow;
    type SerializeSeq = Impossible<(), NotARow>;
    type SerializeTuple = Impossible<(), NotARow>;
    type SerializeTupleStruct = Impossible<(), NotARow>;
    type SerializeTupleVariant = Impossible<(), NotARow>;
    type SerializeMap = Impossible<(), NotARow>;
    type SerializeStruct = &'a mut Fields;
    type SerializeStructVariant = Impossible<(), NotARow>;
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NotARow> {
        Ok(self)
    }
    fn serialize_bool(self, _: bool) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_i8(self, _: i8) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_i16(self, _: i16) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_i32(self, _: i32) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_i64(self, _: i64) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_u8(self, _: u8) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_u16(self, _: u16) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_u32(self, _: u32) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_u64(self, _: u64) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_f32(self, _: f32) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_f64(self, _: f64) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_char(self, _: char) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_str(self, _: &str) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_none(self) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_unit(self) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), NotARow> {
        not_a_struct()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotARow> {
        not_a_struct()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotARow> {
        not_a_struct()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotARow> {
        not_a_struct()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotARow> {
        not_a_struct()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotARow> {
        not_a_struct()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotARow> {
        not_a_struct()
    }
}

/// A field's value as a number, or `None` for a non-numeric field.
struct Number;

impl ser::Serializer for Number {
    type Ok = Option<f64>;
    type Error = NotARow;
    type SerializeSeq = Impossible<Option<f64>, NotARow>;
    type SerializeTuple = Impossible<Option<f64>, NotARow>;
    type SerializeTupleStruct = Impossible<Option<f64>, NotARow>;
    type SerializeTupleVariant = Impossible<Option<f64>, NotARow>;
    type SerializeMap = Impossible<Option<f64>, NotARow>;
    type SerializeStruct = Impossible<Option<f64>, NotARow>;
    type SerializeStructVariant = Impossible<Option<f64>, NotARow>;
    fn serialize_bool(self, _: bool) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_i8(self, v: i8) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_i16(self, v: i16) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_i32(self, v: i32) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_i64(self, v: i64) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_u8(self, v: u8) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_u16(self, v: u16) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_u32(self, v: u32) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_u64(self, v: u64) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_f32(self, v: f32) -> Result<Option<f64>, NotARow> {
        Ok(Some(v as f64))
    }
    fn serialize_f64(self, v: f64) -> Result<Option<f64>, NotARow> {
        Ok(Some(v))
    }
    fn serialize_char(self, _: char) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_str(self, _: &str) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_none(self) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Option<f64>, NotARow> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Option<f64>, NotARow> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<f64>, NotARow> {
        Ok(None)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotARow> {
        Err(NotARow("a list is not a column".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotARow> {
        Err(NotARow("a tuple is not a column".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotARow> {
        Err(NotARow("a tuple is not a column".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotARow> {
        Err(NotARow("a tuple is not a column".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotARow> {
        Err(NotARow("a map is not a column".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NotARow> {
        Err(NotARow("a nested struct is not a column".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotARow> {
        Err(NotARow("a nested struct is not a column".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_metrics_follow_the_row_fields() {
        let names: Vec<&str> = tick_metrics(&TickRow::default())
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names.first(), Some(&"population"));
        assert_eq!(names.last(), Some(&"births"));
        assert!(!names.contains(&"tick"));
        // Every column of timeseries.csv but `tick` is a metric.
        let header = String::from_utf8(
            super::super::csv_bytes(&[TickRow::default()], std::path::Path::new("t")).unwrap(),
        )
        .unwrap();
        let columns: Vec<&str> = header.lines().next().unwrap().split(',').skip(1).collect();
        assert_eq!(names, columns);
    }
}
