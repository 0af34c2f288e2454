// Generates the Rust side of the world in wit/: a `Guest` trait with one method per
// export, the types `WordCount` and `Color`, and the `export!` macro.
wit_bindgen::generate!({ world: "greeter" });

struct Greeter;

impl Guest for Greeter {
    fn greet(name: String) -> String {
        format!("Hello, {name}!")
    }

    fn top_words(text: String, n: u32) -> Vec<WordCount> {
        let mut counts: Vec<WordCount> = Vec::new();
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let word = word.to_lowercase();
            match counts.iter_mut().find(|c| c.word == word) {
                Some(c) => c.count += 1,
                None => counts.push(WordCount { word, count: 1 }),
            }
        }
        // Most frequent first; a stable sort keeps ties in the order they appeared.
        counts.sort_by(|a, b| b.count.cmp(&a.count));
        counts.truncate(n as usize);
        counts
    }

    fn parse_color(text: String) -> Result<Color, String> {
        let hex = text
            .trim()
            .strip_prefix('#')
            .ok_or(format!("{text:?} does not start with #"))?;
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()
            .ok_or(format!("{text:?} is not hexadecimal"))?;
        match digits[..] {
            [r, g, b] => Ok(Color {
                r: r * 17,
                g: g * 17,
                b: b * 17,
            }),
            [r1, r2, g1, g2, b1, b2] => Ok(Color {
                r: r1 * 16 + r2,
                g: g1 * 16 + g2,
                b: b1 * 16 + b2,
            }),
            _ => Err(format!("{text:?} has {} digits, not 3 or 6", digits.len())),
        }
    }
}

export!(Greeter);
