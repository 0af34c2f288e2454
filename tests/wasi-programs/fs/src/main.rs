//! Works inside the preopened directory `/data` (empty at start): writes a file, reads
//! it back, makes a directory, lists it, renames, seeks, removes. Prints a line per
//! step; any failure panics (a trap, so the run fails).
use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};

fn main() {
    let text = "hello, filesystem \u{1F600}\n";
    fs::write("/data/a.txt", text).expect("write a.txt");
    let back = fs::read_to_string("/data/a.txt").expect("read a.txt");
    assert_eq!(back, text);
    println!("wrote and read {} bytes", back.len());

    // Append, then read at an offset.
    let mut f = fs::OpenOptions::new().append(true).open("/data/a.txt").expect("open append");
    f.write_all(b"more\n").expect("append");
    drop(f);
    let mut f = fs::File::open("/data/a.txt").expect("open read");
    f.seek(SeekFrom::Start(text.len() as u64)).expect("seek");
    let mut rest = String::new();
    f.read_to_string(&mut rest).expect("read rest");
    assert_eq!(rest, "more\n");
    println!("size {}", f.metadata().expect("metadata").len());
    drop(f);

    fs::create_dir("/data/dir").expect("mkdir");
    fs::write("/data/dir/b.bin", [1u8, 2, 3]).expect("write b.bin");
    fs::create_dir_all("/data/dir/sub/deeper").expect("mkdir -p");
    let meta = fs::metadata("/data/dir").expect("stat dir");
    assert!(meta.is_dir());
    let mut names: Vec<String> = fs::read_dir("/data/dir")
        .expect("readdir")
        .map(|e| {
            let e = e.expect("entry");
            let kind = if e.file_type().expect("file type").is_dir() { "/" } else { "" };
            format!("{}{kind}", e.file_name().to_string_lossy())
        })
        .collect();
    names.sort();
    println!("dir: {}", names.join(" "));

    fs::rename("/data/a.txt", "/data/dir/c.txt").expect("rename");
    assert!(fs::metadata("/data/a.txt").is_err());
    let err = fs::read("/data/a.txt").unwrap_err();
    println!("after rename: {:?}", err.kind());
    assert_eq!(fs::read_to_string("/data/dir/c.txt").expect("read c.txt"), format!("{text}more\n"));

    let err = fs::remove_dir("/data/dir").unwrap_err();
    // std on wasip2 reports ENOTEMPTY as `Uncategorized`; wasi-libc's errno is 55.
    println!("remove non-empty dir: errno {:?}", err.raw_os_error());
    fs::remove_file("/data/dir/b.bin").expect("unlink");
    fs::remove_file("/data/dir/c.txt").expect("unlink");
    fs::remove_dir("/data/dir/sub/deeper").expect("rmdir");
    fs::remove_dir_all("/data/dir").expect("rm -r");
    let left: Vec<_> = fs::read_dir("/data").expect("readdir /data").collect();
    println!("entries left: {}", left.len());

    // Leaves one file behind so the runner can check the host side.
    fs::write("/data/result.txt", "done\n").expect("write result");
    println!("fs ok");
}
