//! The DOM benchmark's guest on the platform's own DOM: js-framework-benchmark's table
//! (`dom-bench-core`) over `webidl:web` imports, WIT that `weft webidl` made of
//! @webref/idl, bound by `weft transpile --webidl` to `node.appendChild(child)`,
//! `node.textContent = s`, ... (bench/dom).

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "dom-bench",
    path: "wit",
    generate_all,
});

use dom_bench_core::Dom;
use webidl::web::web::{
    Document, DomStringOrElementCreationOptions, ElementCreationOptions, Node, get_window,
};

/// The platform's DOM.
struct Platform {
    document: Option<Document>,
}

impl Platform {
    fn document(&mut self) -> &Document {
        self.document.get_or_insert_with(|| get_window().document())
    }
}

impl Dom for Platform {
    type Node = Node;

    fn element_by_id(&mut self, id: &str) -> Node {
        self.document()
            .get_element_by_id(id)
            .expect("no element of that id")
            .as_node()
    }

    fn create_element(&mut self, tag: &str) -> Node {
        // An options dictionary rather than none: jco's proxy cannot take an
        // `undefined` argument (bench/dom/run.mjs); the platform reads both alike.
        let options =
            DomStringOrElementCreationOptions::ElementCreationOptions(ElementCreationOptions {
                is: None,
            });
        self.document()
            .create_element(tag, Some(&options))
            .as_node()
    }

    fn set_class(&mut self, node: &Node, class: &str) {
        node.as_element().expect("an element").set_class_name(class);
    }

    fn set_aria_hidden(&mut self, node: &Node) {
        // ARIA reflection (`element.ariaHidden = "true"`), not `setAttribute`, whose
        // value is a union (`TrustedType or DOMString`) that jco would pass on as its
        // `{ tag, val }` object.
        node.as_element()
            .expect("an element")
            .set_aria_hidden(Some("true"));
    }

    fn clone_deep(&mut self, node: &Node) -> Node {
        node.clone_node(Some(true))
    }

    fn first_child(&mut self, node: &Node) -> Node {
        node.first_child().expect("a first child")
    }

    fn next_sibling(&mut self, node: &Node) -> Node {
        node.next_sibling().expect("a next sibling")
    }

    fn set_text(&mut self, node: &Node, text: &str) {
        node.set_text_content(Some(text));
    }

    fn append_child(&mut self, parent: &Node, child: &Node) {
        parent.append_child(child);
    }

    fn insert_before(&mut self, parent: &Node, node: &Node, before: &Node) {
        parent.insert_before(node, Some(before));
    }

    fn remove_child(&mut self, parent: &Node, child: &Node) {
        parent.remove_child(child);
    }
}

dom_bench_core::export_app!(Platform, Platform { document: None });
