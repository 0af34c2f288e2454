fn main() {
    println!("hello from wasi");
}
