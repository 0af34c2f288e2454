//! Files through streams in the preopened directory `/data` (empty at start), what
//! wasmtime's p3 filesystem programs check, in this project's own code: a write at an
//! offset past the end (the gap reads as zeros); a 64 KiB write, read back whole and from
//! near its end; writes of 16 B doubling to 1 MiB on one stream; a write through a
//! read-only descriptor (the call fails, the host drops the stream, the writer gets its
//! bytes back); a read stream dropped with most of the file unread; a directory of 300
//! files listed through `read-directory`. Each write runs concurrently with its
//! `write-via-stream` call (`join!`). Leaves `sparse.txt`.
use core::future::IntoFuture;
use p3util::outln;
use wasip3::filesystem::preopens;
use wasip3::filesystem::types::{
    Descriptor, DescriptorFlags, DescriptorType, ErrorCode, OpenFlags, PathFlags,
};
use wasip3::wit_stream;

const RW: DescriptorFlags = DescriptorFlags::READ.union(DescriptorFlags::WRITE);

async fn open(dir: &Descriptor, path: &str, open: OpenFlags, flags: DescriptorFlags) -> Descriptor {
    dir.open_at(PathFlags::empty(), path.to_string(), open, flags)
        .await
        .unwrap_or_else(|e| panic!("open {path}: {e:?}"))
}

/// Writes `chunks` through one stream at `offset`; returns the call's result and the
/// bytes the stream did not take.
async fn write(
    file: &Descriptor,
    offset: u64,
    chunks: Vec<Vec<u8>>,
) -> (Result<(), ErrorCode>, usize) {
    let (mut tx, rx) = wit_stream::new();
    let (result, rest) = futures::join!(
        file.write_via_stream(rx, offset).into_future(),
        async move {
            let mut rest = 0;
            for chunk in chunks {
                rest += tx.write_all(chunk).await.len();
            }
            rest
        }
    );
    (result, rest)
}

async fn read(file: &Descriptor, offset: u64) -> Vec<u8> {
    let (rx, result) = file.read_via_stream(offset);
    let bytes = rx.collect().await;
    result.await.expect("read-via-stream");
    bytes
}

async fn entries(dir: &Descriptor) -> Vec<(String, DescriptorType)> {
    let (rx, result) = dir.read_directory();
    let mut list: Vec<_> = rx
        .collect()
        .await
        .into_iter()
        .map(|e| (e.name, e.type_))
        .collect();
    result.await.expect("read-directory");
    list.sort_by(|a, b| a.0.cmp(&b.0));
    list
}

/// `len` bytes of a pattern that does not repeat every power of two, from `offset`.
fn pattern(offset: usize, len: usize) -> Vec<u8> {
    (offset..offset + len).map(|i| (i % 251) as u8).collect()
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let dirs = preopens::get_directories();
        let (data, _) = dirs
            .iter()
            .find(|(_, p)| p == "/data")
            .expect("preopen /data");

        let (_, not_a_file) = data.read_via_stream(0);
        outln!("read the directory as a file: {:?}", not_a_file.await);

        let sparse = open(data, "sparse.txt", OpenFlags::CREATE, RW).await;
        let (result, rest) = write(&sparse, 5, vec![b"Hello, ".to_vec(), b"World!".to_vec()]).await;
        assert!(result.is_ok() && rest == 0, "{result:?} {rest}");
        outln!(
            "sparse: {:?}",
            String::from_utf8_lossy(&read(&sparse, 0).await)
        );
        outln!(
            "from 5: {:?}",
            String::from_utf8_lossy(&read(&sparse, 5).await)
        );
        drop(sparse);

        let content: Vec<u8> = (0..4096)
            .flat_map(|n| format!("123456789 {n:05} ").into_bytes())
            .collect();
        let long = open(data, "long.txt", OpenFlags::CREATE, DescriptorFlags::WRITE).await;
        let (result, rest) = write(&long, 0, vec![content.clone()]).await;
        assert!(result.is_ok() && rest == 0, "{result:?} {rest}");
        outln!(
            "64 KiB write: size {}",
            long.stat().await.expect("stat").size
        );
        drop(long);
        let long = open(data, "long.txt", OpenFlags::empty(), DescriptorFlags::READ).await;
        let whole = read(&long, 0).await;
        let tail = read(&long, content.len() as u64 - 100).await;
        outln!(
            "read back: equal {}, last 100 equal {}",
            whole == content,
            tail == content[content.len() - 100..]
        );

        // A read stream dropped early, with its result future: the host stops.
        let (mut rx, result) = long.read_via_stream(0);
        let (status, first) = rx.read(Vec::with_capacity(100)).await;
        drop(rx);
        drop(result);
        let some = matches!(status, wasip3::wit_bindgen::StreamResult::Complete(1..=100))
            && first[..] == content[..first.len()];
        outln!("dropped a read stream after reading 1 to 100 bytes of it: {some}");
        drop(long);

        let (result, rest) = {
            let ro = open(data, "long.txt", OpenFlags::empty(), DescriptorFlags::READ).await;
            write(&ro, 0, vec![b"x".to_vec()]).await
        };
        let refused = matches!(
            result,
            Err(ErrorCode::Access | ErrorCode::BadDescriptor | ErrorCode::NotPermitted)
        );
        outln!("write through a read-only descriptor fails: {refused}, {rest} byte back");
        data.unlink_file_at("long.txt".to_string())
            .await
            .expect("unlink long.txt");

        let chunked = open(data, "chunked.bin", OpenFlags::CREATE, RW).await;
        let (mut pos, mut chunks) = (0, Vec::new());
        let mut len = 16;
        while len <= 1 << 20 {
            chunks.push(pattern(pos, len));
            pos += len;
            len *= 2;
        }
        let count = chunks.len();
        let (result, rest) = write(&chunked, 0, chunks).await;
        assert!(result.is_ok() && rest == 0, "{result:?} {rest}");
        let back = read(&chunked, 0).await;
        outln!(
            "{count} writes of 16 B to 1 MiB: {} bytes, equal {}",
            back.len(),
            back == pattern(0, pos)
        );
        drop(chunked);
        data.unlink_file_at("chunked.bin".to_string())
            .await
            .expect("unlink chunked.bin");

        data.create_directory_at("many".to_string())
            .await
            .expect("mkdir many");
        let many = open(
            data,
            "many",
            OpenFlags::DIRECTORY,
            DescriptorFlags::READ | DescriptorFlags::MUTATE_DIRECTORY,
        )
        .await;
        outln!("empty directory: {} entries", entries(&many).await.len());
        for i in 0..300 {
            drop(
                open(
                    &many,
                    &format!("file.{i}"),
                    OpenFlags::CREATE,
                    DescriptorFlags::WRITE,
                )
                .await,
            );
        }
        many.create_directory_at("sub".to_string())
            .await
            .expect("mkdir sub");
        let list = entries(&many).await;
        let files = list
            .iter()
            .filter(|(_, t)| matches!(t, DescriptorType::RegularFile))
            .count();
        let dirs: Vec<_> = list
            .iter()
            .filter(|(_, t)| matches!(t, DescriptorType::Directory))
            .map(|(n, _)| n.as_str())
            .collect();
        outln!(
            "{} entries: {files} files, directories {dirs:?}",
            list.len()
        );
        for i in 0..300 {
            many.unlink_file_at(format!("file.{i}"))
                .await
                .expect("unlink");
        }
        many.remove_directory_at("sub".to_string())
            .await
            .expect("rmdir sub");
        drop(many);
        data.remove_directory_at("many".to_string())
            .await
            .expect("rmdir many");
        outln!(
            "left: {:?}",
            entries(data)
                .await
                .into_iter()
                .map(|(n, _)| n)
                .collect::<Vec<_>>()
        );
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
