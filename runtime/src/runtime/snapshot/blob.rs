//! A startup snapshot's bytes: V8's blob first (so it keeps whatever
//! alignment the embedder's bytes have), then opwire's part, then a
//! trailer:
//!
//! ```text
//! [V8 blob][records][fingerprint][V8 blob length][records length][fingerprint length]["OPWSNAP1"]
//! ```
//!
//! lengths as little-endian `u64`. The records say where the runtime's
//! V8 values are in the snapshot's context data (the `core.js` hooks, each
//! module and JSON value, each class template) and what the module map
//! knows about each module.

use crate::modules::ModuleType;
use crate::modules::map::Request;

const MAGIC: &[u8; 8] = b"OPWSNAP1";
const TRAILER: usize = 3 * 8 + MAGIC.len();

/// The parts of a snapshot.
#[derive(Debug)]
pub(in crate::runtime) struct Parts<'a> {
    /// What V8 reads.
    pub(in crate::runtime) v8: &'a [u8],
    /// The encoded [`Records`].
    pub(in crate::runtime) records: &'a [u8],
    /// See `fingerprint.rs`.
    pub(in crate::runtime) fingerprint: &'a str,
}

/// Joins the parts of a snapshot.
pub(in crate::runtime) fn join(v8: &[u8], records: &[u8], fingerprint: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(v8.len() + records.len() + fingerprint.len() + TRAILER);
    out.extend_from_slice(v8);
    out.extend_from_slice(records);
    out.extend_from_slice(fingerprint.as_bytes());
    for len in [v8.len(), records.len(), fingerprint.len()] {
        out.extend_from_slice(&(len as u64).to_le_bytes());
    }
    out.extend_from_slice(MAGIC);
    out
}

/// Splits a snapshot into its parts.
///
/// # Errors
///
/// A message if the bytes are not a snapshot `join` made.
pub(in crate::runtime) fn split(blob: &[u8]) -> Result<Parts<'_>, String> {
    let not_one = || {
        format!(
            "these {} bytes are not an opwire startup snapshot (make one with \
             opwire::snapshot::create)",
            blob.len()
        )
    };
    let body = blob.len().checked_sub(TRAILER).ok_or_else(not_one)?;
    let (rest, trailer) = blob.split_at(body);
    if &trailer[24..] != MAGIC {
        return Err(not_one());
    }
    let len = |i: usize| {
        let bytes: [u8; 8] = trailer[i * 8..i * 8 + 8].try_into().unwrap_or_default();
        usize::try_from(u64::from_le_bytes(bytes)).ok()
    };
    let (v8_len, records_len, print_len) = (len(0), len(1), len(2));
    let (Some(v8_len), Some(records_len), Some(print_len)) = (v8_len, records_len, print_len)
    else {
        return Err(not_one());
    };
    if v8_len
        .checked_add(records_len)
        .and_then(|n| n.checked_add(print_len))
        != Some(rest.len())
    {
        return Err(not_one());
    }
    let (v8, rest) = rest.split_at(v8_len);
    let (records, fingerprint) = rest.split_at(records_len);
    let fingerprint = std::str::from_utf8(fingerprint).map_err(|_| not_one())?;
    Ok(Parts {
        v8,
        records,
        fingerprint,
    })
}

/// Where a runtime's V8 values are in the snapshot's context data, and
/// what the module map knows.
#[derive(Default)]
pub(in crate::runtime) struct Records {
    /// The index of `[hooks, statusBuffer]`.
    pub(in crate::runtime) roots: usize,
    /// The compiled modules, in id order.
    pub(in crate::runtime) modules: Vec<ModuleRecord>,
    /// The index of each class's template, in registration order.
    pub(in crate::runtime) classes: Vec<usize>,
}

/// A compiled module.
pub(in crate::runtime) struct ModuleRecord {
    pub(in crate::runtime) url: String,
    pub(in crate::runtime) module_type: ModuleType,
    /// The index of the `v8::Module`.
    pub(in crate::runtime) module: usize,
    /// The index of a JSON module's value.
    pub(in crate::runtime) json: Option<usize>,
    /// Its imports: specifier, URL, type, line and column.
    pub(in crate::runtime) requests: Vec<(String, String, ModuleType, u32, u32)>,
}

impl ModuleRecord {
    /// The record of a module whose imports are `requests`.
    pub(in crate::runtime) fn requests_of(
        requests: &[Request],
    ) -> Vec<(String, String, ModuleType, u32, u32)> {
        requests
            .iter()
            .map(|r| {
                let (url, ty) = &r.key;
                (r.specifier.clone(), url.to_string(), *ty, r.line, r.column)
            })
            .collect()
    }
}

impl Records {
    /// The records as bytes.
    pub(in crate::runtime) fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.num(self.roots);
        w.num(self.modules.len());
        for m in &self.modules {
            w.str(&m.url);
            w.ty(m.module_type);
            w.num(m.module);
            w.num(m.json.map_or(0, |j| j + 1));
            w.num(m.requests.len());
            for (specifier, url, ty, line, column) in &m.requests {
                w.str(specifier);
                w.str(url);
                w.ty(*ty);
                w.num(*line as usize);
                w.num(*column as usize);
            }
        }
        w.num(self.classes.len());
        for &c in &self.classes {
            w.num(c);
        }
        w.0
    }

    /// Reads records `encode` wrote; `None` if they are damaged.
    pub(in crate::runtime) fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader(bytes);
        let roots = r.num()?;
        let mut modules = Vec::new();
        for _ in 0..r.num()? {
            let url = r.str()?;
            let module_type = r.ty()?;
            let module = r.num()?;
            let json = r.num()?.checked_sub(1);
            let mut requests = Vec::new();
            for _ in 0..r.num()? {
                let specifier = r.str()?;
                let url = r.str()?;
                let ty = r.ty()?;
                let line = u32::try_from(r.num()?).ok()?;
                let column = u32::try_from(r.num()?).ok()?;
                requests.push((specifier, url, ty, line, column));
            }
            modules.push(ModuleRecord {
                url,
                module_type,
                module,
                json,
                requests,
            });
        }
        let mut classes = Vec::new();
        for _ in 0..r.num()? {
            classes.push(r.num()?);
        }
        r.0.is_empty().then_some(Self {
            roots,
            modules,
            classes,
        })
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn num(&mut self, n: usize) {
        self.0.extend_from_slice(&(n as u64).to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.num(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn ty(&mut self, ty: ModuleType) {
        self.0.push(match ty {
            ModuleType::JavaScript => 0,
            ModuleType::Json => 1,
        });
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn num(&mut self) -> Option<usize> {
        let bytes: [u8; 8] = self.take(8)?.try_into().ok()?;
        usize::try_from(u64::from_le_bytes(bytes)).ok()
    }

    fn str(&mut self) -> Option<String> {
        let len = self.num()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }

    fn ty(&mut self) -> Option<ModuleType> {
        match self.take(1)? {
            [0] => Some(ModuleType::JavaScript),
            [1] => Some(ModuleType::Json),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ModuleRecord, Records, join, split};
    use crate::modules::ModuleType;

    #[test]
    fn parts_and_records_round_trip_and_other_bytes_are_refused() {
        let records = Records {
            roots: 0,
            modules: vec![ModuleRecord {
                url: "ext:a/mod.js".into(),
                module_type: ModuleType::JavaScript,
                module: 1,
                json: None,
                requests: vec![(
                    "./b.json".into(),
                    "ext:a/b.json".into(),
                    ModuleType::Json,
                    1,
                    20,
                )],
            }],
            classes: vec![2, 3],
        };
        let bytes = join(b"v8 blob", &records.encode(), "opwire 1\n");
        let parts = split(&bytes).unwrap();
        assert_eq!(parts.v8, b"v8 blob");
        assert_eq!(parts.fingerprint, "opwire 1\n");
        let back = Records::decode(parts.records).unwrap();
        assert_eq!(back.classes, [2, 3]);
        assert_eq!(back.modules[0].url, "ext:a/mod.js");
        assert_eq!(back.modules[0].requests[0].2, ModuleType::Json);
        assert_eq!(back.modules[0].requests[0].4, 20);

        let err = split(b"not a snapshot at all, just some bytes").unwrap_err();
        assert!(err.contains("are not an opwire startup snapshot"), "{err}");
        assert!(split(&bytes[1..]).is_err());
        assert!(Records::decode(&parts.records[1..]).is_none());
    }
}
