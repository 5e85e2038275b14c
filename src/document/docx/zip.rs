//! The few lines of ZIP that a `.docx` needs: writing with fixed
//! timestamps in the given order (so the same parts give the same bytes), and
//! reading a reference document (stored or deflated entries).

use std::io::Read;

use flate2::read::DeflateDecoder;
use flate2::{Compress, Compression, FlushCompress, Status};

/// 1 January 1980 00:00, the earliest time ZIP can hold.
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;
/// A part larger than this in a reference document is refused.
const MAX_PART: u64 = 64 * 1024 * 1024;

/// One file of the package; `deflate` false stores it as is (PNG).
pub(super) struct Entry<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
    pub deflate: bool,
}

/// The ZIP archive of the entries, in their order.
pub(super) fn write(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut zip = Writer::new();
    for e in entries {
        zip.add(e.name, e.data, e.deflate);
    }
    zip.finish()
}

/// A ZIP archive written entry by entry: each entry is compressed as it is added,
/// so that a package can be nearly finished before its last parts exist.
pub(super) struct Writer {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
    /// One compressor for every entry: setting one up costs more than a small part.
    compressor: Compress,
}

impl Writer {
    pub(super) fn new() -> Self {
        Writer {
            out: Vec::new(),
            central: Vec::new(),
            count: 0,
            compressor: Compress::new(Compression::fast(), false),
        }
    }

    /// Adds one file; `deflate` false stores it as is (PNG).
    pub(super) fn add(&mut self, name: &str, data: &[u8], deflate: bool) {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let (method, body): (u16, std::borrow::Cow<'_, [u8]>) = if deflate {
            (8, self::deflate(&mut self.compressor, data).into())
        } else {
            (0, data.into())
        };
        let offset = self.out.len() as u32;
        let name = name.as_bytes();
        let fields = |buf: &mut Vec<u8>| {
            put16(buf, 20); // version needed: 2.0
            put16(buf, 0); // flags
            put16(buf, method);
            put16(buf, DOS_TIME);
            put16(buf, DOS_DATE);
            put32(buf, crc.sum());
            put32(buf, body.len() as u32);
            put32(buf, data.len() as u32);
            put16(buf, name.len() as u16);
            put16(buf, 0); // extra field length
        };
        put32(&mut self.out, 0x0403_4b50);
        fields(&mut self.out);
        self.out.extend_from_slice(name);
        self.out.extend_from_slice(&body);

        let central = &mut self.central;
        put32(central, 0x0201_4b50);
        put16(central, 20); // made by: 2.0, MS-DOS attributes
        fields(central);
        put16(central, 0); // comment length
        put16(central, 0); // disk
        put16(central, 0); // internal attributes
        put32(central, 0); // external attributes
        put32(central, offset);
        central.extend_from_slice(name);
        self.count += 1;
    }

    /// The archive: the entries, then their directory.
    pub(super) fn finish(self) -> Vec<u8> {
        let Writer {
            mut out,
            central,
            count,
            ..
        } = self;
        let central_offset = out.len() as u32;
        out.extend_from_slice(&central);
        put32(&mut out, 0x0605_4b50);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, count);
        put16(&mut out, count);
        put32(&mut out, central.len() as u32);
        put32(&mut out, central_offset);
        put16(&mut out, 0);
        out
    }
}

/// Raw deflate of `data`.
fn deflate(compressor: &mut Compress, data: &[u8]) -> Vec<u8> {
    compressor.reset();
    let mut body = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let read = compressor.total_in() as usize;
        let status = compressor
            .compress_vec(&data[read..], &mut body, FlushCompress::Finish)
            .expect("deflating into memory");
        if status == Status::StreamEnd {
            return body;
        }
        body.reserve(body.capacity().max(1024));
    }
}

fn put16(buf: &mut Vec<u8>, v: u16) {
    buf.extend_from_slice(&v.to_le_bytes());
}

fn put32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_le_bytes());
}

fn get16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn get32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// Every file of a ZIP archive, by name, in the order of its directory.
pub(super) fn read(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let too_short = || "not a ZIP archive (a .docx is one)".to_string();
    let search_from = data.len().saturating_sub(22 + 65_535);
    let end = (search_from..data.len().saturating_sub(21))
        .rev()
        .find(|&i| get32(data, i) == Some(0x0605_4b50))
        .ok_or_else(too_short)?;
    let count = get16(data, end + 10).ok_or_else(too_short)? as usize;
    let mut at = get32(data, end + 16).ok_or_else(too_short)? as usize;
    let mut files = Vec::with_capacity(count);
    for _ in 0..count {
        let bad = || "a damaged ZIP directory".to_string();
        if get32(data, at) != Some(0x0201_4b50) {
            return Err(bad());
        }
        let method = get16(data, at + 10).ok_or_else(bad)?;
        let crc = get32(data, at + 16).ok_or_else(bad)?;
        let compressed = get32(data, at + 20).ok_or_else(bad)? as usize;
        let size = get32(data, at + 24).ok_or_else(bad)? as u64;
        let name_len = get16(data, at + 28).ok_or_else(bad)? as usize;
        let extra_len = get16(data, at + 30).ok_or_else(bad)? as usize;
        let comment_len = get16(data, at + 32).ok_or_else(bad)? as usize;
        let local = get32(data, at + 42).ok_or_else(bad)? as usize;
        let name = data.get(at + 46..at + 46 + name_len).ok_or_else(bad)?;
        let name = String::from_utf8_lossy(name).into_owned();
        at += 46 + name_len + extra_len + comment_len;

        let local_name = get16(data, local + 26).ok_or_else(bad)? as usize;
        let local_extra = get16(data, local + 28).ok_or_else(bad)? as usize;
        let start = local + 30 + local_name + local_extra;
        let body = data.get(start..start + compressed).ok_or_else(bad)?;
        if size > MAX_PART {
            return Err(format!("part {name} is too large ({size} bytes)"));
        }
        let content = match method {
            0 => body.to_vec(),
            8 => {
                let mut out = Vec::with_capacity(size as usize);
                DeflateDecoder::new(body)
                    .take(MAX_PART)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("part {name}: {e}"))?;
                out
            }
            other => {
                return Err(format!(
                    "part {name}: unsupported compression method {other}"
                ));
            }
        };
        let mut check = flate2::Crc::new();
        check.update(&content);
        if check.sum() != crc || content.len() as u64 != size {
            return Err(format!("part {name} is damaged (checksum)"));
        }
        files.push((name, content));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        let entries = [
            Entry {
                name: "a.xml",
                data: b"<a>hallo hallo hallo hallo</a>",
                deflate: true,
            },
            Entry {
                name: "media/b.png",
                data: &[0, 1, 2, 3],
                deflate: false,
            },
        ];
        let zip = write(&entries);
        assert_eq!(zip, write(&entries));
        let files = read(&zip).unwrap();
        assert_eq!(files[0], ("a.xml".to_string(), entries[0].data.to_vec()));
        assert_eq!(files[1], ("media/b.png".to_string(), vec![0, 1, 2, 3]));
        assert!(read(b"PK no zip").is_err());
        let mut damaged = zip.clone();
        damaged[40] ^= 0xff;
        assert!(read(&damaged).is_err());
    }
}
