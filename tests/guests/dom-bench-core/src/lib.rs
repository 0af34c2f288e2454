//! js-framework-benchmark's keyed table (its `vanillajs` implementation), generic over
//! the DOM binding: the guests `dom-bench` and `dom-bench-imports` implement [`Dom`]
//! and export [`App`]'s operations; `bench/dom/floor.js` is the same logic in plain JS.
//! The three make the same DOM calls in the same order, and the same rows: labels come
//! from a seeded xorshift32, so every variant builds the same table.

#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The DOM operations the table needs. `Node` owns a reference to a platform node
/// (dropping it releases the reference).
pub trait Dom {
    type Node;
    /// `document.getElementById(id)`.
    fn element_by_id(&mut self, id: &str) -> Self::Node;
    /// `document.createElement(tag)`.
    fn create_element(&mut self, tag: &str) -> Self::Node;
    /// `node.className = class` (an element).
    fn set_class(&mut self, node: &Self::Node, class: &str);
    /// `aria-hidden="true"` on an element (once, on the template).
    fn set_aria_hidden(&mut self, node: &Self::Node);
    /// `node.cloneNode(true)`.
    fn clone_deep(&mut self, node: &Self::Node) -> Self::Node;
    /// `node.firstChild` (not null here).
    fn first_child(&mut self, node: &Self::Node) -> Self::Node;
    /// `node.nextSibling` (not null here).
    fn next_sibling(&mut self, node: &Self::Node) -> Self::Node;
    /// `node.textContent = text`.
    fn set_text(&mut self, node: &Self::Node, text: &str);
    /// `parent.appendChild(child)`.
    fn append_child(&mut self, parent: &Self::Node, child: &Self::Node);
    /// `parent.insertBefore(node, before)`.
    fn insert_before(&mut self, parent: &Self::Node, node: &Self::Node, before: &Self::Node);
    /// `parent.removeChild(child)`.
    fn remove_child(&mut self, parent: &Self::Node, child: &Self::Node);
}

const ADJECTIVES: [&str; 25] = [
    "pretty",
    "large",
    "big",
    "small",
    "tall",
    "short",
    "long",
    "handsome",
    "plain",
    "quaint",
    "clean",
    "elegant",
    "easy",
    "angry",
    "crazy",
    "helpful",
    "mushy",
    "odd",
    "unsightly",
    "adorable",
    "important",
    "inexpensive",
    "cheap",
    "expensive",
    "fancy",
];
const COLOURS: [&str; 11] = [
    "red", "yellow", "blue", "green", "pink", "brown", "purple", "brown", "white", "black",
    "orange",
];
const NOUNS: [&str; 13] = [
    "table", "chair", "house", "bbq", "desk", "car", "pony", "cookie", "sandwich", "burger",
    "pizza", "mouse", "keyboard",
];

struct Row<N> {
    id: u32,
    label: String,
    tr: N,
    /// The `<a>` holding the label.
    a: N,
}

/// The table: its rows, the selected row's id, the next id and the label generator.
pub struct App<D: Dom> {
    dom: D,
    tbody: Option<D::Node>,
    template: Option<D::Node>,
    rows: Vec<Row<D::Node>>,
    selected: Option<u32>,
    next_id: u32,
    seed: u32,
}

impl<D: Dom> App<D> {
    pub const fn new(dom: D) -> Self {
        App {
            dom,
            tbody: None,
            template: None,
            rows: Vec::new(),
            selected: None,
            next_id: 1,
            seed: 0x2545_f491,
        }
    }

    /// xorshift32 (bench/dom/floor.js has the same).
    fn random(&mut self, n: usize) -> usize {
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.seed = x;
        x as usize % n
    }

    /// The `<tbody id="tbody">` and the row template, made on first use:
    /// `<tr><td class="col-md-1"></td><td class="col-md-4"><a></a></td><td
    /// class="col-md-1"><a><span class="glyphicon glyphicon-remove"
    /// aria-hidden="true"></span></a></td><td class="col-md-6"></td></tr>`.
    fn init(&mut self) {
        if self.tbody.is_some() {
            return;
        }
        let d = &mut self.dom;
        let tbody = d.element_by_id("tbody");
        let tr = d.create_element("tr");
        let td1 = d.create_element("td");
        d.set_class(&td1, "col-md-1");
        d.append_child(&tr, &td1);
        let td2 = d.create_element("td");
        d.set_class(&td2, "col-md-4");
        let a2 = d.create_element("a");
        d.append_child(&td2, &a2);
        d.append_child(&tr, &td2);
        let td3 = d.create_element("td");
        d.set_class(&td3, "col-md-1");
        let a3 = d.create_element("a");
        let span = d.create_element("span");
        d.set_class(&span, "glyphicon glyphicon-remove");
        d.set_aria_hidden(&span);
        d.append_child(&a3, &span);
        d.append_child(&td3, &a3);
        d.append_child(&tr, &td3);
        let td4 = d.create_element("td");
        d.set_class(&td4, "col-md-6");
        d.append_child(&tr, &td4);
        self.tbody = Some(tbody);
        self.template = Some(tr);
    }

    /// Appends `n` new rows.
    fn append_rows(&mut self, n: usize) {
        self.init();
        self.rows.reserve(n);
        for _ in 0..n {
            let label = format!(
                "{} {} {}",
                ADJECTIVES[self.random(ADJECTIVES.len())],
                COLOURS[self.random(COLOURS.len())],
                NOUNS[self.random(NOUNS.len())]
            );
            let id = self.next_id;
            self.next_id += 1;
            let d = &mut self.dom;
            let (Some(tbody), Some(template)) = (&self.tbody, &self.template) else {
                unreachable!()
            };
            // vanillajs's createRow: clone the template, fill the id and the label.
            let tr = d.clone_deep(template);
            let td1 = d.first_child(&tr);
            let td2 = d.next_sibling(&td1);
            let a = d.first_child(&td2);
            d.set_text(&td1, itoa(id).as_str());
            d.set_text(&a, &label);
            d.append_child(tbody, &tr);
            self.rows.push(Row { id, label, tr, a });
        }
    }

    /// Removes every row (`tbody.textContent = ""`).
    fn remove_all(&mut self) {
        self.init();
        if let Some(tbody) = &self.tbody {
            self.dom.set_text(tbody, "");
        }
        self.rows.clear();
        self.selected = None;
    }

    /// `run`: replaces the rows by 1,000 new ones.
    pub fn run(&mut self) {
        self.remove_all();
        self.append_rows(1000);
    }

    /// `run-lots`: replaces the rows by 10,000 new ones.
    pub fn run_lots(&mut self) {
        self.remove_all();
        self.append_rows(10_000);
    }

    /// `add`: appends 1,000 rows.
    pub fn add(&mut self) {
        self.append_rows(1000);
    }

    /// `update`: appends " !!!" to the label of every 10th row.
    pub fn update(&mut self) {
        for i in (0..self.rows.len()).step_by(10) {
            let row = &mut self.rows[i];
            row.label.push_str(" !!!");
            self.dom.set_text(&row.a, &row.label);
        }
    }

    /// `clear`: removes every row.
    pub fn clear(&mut self) {
        self.remove_all();
    }

    /// `swap-rows`: swaps rows 1 and 998 (when there are more than 998).
    pub fn swap_rows(&mut self) {
        if self.rows.len() <= 998 {
            return;
        }
        let Some(tbody) = &self.tbody else { return };
        let d = &mut self.dom;
        d.insert_before(tbody, &self.rows[998].tr, &self.rows[2].tr);
        d.insert_before(tbody, &self.rows[1].tr, &self.rows[999].tr);
        self.rows.swap(1, 998);
    }

    /// `select(id)`: the row `id` gets the class `danger`, the previously selected one loses it.
    pub fn select(&mut self, id: u32) {
        if let Some(old) = self.selected.take() {
            if let Some(row) = self.rows.iter().find(|r| r.id == old) {
                self.dom.set_class(&row.tr, "");
            }
        }
        if let Some(row) = self.rows.iter().find(|r| r.id == id) {
            self.dom.set_class(&row.tr, "danger");
            self.selected = Some(id);
        }
    }

    /// `remove(id)`: removes the row `id`.
    pub fn remove(&mut self, id: u32) {
        let Some(i) = self.rows.iter().position(|r| r.id == id) else {
            return;
        };
        let row = self.rows.remove(i);
        if let Some(tbody) = &self.tbody {
            self.dom.remove_child(tbody, &row.tr);
        }
        if self.selected == Some(id) {
            self.selected = None;
        }
    }
}

/// A row id in decimal, without `core::fmt`.
fn itoa(mut n: u32) -> Digits {
    let mut d = Digits {
        buf: [0; 10],
        start: 10,
    };
    loop {
        d.start -= 1;
        d.buf[d.start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return d;
        }
    }
}

struct Digits {
    buf: [u8; 10],
    start: usize,
}

impl Digits {
    fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[self.start..]).unwrap_or("")
    }
}

/// The guest's state and exports, the same in both guests: `export_app!(T, init)` in a
/// crate where `wit_bindgen::generate!` made `Guest` and `export!` (each crate's own),
/// with `T: Dom` and `init` a constant expression of it.
#[macro_export]
macro_rules! export_app {
    ($dom:ty, $init:expr) => {
        struct State(core::cell::RefCell<$crate::App<$dom>>);

        // One thread: a component instance is never entered concurrently.
        unsafe impl Sync for State {}

        static APP: State = State(core::cell::RefCell::new($crate::App::new($init)));

        fn app() -> core::cell::RefMut<'static, $crate::App<$dom>> {
            APP.0.borrow_mut()
        }

        struct Component;

        export!(Component);

        impl Guest for Component {
            fn run() {
                app().run();
            }
            fn run_lots() {
                app().run_lots();
            }
            fn add() {
                app().add();
            }
            fn update() {
                app().update();
            }
            fn clear() {
                app().clear();
            }
            fn swap_rows() {
                app().swap_rows();
            }
            fn select(id: u32) {
                app().select(id);
            }
            fn remove(id: u32) {
                app().remove(id);
            }
        }
    };
}
