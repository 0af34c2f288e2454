//! The DOM benchmark's guest through hand-written JS imports (today's way): the same
//! table as `dom-bench` (`dom-bench-core`), its DOM calls made through the small
//! interface `weft:dom-bench/dom` that bench/dom/imports-host.js implements over a
//! table of handles.

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "dom-bench-imports",
    path: "wit",
    generate_all,
});

use dom_bench_core::Dom;
use weft::dom_bench::dom;

/// A handle of the JS table; dropping it frees the slot.
struct Handle(u32);

impl Drop for Handle {
    fn drop(&mut self) {
        dom::drop(self.0);
    }
}

struct Imports;

impl Dom for Imports {
    type Node = Handle;

    fn element_by_id(&mut self, id: &str) -> Handle {
        Handle(dom::get_element_by_id(id))
    }
    fn create_element(&mut self, tag: &str) -> Handle {
        Handle(dom::create_element(tag))
    }
    fn set_class(&mut self, node: &Handle, class: &str) {
        dom::set_class_name(node.0, class);
    }
    fn set_aria_hidden(&mut self, node: &Handle) {
        dom::set_attribute(node.0, "aria-hidden", "true");
    }
    fn clone_deep(&mut self, node: &Handle) -> Handle {
        Handle(dom::clone_node(node.0, true))
    }
    fn first_child(&mut self, node: &Handle) -> Handle {
        Handle(dom::first_child(node.0))
    }
    fn next_sibling(&mut self, node: &Handle) -> Handle {
        Handle(dom::next_sibling(node.0))
    }
    fn set_text(&mut self, node: &Handle, text: &str) {
        dom::set_text_content(node.0, text);
    }
    fn append_child(&mut self, parent: &Handle, child: &Handle) {
        dom::append_child(parent.0, child.0);
    }
    fn insert_before(&mut self, parent: &Handle, node: &Handle, before: &Handle) {
        dom::insert_before(parent.0, node.0, before.0);
    }
    fn remove_child(&mut self, parent: &Handle, child: &Handle) {
        dom::remove_child(parent.0, child.0);
    }
}

dom_bench_core::export_app!(Imports, Imports);
