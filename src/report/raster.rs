//! A small RGB canvas for the maps and animation frames: cells are painted as pixel blocks
//! directly (fast, exact), text is drawn with plotters on the same buffer in the embedded font,
//! and the result is encoded as PNG in memory.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Width in pixels of `text` in the embedded font at `size`.
pub fn text_width(text: &str, size: u32) -> u32 {
    super::charts::register_font();
    let font = ("sans-serif", size).into_font();
    font.box_size(text).map_or(0, |(w, _)| w)
}

/// `text` as it fits in `room` pixels at `size`: whole, or its longest beginning that fits with
/// "…" after it. (Bold is drawn with the same embedded font, so this measures it too.)
pub fn fitted(text: &str, size: u32, room: u32) -> String {
    if text_width(text, size) <= room {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // The width grows with the characters kept: the longest that fits, by bisection.
    let cut = |n: usize| chars[..n].iter().chain(['…'].iter()).collect::<String>();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(&cut(mid), size) <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    cut(lo)
}

/// An RGB image, row-major, 3 bytes per pixel.
#[derive(Debug, Clone)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// Where a text is anchored on its point.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    TopLeft,
    Centre,
}

/// How a text looks: size in pixels, weight and colour.
#[derive(Debug, Clone, Copy)]
pub struct Lettering {
    pub size: u32,
    pub bold: bool,
    pub colour: RGBColor,
}

impl Lettering {
    /// Regular weight.
    pub fn plain(size: u32, colour: RGBColor) -> Self {
        Self {
            size,
            bold: false,
            colour,
        }
    }

    /// Bold.
    pub fn bold(size: u32, colour: RGBColor) -> Self {
        Self {
            size,
            bold: true,
            colour,
        }
    }
}

impl Canvas {
    /// A white canvas.
    pub fn new(width: u32, height: u32) -> Self {
        Canvas {
            width,
            height,
            pixels: vec![255; width as usize * height as usize * 3],
        }
    }

    /// Fill the rectangle at (x, y) of size w × h, clipped to the canvas.
    pub fn rect(&mut self, x: i64, y: i64, w: i64, h: i64, c: RGBColor) {
        let (x0, y0) = (x.max(0), y.max(0));
        let (x1, y1) = (
            (x + w).min(self.width as i64),
            (y + h).min(self.height as i64),
        );
        for yy in y0..y1 {
            for xx in x0..x1 {
                let i = (yy as usize * self.width as usize + xx as usize) * 3;
                self.pixels[i..i + 3].copy_from_slice(&[c.0, c.1, c.2]);
            }
        }
    }

    /// The outline of a rectangle, 1 pixel wide.
    pub fn frame(&mut self, x: i64, y: i64, w: i64, h: i64, c: RGBColor) {
        self.rect(x, y, w, 1, c);
        self.rect(x, y + h - 1, w, 1, c);
        self.rect(x, y, 1, h, c);
        self.rect(x + w - 1, y, 1, h, c);
    }

    /// Draw `text` in the embedded font at (x, y).
    pub fn text(&mut self, text: &str, x: i32, y: i32, look: Lettering, a: Anchor) {
        let Lettering {
            size,
            bold,
            colour: c,
        } = look;
        super::charts::register_font();
        let (w, h) = (self.width, self.height);
        let area = BitMapBackend::with_buffer(&mut self.pixels, (w, h)).into_drawing_area();
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let pos = match a {
            Anchor::TopLeft => Pos::new(HPos::Left, VPos::Top),
            Anchor::Centre => Pos::new(HPos::Center, VPos::Center),
        };
        let font = ("sans-serif", size)
            .into_font()
            .style(style)
            .color(&c)
            .pos(pos);
        // Text drawing into a memory buffer only fails on a font defect (the font is embedded).
        let _ = area.draw(&Text::new(text.to_string(), (x, y), font));
        let _ = area.present();
    }

    /// Width in pixels `text` takes at `size`.
    pub fn text_width(&self, text: &str, size: u32) -> u32 {
        text_width(text, size)
    }

    /// PNG bytes of the canvas.
    pub fn png(&self) -> Result<Vec<u8>, String> {
        let mut png = Vec::new();
        self.write_png(&mut png)?;
        Ok(png)
    }

    /// The canvas as a PNG, encoded into `out`.
    pub fn write_png(&self, out: impl std::io::Write) -> Result<(), String> {
        use image::ImageEncoder;
        image::codecs::png::PngEncoder::new(out)
            .write_image(
                &self.pixels,
                self.width,
                self.height,
                image::ColorType::Rgb8,
            )
            .map_err(|e| e.to_string())
    }
}

/// Black or white, whichever reads better on `c`.
pub fn ink_on(c: RGBColor) -> RGBColor {
    let l = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if l > 140.0 { BLACK } else { WHITE }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text that fits is kept whole; one that does not is cut with "…" to the longest
    /// beginning that fits (one more character would not).
    #[test]
    fn a_long_text_is_cut_to_its_room() {
        assert_eq!(fitted("baseline", 16, 480), "baseline");
        let long = "a-very-long-scenario-name-for-the-class-of-2026-period-three-xyz";
        let cut = fitted(long, 16, 300);
        assert!(cut.ends_with('…') && text_width(&cut, 16) <= 300, "{cut}");
        let kept = cut.chars().count() - 1;
        let one_more: String = long.chars().take(kept + 1).chain(['…']).collect();
        assert!(long.starts_with(cut.trim_end_matches('…')));
        assert!(text_width(&one_more, 16) > 300);
        assert_eq!(fitted(long, 16, 0), "…");
    }
}
