//! A todo list that works on the page's DOM directly, from Rust.
//!
//! The page (`../vite-app/index.html`) has an `<input id="new-todo">`, a `<button
//! id="add">`, an empty `<ul id="list">` and a `<p id="count">`. Everything else is done
//! here: creating the items, toggling them, removing them and counting what is left.
//!
//! The DOM comes from the WIT package `webidl:web` (`wit/deps/web/web.wit`, which
//! `weft webidl` generates from the platform's WebIDL). Each WebIDL interface is a WIT
//! resource, and so a Rust type: `Document`, `Element`, `HtmlInputElement`, ... Their
//! methods are the DOM's own, in Rust's spelling: `document.getElementById(id)` is
//! `document.get_element_by_id(id)`, the attribute `input.value` is `input.value()` and
//! `input.value = s` is `input.set_value(s)`. `weft transpile` binds each one to the DOM
//! member it names, so there is no JS glue to write.

// The bindings of `wit/world.wit`: the `Guest` trait (our export `run`) and the module
// `webidl::web::web` (the DOM). `generate_all`: generate that module too (it is a
// dependency's interface, and its streams' types are needed here).
wit_bindgen::generate!({ world: "todo", generate_all });

use futures::StreamExt;
use futures::stream;
use webidl::web::web::{
    Document, Element, Event, HtmlElement, HtmlInputElement, NodeOrDomStringBorrowed, get_window,
};

struct Todo;

export!(Todo);

/// What happened on the page: one of the three event streams [`Guest::run`] listens to.
enum Ui {
    /// A click on the "Add" button.
    AddClicked,
    /// A key went down in the text input (only Enter matters).
    KeyDown(Event),
    /// A click somewhere in the list: on an item's text, its "×", or elsewhere.
    ListClicked(Event),
}

impl Guest for Todo {
    async fn run() {
        // `window` is the global object; its `document` is the page.
        let document = get_window().document();
        let input = element_by_id(&document, "new-todo")
            .as_html_input_element()
            .expect("#new-todo is an <input>");
        let add = element_by_id(&document, "add");
        let list = element_by_id(&document, "list");
        let count = element_by_id(&document, "count");

        // Event handler attributes (`onclick`, `onkeydown`, ...) are streams of events:
        // calling `onclick()` adds a listener for `click`, which feeds the stream, and
        // dropping the stream removes it. The `on*` attributes belong to `HTMLElement`;
        // `as_html_element()` is the cast from `Element` to it (WebIDL's inheritance
        // is a cast in WIT: `as-<ancestor>` always works, `as-<descendant>` is an
        // `Option`, like `instanceof`).
        let add_clicks = html(&add).onclick().into_stream().map(|_| Ui::AddClicked);
        let keys = input
            .as_html_element()
            .onkeydown()
            .into_stream()
            .map(Ui::KeyDown);
        // One stream for every item, present and future: a click on an item bubbles up
        // to the list, and the event's `target` says what was clicked (event delegation).
        let list_clicks = html(&list).onclick().into_stream().map(Ui::ListClicked);

        // The three streams as one: an item whenever any of them has an event.
        let mut events = stream::select(add_clicks, stream::select(keys, list_clicks));

        // Everything is wired: enable the controls (the page ships them disabled, so
        // nothing can be typed before the component listens).
        input.set_disabled(false);
        add.as_html_button_element()
            .expect("#add is a <button>")
            .set_disabled(false);
        input.as_html_element().focus(None);
        show_count(&list, &count);

        while let Some(event) = events.next().await {
            match event {
                Ui::AddClicked => add_item(&document, &input, &list),
                Ui::KeyDown(event) => {
                    // `as_keyboard_event()`: the cast from `Event` down to `KeyboardEvent`.
                    let enter = event
                        .as_keyboard_event()
                        .is_some_and(|key| key.key() == "Enter");
                    if enter {
                        add_item(&document, &input, &list);
                    }
                }
                Ui::ListClicked(event) => on_list_click(&event),
            }
            show_count(&list, &count);
        }
    }
}

/// `document.getElementById(id)`, which the page must have.
fn element_by_id(document: &Document, id: &str) -> Element {
    document
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("the page has no #{id}"))
}

/// An element of the page as an `HTMLElement`, for its `on*` attributes.
fn html(element: &Element) -> HtmlElement {
    element.as_html_element().expect("an HTML element")
}

/// Appends the input's text to the list as
/// `<li><span class="text">…</span><button class="remove">×</button></li>`,
/// then empties the input. Blank text adds nothing.
fn add_item(document: &Document, input: &HtmlInputElement, list: &Element) {
    let text = input.value();
    let text = text.trim();
    if text.is_empty() {
        return;
    }

    let item = document.create_element("li", None);
    item.set_class_name("item");

    let label = document.create_element("span", None);
    label.set_class_name("text");
    label.as_node().set_text_content(Some(text));

    let remove = document.create_element("button", None);
    remove.set_class_name("remove");
    remove.as_node().set_text_content(Some("×"));
    // Attributes the HTML spec reflects as properties: `type="button"` and the label a
    // screen reader says for "×".
    remove
        .as_html_button_element()
        .expect("a <button>")
        .set_type("button");
    remove.set_aria_label(Some("Remove"));

    // `append` takes nodes and strings, as in JS (`item.append(label, remove)`).
    item.append(&[
        NodeOrDomStringBorrowed::Node(&label.as_node()),
        NodeOrDomStringBorrowed::Node(&remove.as_node()),
    ]);
    list.as_node().append_child(&item.as_node());

    input.set_value("");
    input.as_html_element().focus(None);
}

/// A click in the list: on an item's "×" it removes the item, on an item's text it
/// toggles the class `done` of the item.
fn on_list_click(event: &Event) {
    // What was clicked: the deepest element under the pointer (`event.target`).
    let Some(target) = event.target().and_then(|target| target.as_element()) else {
        return;
    };
    // `closest(selector)`: the element itself or its nearest ancestor that matches.
    let Some(item) = target.closest("li.item") else {
        return; // the list's padding, not an item
    };
    if target.closest(".remove").is_some() {
        item.remove();
    } else if target.closest(".text").is_some() {
        item.class_list().toggle("done", None);
    }
}

/// Shows how many items are not done: "3 items left".
fn show_count(list: &Element, count: &Element) {
    // The items are the list's element children: walk them with
    // `firstElementChild`/`nextElementSibling`.
    let mut left = 0;
    let mut child = list.first_element_child();
    while let Some(item) = child {
        if !item.class_list().contains("done") {
            left += 1;
        }
        child = item.next_element_sibling();
    }
    let text = match left {
        1 => "1 item left".to_string(),
        n => format!("{n} items left"),
    };
    count.as_node().set_text_content(Some(&text));
}
