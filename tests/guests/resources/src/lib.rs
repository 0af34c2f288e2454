//! The `resources` guest: an exported resource with a counting destructor, and an
//! imported JS resource passed both ways.

#![no_std]

extern crate alloc;

use guest_rt as _;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use core::sync::atomic::{AtomicU32, Ordering};

use guest_rt::Global;

wit_bindgen::generate!({
    world: "resources-guest",
    path: "wit",
});

use exports::weft::test::counters::{self, Counter, CounterBorrow, GuestCounter};
use exports::weft::test::things;
use weft::test::host_things::{self, HostThing};

static DROPS: AtomicU32 = AtomicU32::new(0);

struct Component;

export!(Component);

struct MyCounter {
    value: Cell<u32>,
}

impl MyCounter {
    fn with(v: u32) -> Self {
        MyCounter {
            value: Cell::new(v),
        }
    }
    fn add(&self, n: u32) -> u32 {
        let v = self.value.get().wrapping_add(n);
        self.value.set(v);
        v
    }
}

impl Drop for MyCounter {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::Relaxed);
    }
}

impl GuestCounter for MyCounter {
    fn new(start: u32) -> Self {
        MyCounter::with(start)
    }
    fn get(&self) -> u32 {
        self.value.get()
    }
    fn increment(&self) -> u32 {
        self.add(1)
    }
    fn add(&self, n: u32) -> u32 {
        MyCounter::add(self, n)
    }
    fn absorb(&self, other: Counter) -> u32 {
        let v = other.get::<MyCounter>().get();
        self.add(v)
    }
    fn add_from(&self, other: CounterBorrow<'_>) -> u32 {
        let v = other.get::<MyCounter>().get();
        self.add(v)
    }
    fn merge(a: Counter, b: Counter) -> Counter {
        let v = a
            .get::<MyCounter>()
            .get()
            .wrapping_add(b.get::<MyCounter>().get());
        Counter::new(MyCounter::with(v))
    }
    fn with_value(v: u32) -> Counter {
        Counter::new(MyCounter::with(v))
    }
}

impl counters::Guest for Component {
    type Counter = MyCounter;

    fn peek(c: CounterBorrow<'_>) -> u32 {
        c.get::<MyCounter>().get()
    }
    fn consume(c: Counter) -> u32 {
        c.get::<MyCounter>().get()
    }
    fn make_counter(start: u32) -> Counter {
        Counter::new(MyCounter::with(start))
    }
    fn pass_through(c: Counter) -> Counter {
        c
    }
    fn make_many(n: u32) -> Vec<Counter> {
        (0..n).map(|i| Counter::new(MyCounter::with(i))).collect()
    }
    fn sum_borrowed(cs: Vec<CounterBorrow<'_>>) -> u32 {
        cs.iter()
            .map(|c| c.get::<MyCounter>().get())
            .fold(0, u32::wrapping_add)
    }
    fn maybe_counter(c: Option<Counter>) -> Option<Counter> {
        if let Some(c) = &c {
            c.get::<MyCounter>().increment();
        }
        c
    }
    fn drops() -> u32 {
        DROPS.load(Ordering::Relaxed)
    }
}

/// The things `keep-thing` keeps.
static KEPT: Global<Vec<HostThing>> = Global::new(Vec::new());

impl things::Guest for Component {
    fn new_thing(name: String) -> HostThing {
        HostThing::new(&name)
    }
    fn create_thing(name: String) -> HostThing {
        HostThing::create(&name)
    }
    fn make_thing(name: String) -> HostThing {
        host_things::make_thing(&name)
    }
    fn thing_name(t: &HostThing) -> String {
        t.name()
    }
    fn rename_thing(t: &HostThing, name: String) {
        t.set_name(&name);
    }
    fn describe_thing(t: &HostThing) -> String {
        host_things::describe(t)
    }
    fn pass_thing(t: HostThing) -> HostThing {
        t
    }
    fn drop_thing(t: HostThing) {
        drop(t);
    }
    fn keep_thing(t: HostThing) -> u32 {
        let mut kept = KEPT.0.borrow_mut();
        kept.push(t);
        kept.len() as u32
    }
    fn take_kept() -> Vec<HostThing> {
        core::mem::take(&mut *KEPT.0.borrow_mut())
    }
    fn temp_thing(name: String) -> String {
        let t = HostThing::new(&name);
        t.set_name(&format!("{name}!"));
        t.name()
    }
}
