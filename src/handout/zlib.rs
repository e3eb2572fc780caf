//! Zlib compression of PDF streams: one compressor per thread, reset
//! between streams (a new one costs more to allocate and zero than
//! compressing a page does).

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

/// Fast, and within a few per cent of the best level on these streams.
const LEVEL: u32 = 3;

/// `data` zlib-compressed, when that makes it smaller.
pub(crate) fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    thread_local! {
        static ZLIB: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(LEVEL), true));
    }
    ZLIB.with_borrow_mut(|z| {
        z.reset();
        let mut packed = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let read = usize::try_from(z.total_in()).ok()?;
            match z
                .compress_vec(data.get(read..)?, &mut packed, FlushCompress::Finish)
                .ok()?
            {
                Status::StreamEnd => break,
                Status::Ok | Status::BufError => packed.reserve(packed.capacity().max(64)),
            }
        }
        (packed.len() + 20 < data.len()).then_some(packed)
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn what_is_packed_unpacks_to_itself_and_reuse_does_not_leak_between_streams() {
        let page = "BT /F1 10 Tf 72 700 Td <0041> Tj ET\n".repeat(200);
        let first = deflate(page.as_bytes()).expect("compresses");
        let other = deflate(&[7u8; 5000]).expect("compresses");
        let again = deflate(page.as_bytes()).expect("compresses");
        assert_eq!(first, again, "the same stream packs the same after another");
        for (packed, plain) in [(&first, page.as_bytes()), (&other, &[7u8; 5000][..])] {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(packed.as_slice())
                .read_to_end(&mut out)
                .expect("valid zlib");
            assert_eq!(out, plain);
        }
        assert_eq!(deflate(b"short"), None, "not worth packing");
    }
}
