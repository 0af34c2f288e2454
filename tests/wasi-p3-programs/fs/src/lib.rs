//! Works inside the preopened directory `/data` (empty at start) with WASI 0.3
//! filesystem calls: writes a file through `write-via-stream`, reads it back through
//! `read-via-stream`, appends, reads at an offset, makes directories, lists one through
//! `read-directory`, stats, renames, checks error codes, removes. Prints a line per
//! step; any failure panics (a trap, so the run fails).
use p3util::outln;
use wasip3::filesystem::preopens;
use wasip3::filesystem::types::{
    Descriptor, DescriptorFlags, DescriptorType, ErrorCode, OpenFlags, PathFlags,
};
use wasip3::wit_stream;

async fn write(d: &Descriptor, bytes: &[u8], offset: Option<u64>) {
    let (mut tx, rx) = wit_stream::new();
    let done = match offset {
        Some(o) => d.write_via_stream(rx, o),
        None => d.append_via_stream(rx),
    };
    assert!(tx.write_all(bytes.to_vec()).await.is_empty());
    drop(tx);
    done.await.expect("write-via-stream");
}

async fn read(d: &Descriptor, offset: u64) -> Vec<u8> {
    let (rx, done) = d.read_via_stream(offset);
    let bytes = rx.collect().await;
    done.await.expect("read-via-stream");
    bytes
}

async fn open(dir: &Descriptor, path: &str, open: OpenFlags, flags: DescriptorFlags) -> Result<Descriptor, ErrorCode> {
    dir.open_at(PathFlags::SYMLINK_FOLLOW, path.to_string(), open, flags).await
}

async fn list(dir: &Descriptor) -> Vec<String> {
    let (rx, done) = dir.read_directory();
    let entries = rx.collect().await;
    done.await.expect("read-directory");
    let mut names: Vec<String> = entries
        .into_iter()
        .map(|e| match e.type_ {
            DescriptorType::Directory => format!("{}/", e.name),
            _ => e.name,
        })
        .collect();
    names.sort();
    names
}

struct Run;

impl wasip3::exports::cli::run::Guest for Run {
    async fn run() -> Result<(), ()> {
        let dirs = preopens::get_directories();
        let (data, _) = dirs.iter().find(|(_, p)| p == "/data").expect("preopen /data");
        let rw = DescriptorFlags::READ | DescriptorFlags::WRITE;

        let text = "hello, filesystem \u{1F600}\n";
        let a = open(data, "a.txt", OpenFlags::CREATE | OpenFlags::TRUNCATE, rw).await.expect("create a.txt");
        write(&a, text.as_bytes(), Some(0)).await;
        let back = read(&a, 0).await;
        assert_eq!(back, text.as_bytes());
        outln!("wrote and read {} bytes", back.len());

        write(&a, b"more\n", None).await;
        assert_eq!(read(&a, text.len() as u64).await, b"more\n");
        let st = a.stat().await.expect("stat");
        outln!("size {} type {:?}", st.size, st.type_);
        assert!(st.data_modification_timestamp.is_some());
        drop(a);

        data.create_directory_at("dir".to_string()).await.expect("mkdir");
        data.create_directory_at("dir/sub".to_string()).await.expect("mkdir sub");
        let b = open(data, "dir/b.bin", OpenFlags::CREATE, DescriptorFlags::WRITE).await.expect("create b.bin");
        write(&b, &[1, 2, 3], Some(0)).await;
        drop(b);
        let dir = open(data, "dir", OpenFlags::DIRECTORY, DescriptorFlags::READ | DescriptorFlags::MUTATE_DIRECTORY)
            .await
            .expect("open dir");
        outln!("dir: {}", list(&dir).await.join(" "));
        assert!(matches!(dir.get_type().await.expect("get-type"), DescriptorType::Directory));
        let st = data.stat_at(PathFlags::empty(), "dir/b.bin".to_string()).await.expect("stat-at");
        outln!("b.bin: {} bytes", st.size);

        dir.rename_at("b.bin".to_string(), data, "c.bin".to_string()).await.expect("rename");
        let missing = data.stat_at(PathFlags::empty(), "dir/b.bin".to_string()).await;
        outln!("after rename: {:?}", missing.map(|_| ()));
        outln!("c.bin: {:?}", read(&open(data, "c.bin", OpenFlags::empty(), DescriptorFlags::READ).await.unwrap(), 1).await);

        outln!("remove non-empty dir: {:?}", data.remove_directory_at("dir".to_string()).await);
        outln!("open missing: {:?}", open(data, "nope.txt", OpenFlags::empty(), DescriptorFlags::READ).await.map(|_| ()));
        outln!("escape: {:?}", open(data, "../x", OpenFlags::empty(), DescriptorFlags::READ).await.map(|_| ()));
        outln!("exclusive: {:?}", open(data, "a.txt", OpenFlags::CREATE | OpenFlags::EXCLUSIVE, rw).await.map(|_| ()));
        let (_, bad) = dir.read_via_stream(0);
        outln!("read dir as file: {:?}", bad.await);

        dir.remove_directory_at("sub".to_string()).await.expect("rmdir sub");
        drop(dir);
        data.remove_directory_at("dir".to_string()).await.expect("rmdir dir");
        data.unlink_file_at("c.bin".to_string()).await.expect("unlink c.bin");
        data.unlink_file_at("a.txt".to_string()).await.expect("unlink a.txt");
        outln!("entries left: {}", list(data).await.len());

        let r = open(data, "result.txt", OpenFlags::CREATE, DescriptorFlags::WRITE).await.expect("create result.txt");
        write(&r, b"done\n", Some(0)).await;
        outln!("fs ok");
        Ok(())
    }
}

wasip3::cli::command::export!(Run);
