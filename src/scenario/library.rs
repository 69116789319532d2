//! The bundled scenarios, compiled into the binary so that `peacesim list`, `peacesim run
//! baseline` and `peacesim new NAME --from baseline` work from any folder.

/// One bundled scenario: its name (the file name without `.toml`) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(Bundled {
            name: $name,
            text: include_str!(concat!("../../scenarios/", $name, ".toml")),
        }),*]
    };
}

/// Every bundled scenario, in the order `peacesim list` shows them.
pub const BUNDLED: &[Bundled] = bundled![
    "baseline",
    "au-un-hybrid",
    "nato-eu",
    "ngo-humanitarian",
    "contractor-logistics",
    "withdrawal-shock",
    "technology",
    "epstein",
    "epstein-mesa",
    "epstein-model2",
];

impl Bundled {
    /// The scenario's title: the text after "peacesim — " on its header's first titled line.
    pub fn title(&self) -> &'static str {
        self.text
            .lines()
            .find_map(|l| l.strip_prefix("# peacesim — "))
            .unwrap_or("")
            .trim()
    }

    /// What the scenario teaches: the first sentence of its header's "What it teaches:"
    /// paragraph (`peacesim list` shows it under the title).
    pub fn teaches(&self) -> String {
        let mut words = String::new();
        let mut lines = self
            .text
            .lines()
            .skip_while(|l| !l.starts_with("# What it teaches:"));
        if let Some(first) = lines.next() {
            words.push_str(first.trim_start_matches("# What it teaches:").trim());
        }
        for l in lines {
            let l = l.trim_start_matches('#').trim();
            if l.is_empty() || words.contains(". ") {
                break;
            }
            words.push(' ');
            words.push_str(l);
        }
        match words.find(". ") {
            Some(end) => words[..=end].to_string(),
            None => words.trim_end().to_string(),
        }
    }

    /// The path shown in messages and manifests for the embedded copy ([`recorded_name`] reads
    /// it back).
    pub fn display_path(&self) -> String {
        format!("{BUNDLED_PREFIX}{}.toml", self.name)
    }
}

/// How [`Bundled::display_path`] marks an embedded copy.
const BUNDLED_PREFIX: &str = "<bundled>/";

/// The bundled scenario's name in a path as [`Bundled::display_path`] writes it
/// (`<bundled>/baseline.toml` → `baseline`), or `None` for any other path.
pub fn recorded_name(path: &str) -> Option<&str> {
    let file = path.strip_prefix(BUNDLED_PREFIX)?;
    Some(file.strip_suffix(".toml").unwrap_or(file))
}

/// The bundled scenario called `name` (with or without `.toml`).
pub fn find(name: &str) -> Option<&'static Bundled> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    BUNDLED.iter().find(|b| b.name == name)
}

/// The names of the bundled scenarios, comma-separated (for messages).
/// The bundled name `written` is a typo of, if any: at most a third of its letters (and at
/// least one) to change, by edit distance, as field names are suggested.
pub fn closest(written: &str) -> Option<&'static str> {
    let written = written.strip_suffix(".toml").unwrap_or(written);
    let (best, distance) = BUNDLED
        .iter()
        .map(|b| (b.name, strsim::levenshtein(written, b.name)))
        .min_by_key(|&(_, d)| d)?;
    (distance > 0 && distance <= (written.chars().count() / 3).max(1)).then_some(best)
}

pub fn names() -> String {
    BUNDLED
        .iter()
        .map(|b| b.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A new scenario's text from `from`, renamed to `name`: the `name = "…"` line of its
/// `[scenario]` table is replaced; everything else (comments included) is kept.
pub fn renamed(from: &Bundled, name: &str) -> String {
    let mut in_scenario = false;
    let mut done = false;
    let mut out = String::with_capacity(from.text.len() + 64);
    for line in from.text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_scenario = t.starts_with("[scenario]");
        }
        if in_scenario && !done && t.starts_with("name") && t.contains('=') {
            out.push_str(&format!("name = \"{name}\"\n"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_of_a_bundled_name_is_recognised() {
        assert_eq!(closest("baselin"), Some("baseline"));
        assert_eq!(closest("epstien.toml"), Some("epstein"));
        assert_eq!(closest("baseline"), None);
        assert_eq!(closest("my-mission"), None);
    }

    #[test]
    fn every_bundled_scenario_has_a_title_and_parses() {
        for b in BUNDLED {
            assert!(!b.title().is_empty(), "{} has no title line", b.name);
            let teaches = b.teaches();
            assert!(
                teaches.len() > 20 && teaches.ends_with('.') && !teaches.contains("  "),
                "{}: what it teaches reads {teaches:?}",
                b.name
            );
            crate::scenario::parse_str(b.text, std::path::Path::new(&b.display_path()))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn renamed_changes_only_the_scenario_name() {
        let b = find("baseline").unwrap();
        let text = renamed(b, "my-mission");
        let s = crate::scenario::parse_str(&text, std::path::Path::new("x.toml")).unwrap();
        assert_eq!(s.name, "my-mission");
        assert_eq!(text.lines().count(), b.text.lines().count());
    }
}
