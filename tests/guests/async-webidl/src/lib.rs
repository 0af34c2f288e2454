//! `async-webidl`: Web APIs from an async guest: an `EventHandler` attribute's events
//! come as a stream (`onabort`), and operations returning promises are `async func`s
//! (`Blob.text()`), bound to the platform by the transpiler.

#![no_std]

extern crate alloc;

use guest_rt as _;

wit_bindgen::generate!({
    world: "async-webidl",
    path: "wit",
    generate_all,
});

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use webidl::web::web::{Blob, BlobPart, BlobPropertyBag};

struct Component;

export!(Component);

impl Guest for Component {
    async fn wait_abort(signal: &AbortSignal) -> Vec<String> {
        let mut events = signal.onabort();
        let mut seen = vec![format!("aborted before: {}", signal.aborted())];
        match events.next().await {
            Some(e) => seen.push(format!("event: {} trusted {}", e.type_(), e.is_trusted())),
            None => seen.push("the stream ended".into()),
        }
        seen.push(format!("aborted after: {}", signal.aborted()));
        // Dropping the stream's readable end removes the listener.
        drop(events);
        seen
    }

    async fn blob_text(parts: Vec<String>, type_: String) -> (String, Vec<u8>, u64, String) {
        let parts: Vec<BlobPart> =
            parts.into_iter().map(BlobPart::UsvString).collect();
        let blob = Blob::new(Some(&parts), Some(&BlobPropertyBag { type_: Some(type_) }));
        let text = blob.text().await.unwrap_or_else(|e| format!("{}: {}", e.name, e.message));
        let bytes = blob.array_buffer().await.unwrap_or_default();
        (text, bytes, blob.size(), blob.type_())
    }
}
